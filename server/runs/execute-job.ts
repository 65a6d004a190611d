import { defaultImageLimits, type ArtifactStore, type FileRoot, type ImageLimits } from '../../nodes/context';
import { outputKind } from '../../nodes/define';
import type { NodeRegistry } from '../../nodes/node-registry';
import { isPixelImage, type PortValue } from '../../nodes/ports';
import { builtinRegistry } from '../../nodes/registry.ts';
import { startRun, type RunHandle } from '../../engine/executor';
import { TieredResultCache, type NodeOutputs, type ResultCache } from '../../engine/result-cache';
import type { RunEvent, RunResult } from '../../engine/run-events';
import { validateDocument, type ExecutionPlan } from '../../engine/validate';
import { GraphValidationError } from '../../engine/validation-error';
import type { IndexedResult, ResultIndex } from '../ports/result-index';
import { EventThrottle, type ThrottleOptions } from './event-throttle';
import { entryIsStored, IndexedResultCache, isImageSummary, summariesAreExact } from './indexed-results';
import { loadJobInputs } from './load-job-inputs';
import { scopedArtifactStore } from './scoped-artifacts';
import { runDeadline } from './run-deadline';
import { runProvenance } from './run-provenance';
import { graphInputValues } from '../../engine/resolve-params';
import type { RunJob } from './run-job';
import { bareOutcome, type RunOutcome } from './run-outcome';
import { OutputSummariser, type Summaries } from './summarise-outputs';
import type { OutputSummary, RunError, WireEvent } from './wire-events';

export interface ExecuteJobOptions {
  artifacts: ArtifactStore;
  /** What image.load may read on this worker (its PIXELWIRE_FILES_ROOT); undefined turns file loading off. */
  files?: FileRoot;
  /** Node types the document may use (default: every built-in node). */
  registry?: NodeRegistry;
  cache?: ResultCache;
  signal?: AbortSignal;
  /** Called for every wire event, in order (seq 1, 2, …). */
  onEvent?: (event: WireEvent) => void;
  /** Which execution of the run this is; stamped on every event. */
  attempt?: number;
  /** Most nodes of the run executing at once. */
  concurrency?: number;
  /** Progress/preview throttling (intervals, and a clock for tests). */
  throttle?: ThrottleOptions;
  /**
   * Cache key → stored outputs, shared with other workers. Every finished node's stored
   * summaries are written to it; a cached node it knows is reported from it (nothing
   * encoded or stored again); and when `cache` misses, the engine gets the outputs from
   * it, decoded from the artifact store, so nodes another worker finished are `cached` here.
   */
  resultIndex?: ResultIndex;
}

/**
 * Executes a run from its job alone and reports it as wire events: images go
 * to the artifact store (full PNG plus preview) and events carry references.
 * Progress and previews are throttled per node. Never throws for anything wrong
 * with the document, inputs or nodes: those end as a failed outcome with
 * structured errors. It throws only when onEvent does.
 */
export async function executeJob(job: RunJob, options: ExecuteJobOptions): Promise<RunOutcome> {
  // The job's wall-clock limit: when it passes, the run is stopped like a cancel but ends failed (run_timeout).
  const deadline = runDeadline(job.limits?.runTimeoutMs, options.signal);
  try {
    return await execute(job, { ...options, signal: deadline.signal }, deadline.error);
  } finally {
    deadline.clear();
  }
}

async function execute(job: RunJob, options: ExecuteJobOptions, stoppedBy: () => RunError | undefined): Promise<RunOutcome> {
  const started = performance.now();
  const attempt = options.attempt ?? 1;
  let seq = 0;
  const send = (event: WireEvent) => options.onEvent?.({ ...event, seq: ++seq });
  const rejected = (errors: RunError[]): RunOutcome => {
    const durationMs = performance.now() - started;
    send({ type: 'run.finished', attempt, seq: 0, t: durationMs, status: 'failed', durationMs, outputs: {}, errors });
    return bareOutcome(job.runId, 'failed', attempt, errors, durationMs);
  };

  const artifacts = job.artifacts ? scopedArtifactStore(options.artifacts, job.artifacts) : options.artifacts;
  const validated = validateDocument(job.document, options.registry ?? builtinRegistry);
  if (!validated.ok) return rejected(validated.errors);
  const plan = validated.plan;
  const { runTimeoutMs: _deadline, ...imageLimits } = job.limits ?? {};
  const limits = { ...defaultImageLimits, ...imageLimits };
  const inputs = await loadJobInputs(job.inputs, plan.document, artifacts, limits);
  if (inputs.errors.length > 0) return rejected(inputs.errors);
  const provenance = await runProvenance(job, plan, graphInputValues(plan.document.inputs, inputs.values));

  const summariser = new OutputSummariser(artifacts, { maxSide: job.previewMaxSide, format: job.previewFormat });
  // Index entries refer to outputs of earlier runs, which this run's scoped store would not show.
  const index = options.resultIndex && createIndexUse(options.resultIndex, options.artifacts, limits);
  const convert = createConverter(plan, summariser, attempt, index, stoppedBy);
  let deliveryError: { error: unknown } | undefined;
  const deliver = (wire: WireEvent | undefined) => {
    try {
      if (wire) send(wire);
    } catch (error) {
      deliveryError ??= { error };
    }
  };
  // Events that need no storage (queued, started, progress, failed, skipped) go out at once unless an
  // earlier event of the same node is still being stored: a node's events keep their order, but no node
  // waits for another node's full-size PNG. (A node.finished can so follow a later node's node.started;
  // seq numbers the events as sent.) Under CPU load those PNGs take seconds, and every status held behind
  // them made the editor look frozen.
  let chain = Promise.resolve();
  const storing = new Map<string, number>();
  const nodeOf = (event: RunEvent) => ('nodeId' in event ? event.nodeId : '');
  const throttle = new EventThrottle((event) => {
    const node = nodeOf(event);
    if (convert.isPlain(event) && !storing.get(node)) return deliver(convert.plain(event));
    storing.set(node, (storing.get(node) ?? 0) + 1);
    chain = chain
      .then(async () => {
        // A finished node's image outputs are previewed first: the preview goes out
        // in tens of milliseconds, the full-size PNG in the node.finished after it may take much longer.
        await convert.adoptIndexed(event);
        for (const preview of await convert.outputPreviews(event)) deliver(preview);
        deliver(await convert.event(event));
      })
      .catch((error: unknown) => {
        deliveryError ??= { error };
      })
      .finally(() => {
        const left = (storing.get(node) ?? 1) - 1;
        if (left > 0) storing.set(node, left);
        else storing.delete(node);
      });
  }, options.throttle);

  let handle: RunHandle;
  try {
    handle = startRun({
      registry: options.registry ?? builtinRegistry,
      document: plan,
      inputs: inputs.values,
      runId: job.runId,
      signal: options.signal,
      services: { artifacts, files: options.files, limits, provenance },
      cache: index ? index.engineCache(options.cache) : options.cache,
      concurrency: options.concurrency,
      onEvent: (event) => {
        convert.stamp(event);
        throttle.push(event);
      },
    });
  } catch (error) {
    throttle.close();
    if (error instanceof GraphValidationError) return rejected(error.errors);
    throw error;
  }
  convert.resolveResult(handle.result);
  const result = await handle.result;
  // The engine emits run.finished before its result resolves, so the chain now holds every event.
  await chain;
  throttle.close();
  if (deliveryError) throw deliveryError.error;
  const final = await convert.final;
  return {
    runId: job.runId,
    status: final.status,
    attempts: attempt,
    durationMs: result.durationMs,
    outputs: final.outputs,
    nodes: result.nodes,
    errors: final.errors,
    models: provenance.models,
  };
}

/** Engine events that carry images and so need the artifact store before they can be sent. */
const storedTypes = ['node.preview', 'node.cached', 'node.finished', 'run.finished'] as const;
const needsStorage = new Set<RunEvent['type']>(storedTypes);
type PlainEvent = Exclude<RunEvent, { type: (typeof storedTypes)[number] }>;

interface FinalSummary {
  status: RunResult['status'];
  outputs: Record<string, OutputSummary>;
  errors: RunError[];
}

type IndexUse = ReturnType<typeof createIndexUse>;

/** How one run reads and writes the ResultIndex; its failures are misses, never failed runs. */
function createIndexUse(index: ResultIndex, artifacts: ArtifactStore, limits: ImageLimits) {
  /** Entries the engine's cache was answered from in this run (their artifacts were just read). */
  const restored = new Map<string, IndexedResult>();
  let warned = false;
  return {
    /** The engine's cache: the worker's own tiers first, then the index. */
    engineCache(own: ResultCache | undefined): ResultCache {
      const fromIndex = new IndexedResultCache(index, artifacts, limits, (key, entry) => restored.set(key, entry));
      return own ? new TieredResultCache(own, fromIndex) : fromIndex;
    },
    /** The entry for a key whose artifacts are all stored, or undefined. */
    async lookup(cacheKey: string): Promise<IndexedResult | undefined> {
      const known = restored.get(cacheKey);
      if (known) return known;
      const entry = await index.get(cacheKey).catch(() => undefined);
      return entry && (await entryIsStored(entry, artifacts)) ? entry : undefined;
    },
    async record(cacheKey: string, outputs: NodeOutputs, summaries: Record<string, OutputSummary>): Promise<void> {
      if (!summariesAreExact(outputs, summaries)) return;
      try {
        await index.set(cacheKey, { outputs: summaries });
      } catch (error) {
        if (!warned) console.warn(`[pixelwire] result index: could not record a result (${error instanceof Error ? error.message : String(error)})`);
        warned = true;
      }
    },
  };
}

/** Turns engine events into wire events (seq set on sending), storing images on the way. */
function createConverter(
  plan: ExecutionPlan,
  summariser: OutputSummariser,
  attempt: number,
  index: IndexUse | undefined,
  /** Why the run was stopped when it was not cancelled by anyone (its time ran out): a cancelled run then fails with it. */
  stoppedBy: () => RunError | undefined = () => undefined,
) {
  const storeErrors: RunError[] = [];
  let resolveResult!: (result: Promise<RunResult>) => void;
  const result = new Promise<RunResult>((resolve) => {
    resolveResult = resolve;
  });
  let resolveFinal!: (final: FinalSummary) => void;
  const final = new Promise<FinalSummary>((resolve) => {
    resolveFinal = resolve;
  });

  // When the engine emitted each event (wall clock), kept while the event waits for throttling and storage.
  const emittedAt = new WeakMap<RunEvent, number>();
  const stamp = (event: RunEvent) => void emittedAt.set(event, Date.now());
  const base = (event: RunEvent) => {
    const at = emittedAt.get(event);
    return { attempt, seq: 0, t: event.t, ...(at === undefined ? {} : { at }) };
  };

  const noteFailures = (nodeId: string | null, summaries: Summaries) => {
    for (const f of summaries.failures) {
      storeErrors.push({ nodeId, port: f.port, code: 'output_store_failed', message: `could not store output: ${f.message}` });
    }
    return summaries.outputs;
  };
  const nodeOutputs = async (nodeId: string, outputs: Record<string, PortValue>) => {
    const def = plan.byId.get(nodeId)?.def;
    const summaries = await summariser.summarise(outputs, (port) => (def ? outputKind(def, port) : undefined));
    return noteFailures(nodeId, summaries);
  };
  /** Cached nodes whose images all came from the index: nothing to record again. */
  const answered = new WeakSet<RunEvent>();
  /** A finished or cached node's summaries, recorded in the index when every output was stored. */
  const storedOutputs = async (event: Extract<RunEvent, { type: 'node.finished' | 'node.cached' }>) => {
    const before = storeErrors.length;
    const summaries = await nodeOutputs(event.nodeId, event.outputs);
    if (index && storeErrors.length === before && !answered.has(event)) await index.record(event.cacheKey, event.outputs, summaries);
    return summaries;
  };

  /**
   * For a cached node the index knows: its images adopt their stored PNGs and previews, so
   * summarising them encodes and stores nothing. Runs before the node's previews are made.
   */
  async function adoptIndexed(event: RunEvent): Promise<void> {
    if (event.type !== 'node.cached' || !index) return;
    const entry = await index.lookup(event.cacheKey);
    if (!entry) return;
    let complete = Object.keys(entry.outputs).length === Object.keys(event.outputs).length;
    for (const [port, value] of Object.entries(event.outputs)) {
      const summary = entry.outputs[port];
      if (isPixelImage(value) && isImageSummary(summary)) complete = summariser.adopt(value, summary) && complete;
      else if (isPixelImage(value) || summary === undefined || isImageSummary(summary)) complete = false;
    }
    if (complete) answered.add(event);
  }

  /** node.preview events (label: the output port) for each image output of a finished or cached node. */
  async function outputPreviews(event: RunEvent): Promise<WireEvent[]> {
    if (event.type !== 'node.finished' && event.type !== 'node.cached') return [];
    const b = base(event);
    const previews: WireEvent[] = [];
    for (const [port, value] of Object.entries(event.outputs)) {
      if (!isPixelImage(value)) continue;
      const preview = await summariser.preview(value).catch(() => undefined);
      if (preview) previews.push({ ...b, type: 'node.preview', nodeId: event.nodeId, preview, label: port });
    }
    return previews;
  }

  function isPlain(event: RunEvent): event is PlainEvent {
    return !needsStorage.has(event.type);
  }

  function plain(event: PlainEvent): WireEvent {
    const b = base(event);
    switch (event.type) {
      case 'run.started':
        return { ...b, type: event.type, runId: event.runId, nodeIds: event.nodeIds };
      case 'node.queued':
      case 'node.started':
        return { ...b, type: event.type, nodeId: event.nodeId };
      case 'node.progress':
        return { ...b, type: event.type, nodeId: event.nodeId, fraction: event.fraction, ...(event.message ? { message: event.message } : {}) };
      case 'node.failed':
        return { ...b, type: event.type, nodeId: event.nodeId, error: event.error, durationMs: event.durationMs };
      case 'node.skipped':
        return { ...b, type: event.type, nodeId: event.nodeId, reason: event.reason, ...(event.upstream ? { upstream: event.upstream } : {}) };
    }
  }

  async function event(event: RunEvent): Promise<WireEvent | undefined> {
    if (isPlain(event)) return plain(event);
    const b = base(event);
    switch (event.type) {
      case 'node.preview': {
        // A preview that cannot be stored is dropped: it is a courtesy, not a result.
        const preview = await summariser.preview(event.image).catch(() => undefined);
        if (!preview) return undefined;
        return { ...b, type: event.type, nodeId: event.nodeId, preview, ...(event.label ? { label: event.label } : {}) };
      }
      case 'node.cached':
        return { ...b, type: event.type, nodeId: event.nodeId, cacheKey: event.cacheKey, outputs: await storedOutputs(event) };
      case 'node.finished':
        return {
          ...b,
          type: event.type,
          nodeId: event.nodeId,
          cacheKey: event.cacheKey,
          durationMs: event.durationMs,
          outputs: await storedOutputs(event),
        };
      case 'run.finished': {
        const { outputs: values } = await result;
        const kinds = new Map(plan.document.outputs.map((o) => [o.name, o.kind]));
        const outputs = noteFailures(null, await summariser.summarise(values, (name) => kinds.get(name)));
        const stopped = event.status === 'cancelled' ? stoppedBy() : undefined;
        const errors: RunError[] = [...event.errors, ...storeErrors, ...(stopped ? [stopped] : [])];
        const status = stopped || (event.status === 'succeeded' && storeErrors.length > 0) ? 'failed' : event.status;
        resolveFinal({ status, outputs, errors });
        return { ...b, type: event.type, status, durationMs: event.durationMs, outputs, errors };
      }
    }
  }

  return { isPlain, plain, event, adoptIndexed, outputPreviews, stamp, resolveResult, final };
}
