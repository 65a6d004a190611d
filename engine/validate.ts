import type { z } from 'zod';
import type { AnyNodeDefinition } from '../nodes/define';
import type { NodeRegistry } from '../nodes/node-registry';
import { canConnect, type PortKind } from '../nodes/ports';
import { zGraphDocument, type GraphDocument, type GraphInput } from './graph-document';
import { upgradeDocument, UnsupportedVersionError } from './migrations';
import { topologicalOrder } from './topological-order';
import type { ValidationError } from './validation-error';

/** Where a node input gets its value: another node's output or a graph input. */
export type InputSource = { from: 'node'; node: string; port: string } | { from: 'graph'; name: string };

export interface PlannedNode {
  id: string;
  def: AnyNodeDefinition;
  /** Params after migration and parsing (defaults applied). */
  params: Record<string, unknown>;
  /** Params set by graph inputs at run time: param name → graph input name. */
  paramInputs: Record<string, string>;
  inputs: Record<string, InputSource>;
  /** Ids of nodes that read this node's outputs. */
  dependants: string[];
  /** Bypassed: passes its inputs on instead of running (engine/bypass.ts). */
  bypass: boolean;
  /** The kind each connected input carries: its declared kind, or for an `any` input the kind of what feeds it. */
  inputKinds: Record<string, PortKind>;
  /** The kind of each output: declared, or for a `sameAs` output the kind of what feeds its input. */
  outputKinds: Record<string, PortKind>;
}

/** A validated document, ready to run: nodes in a topological order. */
export interface ExecutionPlan {
  document: GraphDocument;
  nodes: PlannedNode[];
  byId: Map<string, PlannedNode>;
}

export type ValidationResult =
  | { ok: true; plan: ExecutionPlan; upgradedFrom?: number }
  | { ok: false; errors: ValidationError[] };

/** Checks a document against the registry. Never throws on bad input: every problem comes back as data. */
export function validateDocument(raw: unknown, registry: NodeRegistry): ValidationResult {
  let upgraded;
  try {
    upgraded = upgradeDocument(raw);
  } catch (error) {
    if (error instanceof UnsupportedVersionError) {
      return { ok: false, errors: [{ nodeId: null, code: 'unsupported_version', message: error.message }] };
    }
    throw error;
  }
  const parsed = zGraphDocument.safeParse(upgraded.document);
  if (!parsed.success) return { ok: false, errors: schemaErrors(parsed.error, upgraded.document) };
  const checked = checkDocument(parsed.data, registry);
  if (checked.errors.length > 0) return { ok: false, errors: checked.errors };
  return { ok: true, plan: checked.plan, upgradedFrom: upgraded.upgradedFrom };
}

function checkDocument(doc: GraphDocument, registry: NodeRegistry): { plan: ExecutionPlan; errors: ValidationError[] } {
  const errors: ValidationError[] = [];
  const byId = new Map<string, PlannedNode>();

  for (const node of doc.nodes) {
    if (byId.has(node.id)) {
      errors.push({ nodeId: node.id, code: 'duplicate_node_id', message: `node id "${node.id}" is used more than once` });
      continue;
    }
    const def = registry.get(node.type);
    if (!def) {
      errors.push({ nodeId: node.id, code: 'unknown_node_type', message: `unknown node type "${node.type}"` });
      continue;
    }
    const params = checkParams(node.id, def, node.params, node.typeVersion, errors);
    byId.set(node.id, { id: node.id, def, params, paramInputs: {}, inputs: {}, dependants: [], bypass: node.bypass === true, inputKinds: {}, outputKinds: {} });
  }
  const outputKindOf = anyOutputResolver(doc, byId);

  const knownNode = (id: string) => byId.has(id) || doc.nodes.some((n) => n.id === id);
  /** Wires an input; an unresolved source kind (an `any` output fed by nothing, reported there) is not checked. */
  const connect = (targetId: string, port: string, source: InputSource, sourceKind: PortKind | undefined, what: string) => {
    const target = byId.get(targetId);
    if (!target) return;
    const spec = Object.hasOwn(target.def.inputs, port) ? target.def.inputs[port] : undefined;
    if (!spec) {
      errors.push({ nodeId: targetId, port, code: 'unknown_port', message: `${target.def.type} has no input "${port}"` });
      return;
    }
    if (sourceKind !== undefined && !canConnect(sourceKind, spec.kind)) {
      errors.push({
        nodeId: targetId,
        port,
        code: 'incompatible_ports',
        message: `${what} gives ${sourceKind} but input "${port}" takes ${spec.kind}`,
      });
      return;
    }
    if (target.inputs[port]) {
      errors.push({ nodeId: targetId, port, code: 'duplicate_connection', message: `input "${port}" has more than one source` });
      return;
    }
    target.inputs[port] = source;
    const carried = spec.kind === 'any' ? sourceKind : spec.kind;
    if (carried) target.inputKinds[port] = carried;
  };

  for (const edge of doc.edges) {
    const { from, to } = edge;
    for (const end of [from, to]) {
      if (!knownNode(end.node)) {
        errors.push({
          nodeId: end === from ? to.node : from.node,
          port: end === from ? to.port : from.port,
          code: 'dangling_edge',
          message: `edge ${from.node}.${from.port} → ${to.node}.${to.port} refers to missing node "${end.node}"`,
        });
      }
    }
    const source = byId.get(from.node);
    if (!source || !byId.has(to.node)) continue;
    if (!Object.hasOwn(source.def.outputs, from.port)) {
      errors.push({ nodeId: from.node, port: from.port, code: 'unknown_port', message: `${source.def.type} has no output "${from.port}"` });
      continue;
    }
    connect(to.node, to.port, { from: 'node', node: from.node, port: from.port }, outputKindOf(from.node, from.port), `${from.node}.${from.port}`);
  }

  checkNames(doc.inputs.map((i) => i.name), 'graph input', errors);
  checkNames(doc.outputs.map((o) => o.name), 'graph output', errors);
  for (const input of doc.inputs) {
    for (const target of input.targets) {
      if (!knownNode(target.node)) {
        errors.push({ nodeId: null, code: 'dangling_edge', message: `graph input "${input.name}" targets missing node "${target.node}"` });
        continue;
      }
      if ('param' in target) {
        bindParam(byId.get(target.node), target.param, input, errors);
        continue;
      }
      connect(target.node, target.port, { from: 'graph', name: input.name }, input.kind, `graph input "${input.name}"`);
    }
  }
  for (const output of doc.outputs) {
    const source = byId.get(output.source.node);
    if (!source) {
      if (!knownNode(output.source.node)) {
        errors.push({ nodeId: null, code: 'dangling_edge', message: `graph output "${output.name}" reads missing node "${output.source.node}"` });
      }
      continue;
    }
    const kind = outputKindOf(source.id, output.source.port);
    if (!Object.hasOwn(source.def.outputs, output.source.port)) {
      errors.push({ nodeId: source.id, port: output.source.port, code: 'unknown_port', message: `${source.def.type} has no output "${output.source.port}"` });
    } else if (kind !== undefined && !canConnect(kind, output.kind)) {
      errors.push({
        nodeId: source.id,
        port: output.source.port,
        code: 'incompatible_ports',
        message: `graph output "${output.name}" is ${output.kind} but ${source.id}.${output.source.port} gives ${kind}`,
      });
    }
  }

  for (const node of byId.values()) {
    for (const port of Object.keys(node.def.outputs)) {
      const kind = outputKindOf(node.id, port);
      if (kind) node.outputKinds[port] = kind;
    }
    for (const [port, spec] of Object.entries(node.def.inputs)) {
      if (!spec.optional && !node.inputs[port]) {
        errors.push({ nodeId: node.id, port, code: 'missing_input', message: `required input "${port}" is not connected` });
      }
    }
    for (const source of Object.values(node.inputs)) {
      if (source.from === 'node') byId.get(source.node)?.dependants.push(node.id);
    }
  }

  const order = topologicalOrder([...byId.values()].map((n) => ({ id: n.id, dependants: n.dependants })));
  for (const cycle of order.cycles) {
    for (const id of cycle) {
      errors.push({ nodeId: id, code: 'cycle', message: `node is part of a cycle: ${[...cycle, cycle[0]].join(' → ')}` });
    }
  }
  const nodes = order.order.map((id) => byId.get(id)!);
  return { plan: { document: doc, nodes, byId }, errors };
}

/**
 * The kind of a node output: its declared kind, or for a `sameAs` output (a reroute, a value display) the kind of
 * what feeds the input it names, followed upstream through other such outputs. Undefined when the output does not
 * exist, or when nothing (or a cycle) feeds it: those are reported as missing_input / cycle on their own.
 */
function anyOutputResolver(doc: GraphDocument, byId: ReadonlyMap<string, PlannedNode>): (nodeId: string, port: string) => PortKind | undefined {
  const at = (node: string, port: string) => `${node}\u0000${port}`;
  // The first source of each node input (a second one is a duplicate_connection error).
  const feeds = new Map<string, { node: string; port: string } | { kind: PortKind }>();
  for (const edge of doc.edges) if (!feeds.has(at(edge.to.node, edge.to.port))) feeds.set(at(edge.to.node, edge.to.port), edge.from);
  for (const input of doc.inputs) {
    for (const target of input.targets) {
      if ('port' in target && !feeds.has(at(target.node, target.port))) feeds.set(at(target.node, target.port), { kind: input.kind });
    }
  }
  const resolved = new Map<string, PortKind | undefined>();
  const resolving = new Set<string>();
  const kindOf = (nodeId: string, port: string): PortKind | undefined => {
    const node = byId.get(nodeId);
    const spec = node && Object.hasOwn(node.def.outputs, port) ? node.def.outputs[port] : undefined;
    if (!spec) return undefined;
    if (spec.kind !== 'any') return spec.kind;
    const key = at(nodeId, port);
    if (resolved.has(key)) return resolved.get(key);
    if (resolving.has(key)) return undefined;
    resolving.add(key);
    const fed = spec.sameAs === undefined ? undefined : feeds.get(at(nodeId, spec.sameAs));
    const kind = fed === undefined ? undefined : 'kind' in fed ? fed.kind : kindOf(fed.node, fed.port);
    resolving.delete(key);
    resolved.set(key, kind);
    return kind;
  };
  return kindOf;
}

function checkParams(
  nodeId: string,
  def: AnyNodeDefinition,
  raw: Record<string, unknown>,
  typeVersion: number | undefined,
  errors: ValidationError[],
): Record<string, unknown> {
  if (typeVersion !== undefined && typeVersion > def.version) {
    errors.push({
      nodeId,
      code: 'node_version_newer',
      message: `params were written for ${def.type} v${typeVersion}; this server has v${def.version}`,
    });
    return {};
  }
  const migrated = typeVersion !== undefined && typeVersion < def.version && def.migrateParams ? def.migrateParams(raw, typeVersion) : raw;
  const known = def.params.shape;
  for (const name of Object.keys(migrated)) {
    if (!Object.hasOwn(known, name)) {
      errors.push({ nodeId, param: name, code: 'unknown_param', message: `${def.type} has no param "${name}"` });
    }
  }
  const parsed = def.params.safeParse(migrated);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const param = String(issue.path[0] ?? '');
    if (param && !Object.hasOwn(known, param)) continue;
    errors.push({ nodeId, param, code: 'invalid_param', message: `param "${issue.path.join('.')}": ${issue.message}` });
  }
  return {};
}

function bindParam(node: PlannedNode | undefined, param: string, input: GraphInput, errors: ValidationError[]): void {
  if (!node) return;
  if (!Object.hasOwn(node.def.params.shape, param)) {
    errors.push({ nodeId: node.id, param, code: 'unknown_param', message: `${node.def.type} has no param "${param}"` });
  } else if (input.kind === 'image' || input.kind === 'mask' || input.kind === 'boxes') {
    errors.push({ nodeId: node.id, param, code: 'incompatible_ports', message: `graph input "${input.name}" is ${input.kind}; params take plain values` });
  } else if (node.paramInputs[param]) {
    errors.push({ nodeId: node.id, param, code: 'duplicate_connection', message: `param "${param}" is set by more than one graph input` });
  } else {
    node.paramInputs[param] = input.name;
  }
}

function checkNames(names: string[], what: string, errors: ValidationError[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) errors.push({ nodeId: null, code: 'duplicate_name', message: `${what} "${name}" is declared twice` });
    seen.add(name);
  }
}

/** Turns schema issues into validation errors, naming the node when the issue sits inside one. */
function schemaErrors(error: z.ZodError, doc: unknown): ValidationError[] {
  return error.issues.slice(0, 50).map((issue) => {
    const [section, index, field] = issue.path;
    let nodeId: string | null = null;
    if (section === 'nodes' && typeof index === 'number' && isRecord(doc) && Array.isArray(doc.nodes)) {
      const node = doc.nodes[index];
      if (isRecord(node) && typeof node.id === 'string') nodeId = node.id;
    }
    const where = issue.path.length ? issue.path.join('.') : 'document';
    const code = section === 'version' || section === 'format' ? 'unsupported_version' : 'invalid_document';
    return {
      nodeId,
      ...(section === 'nodes' && field === 'params' && issue.path[3] !== undefined ? { param: String(issue.path[3]) } : {}),
      code,
      message: `${where}: ${issue.message}`,
    };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
