import { z } from 'zod';
import { zGraphDocument, type GraphDocument, type GraphEdge, type GraphNode, type InputTarget, type PortRef } from './graph-document';
import { upgradeDocument } from './migrations';
import type { ValidationCode, ValidationError } from './validation-error';

/** The node type of a saved graph used as a node: its ports are that version's graph inputs and outputs. */
export const pipelineNodeType = 'pipeline.call';
/** Separates a pipeline node's id from its inner nodes' ids in a flattened document (`resize/blur`). */
export const pipelinePathSeparator = '/';

export const zPipelineParams = z
  .object({
    graphId: z.string().min(1).max(64),
    /** The version the node is pinned to. */
    version: z.number().int().min(1),
    /** Values for the pipeline's inputs that set params (plain values: numbers, text, …). */
    inputs: z.record(z.string().max(64), z.json()).default({}),
  })
  .strict();
export type PipelineParams = z.infer<typeof zPipelineParams>;

export type ResolvedPipeline = { ok: true; document: unknown } | { ok: false; code: 'pipeline_not_found' | 'pipeline_forbidden'; message: string };
/** Fetches a referenced version, checking the caller may read it (the service knows who asks). */
export type PipelineResolver = (ref: { graphId: string; version: number }) => Promise<ResolvedPipeline>;

export interface FlattenOptions {
  /** Pipelines inside pipelines, at most this deep (default 5). */
  maxDepth?: number;
  /** Nodes of the flattened document, at most (default 10,000). */
  maxNodes?: number;
  /** The graph the document belongs to, so a pipeline of itself is a cycle at once. */
  rootGraphId?: string;
}

export type FlattenResult =
  | { ok: true; document: unknown; pipelines: { nodeId: string; graphId: string; version: number }[] }
  | { ok: false; errors: ValidationError[] };

const isPipeline = (node: GraphNode) => node.type === pipelineNodeType;

/**
 * Replaces every pipeline node by the nodes of the version it names, so a run's
 * job stays self-contained (workers never look graphs up): inner node ids are
 * prefixed with the pipeline node's id and a "/", edges into the node's ports go
 * to the inner graph inputs' targets, edges out of it come from the inner graph
 * outputs' sources, and the node's `inputs` values set the inner params. Cycles
 * across graphs, depth over the limit, unreadable or missing graphs and unknown
 * ports are typed errors on the pipeline node. A document with no pipeline nodes
 * (or one that does not parse: validation reports that) comes back unchanged.
 */
export async function flattenPipelines(raw: unknown, resolve: PipelineResolver, options: FlattenOptions = {}): Promise<FlattenResult> {
  const errors: ValidationError[] = [];
  const pipelines: { nodeId: string; graphId: string; version: number }[] = [];
  const parsed = parseDocument(raw);
  if (!parsed || !parsed.nodes.some(isPipeline)) return { ok: true, document: raw, pipelines };
  const flat = await flatten(parsed, options.rootGraphId ? [options.rootGraphId] : [], '', { resolve, maxDepth: options.maxDepth ?? 5, errors, pipelines });
  if (errors.length === 0 && flat.nodes.length > (options.maxNodes ?? 10_000)) {
    errors.push({ nodeId: null, code: 'pipeline_too_large', message: `with its pipelines the graph has ${flat.nodes.length} nodes; at most ${options.maxNodes ?? 10_000}` });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, document: flat, pipelines };
}

interface Context {
  resolve: PipelineResolver;
  maxDepth: number;
  errors: ValidationError[];
  pipelines: { nodeId: string; graphId: string; version: number }[];
}

const depthOf = (path: string) => (path === '' ? 0 : path.split(pipelinePathSeparator).length - 1);

function parseDocument(raw: unknown): GraphDocument | undefined {
  try {
    const parsed = zGraphDocument.safeParse(upgradeDocument(raw).document);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** `stack`: graph ids of the pipelines we are inside (for cycles); `path`: id prefix of this level. */
async function flatten(doc: GraphDocument, stack: string[], path: string, ctx: Context): Promise<GraphDocument> {
  const out: GraphDocument = { ...doc, nodes: [], edges: [], inputs: doc.inputs.map((i) => ({ ...i, targets: [...i.targets] })), outputs: doc.outputs.map((o) => ({ ...o })) };
  // Where each port of a pipeline node leads once it is expanded.
  const inputTargets = new Map<string, Map<string, InputTarget[]>>();
  const outputSources = new Map<string, Map<string, PortRef>>();
  const outer = (id: string) => `${path}${id}`;
  const fail = (nodeId: string, code: ValidationCode, message: string, extra: Partial<ValidationError> = {}) =>
    ctx.errors.push({ nodeId: outer(nodeId).split(pipelinePathSeparator)[0]!, code, message, ...extra });

  for (const node of doc.nodes) {
    if (!isPipeline(node)) {
      out.nodes.push(node);
      continue;
    }
    const params = zPipelineParams.safeParse(node.params);
    if (!params.success) {
      fail(node.id, 'invalid_param', `pipeline params: ${params.error.issues[0]?.path.join('.')}: ${params.error.issues[0]?.message}`);
      continue;
    }
    const { graphId, version, inputs: values } = params.data;
    if (stack.includes(graphId)) {
      fail(node.id, 'pipeline_cycle', `pipeline ${graphId} uses itself (${[...stack, graphId].join(' → ')})`);
      continue;
    }
    if (depthOf(path) >= ctx.maxDepth) {
      fail(node.id, 'pipeline_too_deep', `pipelines are nested more than ${ctx.maxDepth} deep`);
      continue;
    }
    const resolved = await ctx.resolve({ graphId, version });
    if (!resolved.ok) {
      fail(node.id, resolved.code, resolved.message);
      continue;
    }
    const inner = parseDocument(resolved.document);
    if (!inner) {
      fail(node.id, 'pipeline_invalid', `version ${version} of pipeline ${graphId} is not a valid document`);
      continue;
    }
    ctx.pipelines.push({ nodeId: outer(node.id), graphId, version });
    const prefix = `${node.id}${pipelinePathSeparator}`;
    const expanded = await flatten(inner, [...stack, graphId], `${path}${prefix}`, ctx);
    const rename = (id: string) => `${prefix}${id}`;
    for (const innerNode of expanded.nodes) out.nodes.push({ ...innerNode, id: rename(innerNode.id), params: { ...innerNode.params } });
    for (const edge of expanded.edges) out.edges.push({ from: { ...edge.from, node: rename(edge.from.node) }, to: { ...edge.to, node: rename(edge.to.node) } });
    const targets = new Map<string, InputTarget[]>();
    for (const input of expanded.inputs) {
      const renamed = input.targets.map((t) => ({ ...t, node: rename(t.node) }));
      const value = Object.hasOwn(values, input.name) ? values[input.name] : input.default;
      const paramTargets = renamed.filter((t): t is { node: string; param: string } => 'param' in t);
      const portTargets = renamed.filter((t): t is PortRef => 'port' in t);
      // Param inputs take the node's value (or the input's default); port inputs take edges.
      if (value !== undefined) {
        for (const t of paramTargets) {
          const target = out.nodes.find((n) => n.id === t.node);
          if (target) target.params[t.param] = value;
        }
      } else if (paramTargets.length > 0 && input.required) {
        fail(node.id, 'missing_input', `pipeline input "${input.name}" needs a value`, { param: `inputs.${input.name}` });
      }
      if (portTargets.length > 0) targets.set(input.name, portTargets);
    }
    for (const name of Object.keys(values)) {
      if (!expanded.inputs.some((i) => i.name === name)) fail(node.id, 'unknown_param', `pipeline ${graphId} v${version} has no input "${name}"`, { param: `inputs.${name}` });
    }
    inputTargets.set(node.id, targets);
    outputSources.set(node.id, new Map(expanded.outputs.map((o) => [o.name, { ...o.source, node: rename(o.source.node) }])));
  }

  const sourceOf = (ref: PortRef): PortRef | undefined => {
    const sources = outputSources.get(ref.node);
    if (!sources) return ref;
    const found = sources.get(ref.port);
    if (!found) fail(ref.node, 'unknown_port', `the pipeline has no output "${ref.port}"`, { port: ref.port });
    return found;
  };
  const targetsOf = (ref: PortRef): PortRef[] | undefined => {
    const targets = inputTargets.get(ref.node);
    if (!targets) return outputSources.has(ref.node) ? undefined : [ref];
    const found = targets.get(ref.port);
    if (!found) fail(ref.node, 'unknown_port', `the pipeline has no image or value input "${ref.port}"`, { port: ref.port });
    return found?.filter((t): t is PortRef => 'port' in t);
  };
  const pipelineFailed = (id: string) => doc.nodes.some((n) => n.id === id && isPipeline(n)) && !outputSources.has(id);

  for (const edge of doc.edges) {
    if (pipelineFailed(edge.from.node) || pipelineFailed(edge.to.node)) continue;
    const from = sourceOf(edge.from);
    const to = targetsOf(edge.to);
    if (!from || !to) continue;
    for (const target of to) out.edges.push({ from, to: target } satisfies GraphEdge);
  }
  for (const input of out.inputs) {
    input.targets = input.targets.flatMap((t) => {
      if (!('port' in t) || !inputTargets.has(t.node)) return [t];
      return targetsOf(t) ?? [];
    });
  }
  for (const output of out.outputs) {
    if (outputSources.has(output.source.node)) output.source = sourceOf(output.source) ?? output.source;
  }
  return out;
}
