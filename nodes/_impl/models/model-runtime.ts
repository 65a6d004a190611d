import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { NodeError } from '../../errors';
import { ComputeSlots } from './compute-slots';
import { createThreadedSession, threadedSessionsAvailable, type ModelSession } from './threaded-session';

export type ExecutionProvider = 'cuda' | 'cpu';

export interface RuntimeConfig {
  /** Providers to try, in order (PIXELWIRE_EXECUTION_PROVIDERS=cuda,cpu). CPU is always the last resort. */
  providers: ExecutionProvider[];
  /** Sessions are evicted (least recently used first) when their model files add up to more than this. */
  maxCachedBytes: number;
  /**
   * onnxruntime's intra-op threads spin while waiting for work (its default): lowest latency for
   * small models on an idle machine, but they compete for cores with other workers.
   * PIXELWIRE_ORT_SPIN=0 turns it off for hosts where several workers share few cores.
   */
  spinning: boolean;
  /**
   * Model nodes running inference at once in this process (PIXELWIRE_MODEL_SLOTS; default 1:
   * on CPU one session already uses every core it is given, and a GPU runs one session at a time).
   */
  slots: number;
  /** onnxruntime intra-op threads per session (PIXELWIRE_MODEL_THREADS; default cores / slots), so slots × threads ≤ cores. */
  threads: number;
}

/** Enough for a float32 Stable Diffusion 1.5 export (UNet 3.4 GB + text encoder + VAE decoder ≈ 4.1 GB) beside the OCR and style models. */
export const defaultCacheMb = 6144;

export function runtimeConfigFromEnv(env: Record<string, string | undefined> = process.env, cores = availableParallelism()): RuntimeConfig {
  const names = (env.PIXELWIRE_EXECUTION_PROVIDERS ?? 'cpu').split(',').map((p) => p.trim().toLowerCase()).filter(Boolean);
  const providers = names.filter((p): p is ExecutionProvider => p === 'cuda' || p === 'cpu');
  const mb = Number(env.PIXELWIRE_MODEL_CACHE_MB ?? defaultCacheMb);
  const slots = positiveInteger(env.PIXELWIRE_MODEL_SLOTS) ?? 1;
  return {
    providers: providers.length > 0 ? providers : ['cpu'],
    maxCachedBytes: (Number.isFinite(mb) && mb > 0 ? mb : defaultCacheMb) * 1024 * 1024,
    spinning: env.PIXELWIRE_ORT_SPIN !== '0',
    slots,
    threads: positiveInteger(env.PIXELWIRE_MODEL_THREADS) ?? Math.max(1, Math.floor(cores / slots)),
  };
}

/** A setting's positive integer value; unset, empty or anything else means the default. */
function positiveInteger(text: string | undefined): number | undefined {
  const n = Number(text);
  return text !== undefined && text.trim() !== '' && Number.isInteger(n) && n > 0 ? n : undefined;
}

export interface LoadedModel {
  /** On a thread of its own where threads are available (see threaded-session.ts), else on this one. */
  session: ModelSession;
  /** The provider the session actually runs on. */
  provider: ExecutionProvider;
  path: string;
  bytes: number;
  /** The model file's size, mtime, ctime and inode when it was loaded: a file replaced since is loaded again. */
  stamp: string;
}

/** Where a missing model comes from, for the error message. */
export interface ModelSource {
  /** What the model is, e.g. "fast style model 'candy'". */
  what: string;
  /** Where to get it. */
  getFrom: string;
}

/**
 * onnxruntime sessions, created lazily, cached per model file and shared by all
 * nodes in a worker process, evicted by total model size. When CUDA is asked for
 * and cannot be used, sessions fall back to CPU and a warning says why.
 */
export class ModelRuntime {
  private readonly sessions = new Map<string, Promise<LoadedModel>>();
  private readonly sizes = new Map<string, number>();
  readonly warnings: string[] = [];
  /** The process's inference budget: `config.slots` model nodes at once. */
  readonly slots: ComputeSlots;

  constructor(readonly config: RuntimeConfig = runtimeConfigFromEnv()) {
    this.slots = new ComputeSlots(config.slots);
  }

  /**
   * Runs a model node's inference within the process's compute budget: fn runs holding one of
   * the `config.slots` slots, waiting in line for it (a cancelled signal ends the wait with an
   * AbortError, which the engine reports as `cancelled`). With sessions of `config.threads`
   * intra-op threads, model nodes then never ask for more cores than there are, while nodes
   * without models run beside them. Not reentrant: fn must not call inference again.
   */
  inference<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    return this.slots.run(signal, fn);
  }

  async load(path: string, source: ModelSource): Promise<LoadedModel> {
    const cached = this.sessions.get(path);
    if (cached) {
      this.sessions.delete(path);
      this.sessions.set(path, cached);
      const [model, stamp] = await Promise.all([cached, fileStamp(path)]);
      if (model.stamp === stamp) return model;
      // The file changed (or went) since its session was made: that session answers for another model.
      if (this.sessions.get(path) === cached) this.drop(path);
      return this.load(path, source);
    }
    const loading = this.create(path, source);
    this.sessions.set(path, loading);
    loading.then(
      (model) => {
        if (this.sessions.get(path) !== loading) return;
        this.sizes.set(path, model.bytes);
        this.evict(path);
      },
      () => {
        if (this.sessions.get(path) === loading) this.sessions.delete(path);
      },
    );
    return loading;
  }

  private drop(path: string): void {
    const loading = this.sessions.get(path);
    this.sessions.delete(path);
    this.sizes.delete(path);
    void loading?.then((m) => m.session.release()).catch(() => undefined);
  }

  private async create(path: string, source: ModelSource): Promise<LoadedModel> {
    const stamp = await fileStamp(path);
    if (stamp === undefined) throw new NodeError('model_missing', `${source.what} is not installed: put it at ${path} (get it from ${source.getFrom})`);
    const bytes = Number(stamp.split(':')[0]);
    for (const provider of this.config.providers) {
      try {
        const session = await this.open(path, { ...this.sessionOptions(), executionProviders: [provider] });
        return { session: guardRelease(session), provider, path, bytes, stamp };
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        if (provider === 'cuda') {
          this.warn(`CUDA was asked for but cannot be used (${reason}); running on CPU. GPU hosts install onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=cuda12.`);
          continue;
        }
        throw new NodeError('model_invalid', `${source.what} at ${path} could not be loaded: ${reason}`);
      }
    }
    // Only CUDA was listed and it failed: CPU is the last resort.
    try {
      const session = await this.open(path, { ...this.sessionOptions(), executionProviders: ['cpu'] });
      return { session: guardRelease(session), provider: 'cpu', path, bytes, stamp };
    } catch (error) {
      throw new NodeError('model_invalid', `${source.what} at ${path} could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private open(path: string, options: ort.InferenceSession.SessionOptions): Promise<ModelSession> {
    return threadedSessionsAvailable() ? createThreadedSession(path, options) : ort.InferenceSession.create(path, options);
  }

  /** The options every session is created with (benches use them for their bare sessions too). */
  sessionOptions(): ort.InferenceSession.SessionOptions {
    return {
      graphOptimizationLevel: 'all',
      intraOpNumThreads: this.config.threads,
      ...(this.config.spinning ? {} : { extra: { session: { intra_op: { allow_spinning: '0' } } } }),
    };
  }

  private warn(message: string): void {
    if (!this.warnings.includes(message)) {
      this.warnings.push(message);
      console.warn(`[pixelwire] ${message}`);
    }
  }

  /** Drops least recently used sessions until the cached models fit, never the one just loaded. */
  private evict(keep: string): void {
    let total = [...this.sizes.values()].reduce((a, b) => a + b, 0);
    for (const [path, loading] of this.sessions) {
      if (total <= this.config.maxCachedBytes) break;
      if (path === keep) continue;
      const size = this.sizes.get(path) ?? 0;
      this.sessions.delete(path);
      this.sizes.delete(path);
      total -= size;
      void loading.then((m) => m.session.release()).catch(() => undefined);
    }
  }

  cachedModels(): string[] {
    return [...this.sizes.keys()];
  }
}

/** size:mtime:ctime:inode of a file, or undefined when it cannot be read. */
async function fileStamp(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    return `${info.size}:${info.mtimeMs}:${info.ctimeMs}:${info.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Makes release() wait for runs in flight: an evicted session may still be running a
 * node's batch; it is freed when that run ends. Callers fetch sessions from the runtime
 * for each run rather than keeping them across runs.
 */
function guardRelease(session: ModelSession): ModelSession {
  let inFlight = 0;
  let releasing: (() => void) | undefined;
  const run = session.run.bind(session) as (...args: unknown[]) => Promise<ort.InferenceSession.ReturnType>;
  const release = session.release.bind(session);
  const freed = () => release().catch(() => undefined);
  Object.assign(session, {
    async run(...args: unknown[]) {
      inFlight++;
      try {
        return await run(...args);
      } finally {
        inFlight--;
        if (inFlight === 0 && releasing) releasing();
      }
    },
    release(): Promise<void> {
      if (inFlight === 0) return freed();
      return new Promise<void>((done) => {
        releasing = () => void freed().then(done);
      });
    },
  });
  return session;
}

let shared: ModelRuntime | undefined;
/** The worker process's one runtime. */
export function getModelRuntime(): ModelRuntime {
  shared ??= new ModelRuntime();
  return shared;
}
