import { availableParallelism } from 'node:os';
import { defaultImageLimits, type ArtifactStore, type FileRoot, type ImageLimits, type NodeContext, type Provenance } from '../nodes/context';
import { isNodeError } from '../nodes/errors';
import type { NodeRegistry } from '../nodes/node-registry';
import { isPortValue, type PortValue } from '../nodes/ports';
import { nodeCacheKey, valueKey } from './cache-key';
import { resolveNodeParams } from './resolve-params';
import { bypassOutputs } from './bypass';
import { EventChannel } from './event-channel';
import { invokeNode } from './invoke-node';
import type { ResultCache, NodeOutputs } from './result-cache';
import type { NodeFailure, NodeOutcome, RunEvent, RunResult, RunStatus } from './run-events';
import { validateDocument, type ExecutionPlan, type PlannedNode } from './validate';
import { GraphValidationError, type ValidationError } from './validation-error';

export interface RunServices {
  artifacts: ArtifactStore;
  provenance?: Provenance;
  files?: FileRoot;
  limits?: Partial<ImageLimits>;
}

export interface RunOptions {
  registry: NodeRegistry;
  /** A graph document (any known version) or a plan validated earlier. */
  document: unknown;
  inputs?: Record<string, PortValue>;
  runId?: string;
  signal?: AbortSignal;
  services: RunServices;
  cache?: ResultCache;
  /** Most nodes running at once; independent branches run concurrently up to this. */
  concurrency?: number;
  /** Called synchronously for every event, in order (for fan-out without a consumer loop). */
  onEvent?: (event: RunEvent) => void;
}

export interface RunHandle {
  runId: string;
  /** Every event of the run, in order; single consumer. */
  events: AsyncIterable<RunEvent>;
  result: Promise<RunResult>;
  cancel(): void;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type EventBody = DistributiveOmit<RunEvent, 'seq' | 't'>;

let runCounter = 0;

/**
 * Starts a run. Throws GraphValidationError at once when the document or the
 * graph inputs are invalid; everything that goes wrong later is reported as
 * events and in the result, never thrown.
 */
export function startRun(options: RunOptions): RunHandle {
  const plan = planOf(options.document, options.registry);
  const graphInputs = resolveGraphInputs(plan, options.inputs ?? {});
  const runId = options.runId ?? `run-${process.pid}-${++runCounter}`;
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) controller.abort();

  const channel = new EventChannel<RunEvent>();
  const started = performance.now();
  let seq = 0;
  const emit = (body: EventBody) => {
    // Spreading a distributive union loses its discriminant for the checker; the shape is exact.
    const event = { ...body, seq: ++seq, t: performance.now() - started } as RunEvent;
    options.onEvent?.(event);
    channel.push(event);
  };

  const limits = { ...defaultImageLimits, ...options.services.limits };
  const concurrency = Math.max(1, options.concurrency ?? Math.min(4, availableParallelism()));
  const values = new Map<string, NodeOutputs>();
  const keys = new Map<string, string>();
  /** Outputs that pass an input on unchanged (bypassed and pass-through nodes): `node:port` → the key of that input's value. */
  const forwardedKeys = new Map<string, string>();
  const outcomes: Record<string, NodeOutcome> = {};
  const errors: NodeFailure[] = [];
  const pendingInputs = new Map<string, number>();
  const unreadBy = new Map<string, number>();
  const outputNodes = new Set(plan.document.outputs.map((o) => o.source.node));
  const ready: PlannedNode[] = [];
  let running = 0;
  let finished = false;

  for (const node of plan.nodes) {
    pendingInputs.set(node.id, Object.values(node.inputs).filter((s) => s.from === 'node').length);
    unreadBy.set(node.id, node.dependants.length);
  }

  const result = new Promise<RunResult>((resolve) => {
    const finish = (status: RunStatus) => {
      if (finished) return;
      finished = true;
      options.signal?.removeEventListener('abort', onAbort);
      for (const node of plan.nodes) {
        if (!outcomes[node.id]) {
          outcomes[node.id] = { status: status === 'cancelled' ? 'cancelled' : 'skipped' };
          emit({ type: 'node.skipped', nodeId: node.id, reason: 'cancelled' });
        }
      }
      const durationMs = performance.now() - started;
      emit({ type: 'run.finished', status, durationMs, errors });
      channel.close();
      const outputs: Record<string, PortValue> = {};
      for (const out of plan.document.outputs) {
        const value = values.get(out.source.node)?.[out.source.port];
        if (value !== undefined) outputs[out.name] = value;
      }
      resolve({ runId, status, durationMs, outputs, nodes: outcomes, errors });
    };

    controller.signal.addEventListener('abort', () => finish('cancelled'), { once: true });

    const skipDownstream = (failed: PlannedNode, upstream: string) => {
      for (const id of failed.dependants) {
        if (outcomes[id]) continue;
        outcomes[id] = { status: 'skipped' };
        emit({ type: 'node.skipped', nodeId: id, reason: 'upstream_failed', upstream });
        skipDownstream(plan.byId.get(id)!, upstream);
      }
    };

    const release = (node: PlannedNode) => {
      for (const source of Object.values(node.inputs)) {
        if (source.from !== 'node') continue;
        const left = unreadBy.get(source.node)! - 1;
        unreadBy.set(source.node, left);
        if (left === 0 && !outputNodes.has(source.node)) values.delete(source.node);
      }
    };

    const settle = (node: PlannedNode, failure: NodeFailure | undefined) => {
      running--;
      if (finished) return;
      if (failure) {
        errors.push(failure);
        skipDownstream(node, node.id);
      } else {
        for (const id of node.dependants) {
          const left = pendingInputs.get(id)! - 1;
          pendingInputs.set(id, left);
          if (left === 0 && !outcomes[id]) enqueue(plan.byId.get(id)!);
        }
      }
      pump();
    };

    const enqueue = (node: PlannedNode) => {
      emit({ type: 'node.queued', nodeId: node.id });
      ready.push(node);
    };

    const pump = () => {
      while (!finished && running < concurrency && ready.length > 0) {
        const node = ready.shift()!;
        running++;
        execute(node).then(
          (failure) => settle(node, failure),
          (error: unknown) => settle(node, failureOf(node.id, error)),
        );
      }
      if (!finished && running === 0 && ready.length === 0) finish(errors.length > 0 ? 'failed' : 'succeeded');
    };

    const execute = async (node: PlannedNode): Promise<NodeFailure | undefined> => {
      const nodeStart = performance.now();
      const inputs: Record<string, PortValue | undefined> = {};
      const inputKeys: Record<string, string> = {};
      for (const [port, source] of Object.entries(node.inputs)) {
        if (source.from === 'node') {
          inputs[port] = values.get(source.node)?.[source.port];
          inputKeys[port] = forwardedKeys.get(`${source.node}:${source.port}`) ?? `${keys.get(source.node)}:${source.port}`;
        } else {
          const given = graphInputs.get(source.name);
          inputs[port] = given?.value;
          inputKeys[port] = given ? `input:${given.key}` : 'input:none';
        }
      }
      for (const [param, name] of Object.entries(node.paramInputs)) {
        const given = graphInputs.get(name);
        inputKeys[`param:${param}`] = given ? `input:${given.key}` : 'input:none';
      }
      let params = node.params;
      const ctx: NodeContext = {
        runId,
        nodeId: node.id,
        signal: controller.signal,
        progress: (fraction, message) => {
          if (finished) return;
          const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
          emit({ type: 'node.progress', nodeId: node.id, fraction: clamped, ...(message ? { message } : {}) });
        },
        preview: (image, label) => {
          if (!finished) emit({ type: 'node.preview', nodeId: node.id, image, ...(label ? { label } : {}) });
        },
        artifacts: options.services.artifacts,
        files: options.services.files,
        limits,
        document: plan.document,
        ...(options.services.provenance ? { provenance: options.services.provenance } : {}),
      };
      try {
        if (node.bypass || node.def.passThrough) {
          // Nothing runs: the inputs go on as the outputs, under a key of their own; what reads an output
          // is keyed by the input's source, so inserting a reroute (or bypassing a node twice) re-runs nothing.
          const { outputs, from } = bypassOutputs(node, inputs);
          for (const [port, input] of Object.entries(from)) forwardedKeys.set(`${node.id}:${port}`, inputKeys[input]!);
          const type = node.bypass ? `bypass:${node.def.type}` : node.def.type;
          const cacheKey = nodeCacheKey({ type, version: node.def.version, params: {}, inputs: inputKeys });
          keys.set(node.id, cacheKey);
          values.set(node.id, outputs);
          release(node);
          const durationMs = performance.now() - nodeStart;
          outcomes[node.id] = { status: 'finished', cacheKey, durationMs };
          emit({ type: 'node.finished', nodeId: node.id, cacheKey, durationMs, outputs });
          return undefined;
        }
        params = resolveNodeParams(node, graphInputs);
        const fingerprint = node.def.fingerprint ? await node.def.fingerprint(params, ctx) : undefined;
        const cacheKey = nodeCacheKey({
          type: node.def.type,
          version: node.def.version,
          params,
          inputs: inputKeys,
          fingerprint,
        });
        keys.set(node.id, cacheKey);
        const hit = await options.cache?.get(cacheKey);
        if (finished) return undefined;
        if (hit) {
          values.set(node.id, hit);
          release(node);
          outcomes[node.id] = { status: 'cached', cacheKey, durationMs: performance.now() - nodeStart };
          emit({ type: 'node.cached', nodeId: node.id, cacheKey, outputs: hit });
          return undefined;
        }
        emit({ type: 'node.started', nodeId: node.id });
        const outputs = await invokeNode(node.def, inputs, params, ctx);
        if (finished) return undefined;
        values.set(node.id, outputs);
        release(node);
        const durationMs = performance.now() - nodeStart;
        outcomes[node.id] = { status: 'finished', cacheKey, durationMs };
        emit({ type: 'node.finished', nodeId: node.id, cacheKey, durationMs, outputs });
        await options.cache?.set(cacheKey, outputs);
        return undefined;
      } catch (error) {
        if (finished) return undefined;
        const failure = failureOf(node.id, error);
        const durationMs = performance.now() - nodeStart;
        outcomes[node.id] = { status: 'failed', durationMs };
        emit({ type: 'node.failed', nodeId: node.id, error: failure, durationMs });
        return failure;
      }
    };

    emit({ type: 'run.started', runId, nodeIds: plan.nodes.map((n) => n.id) });
    if (controller.signal.aborted) {
      finish('cancelled');
      return;
    }
    for (const node of plan.nodes) if (pendingInputs.get(node.id) === 0) enqueue(node);
    pump();
  });

  return { runId, events: channel, result, cancel: () => controller.abort() };
}

/** Validates a document (or accepts a ready plan) and throws the structured errors when it is invalid. */
export function planOf(document: unknown, registry: NodeRegistry): ExecutionPlan {
  if (isPlan(document)) return document;
  const validated = validateDocument(document, registry);
  if (!validated.ok) throw new GraphValidationError(validated.errors);
  return validated.plan;
}

function isPlan(value: unknown): value is ExecutionPlan {
  return typeof value === 'object' && value !== null && 'byId' in value && value.byId instanceof Map;
}

function resolveGraphInputs(plan: ExecutionPlan, given: Record<string, PortValue>): Map<string, { value: PortValue; key: string }> {
  const resolved = new Map<string, { value: PortValue; key: string }>();
  const problems: ValidationError[] = [];
  for (const name of Object.keys(given)) {
    if (!plan.document.inputs.some((i) => i.name === name)) {
      problems.push({ nodeId: null, code: 'invalid_graph_input', message: `the graph has no input "${name}"` });
    }
  }
  for (const input of plan.document.inputs) {
    const value = Object.hasOwn(given, input.name) ? given[input.name] : input.default;
    if (value === undefined) {
      if (input.required) problems.push({ nodeId: null, code: 'missing_graph_input', message: `graph input "${input.name}" (${input.kind}) is required` });
      continue;
    }
    if (!isPortValue(input.kind, value)) {
      problems.push({ nodeId: null, code: 'invalid_graph_input', message: `graph input "${input.name}" must be ${input.kind}` });
      continue;
    }
    resolved.set(input.name, { value, key: valueKey(value) });
  }
  if (problems.length > 0) throw new GraphValidationError(problems);
  return resolved;
}

function failureOf(nodeId: string, error: unknown): NodeFailure {
  if (isNodeError(error)) {
    return {
      nodeId,
      code: error.code,
      message: error.message,
      ...(error.details.port ? { port: error.details.port } : {}),
      ...(error.details.param ? { param: error.details.param } : {}),
    };
  }
  if (error instanceof Error && error.name === 'AbortError') return { nodeId, code: 'cancelled', message: 'cancelled' };
  const message = error instanceof Error ? error.message : String(error);
  return { nodeId, code: 'node_crashed', message: message.split('\n')[0]!.slice(0, 500) };
}
