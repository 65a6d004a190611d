import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';

/**
 * What model code uses of an onnxruntime session. A real `ort.InferenceSession` is one; so is a
 * ThreadedSession, which runs the session on a thread of its own.
 */
export interface ModelSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata: readonly ort.InferenceSession.ValueMetadata[];
  run(feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.ReturnType>;
  release(): Promise<void>;
}

interface WireTensor {
  type: ort.Tensor.Type;
  data: ort.Tensor.DataType;
  dims: readonly number[];
}

type FromThread =
  | { type: 'ready'; inputNames: string[]; outputNames: string[]; inputMetadata: ort.InferenceSession.ValueMetadata[] }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; outputs: Record<string, WireTensor> }
  | { type: 'error'; id: number; message: string };

/** The thread's script: plain JavaScript beside this file (loads the same under tsx, vitest and Node). */
function threadScript(): string | undefined {
  try {
    const path = join(dirname(fileURLToPath(import.meta.url)), 'inference-thread.mjs');
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Whether sessions can run on threads here (PIXELWIRE_ORT_THREADS=0 keeps them on the calling thread). */
export function threadedSessionsAvailable(env: Record<string, string | undefined> = process.env): boolean {
  return env.PIXELWIRE_ORT_THREADS !== '0' && threadScript() !== undefined;
}

/**
 * Creates an onnxruntime session on its own worker thread. onnxruntime-node runs inference synchronously
 * on the calling thread, so a session on the worker's main thread blocks its event loop for the whole
 * inference: run events, previews and heartbeats wait behind it. On a thread, the main thread stays free.
 * Feeds are copied to the thread (callers may reuse their arrays); outputs come back as transferred copies.
 * Rejects with the session's own error when it cannot be created (a bad file, an unusable provider).
 */
export function createThreadedSession(path: string, options: ort.InferenceSession.SessionOptions): Promise<ModelSession> {
  const script = threadScript();
  if (!script) return Promise.reject(new Error('the inference thread script is missing'));
  // worker_threads is fetched at run time rather than imported: Next's bundler (Turbopack) treats a
  // `new Worker(path)` it can see as a module to bundle, and a path computed at run time as "every file".
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  const worker = new Worker(script, { workerData: { path, options } });
  worker.unref();
  const pending = new Map<number, { resolve(outputs: ort.InferenceSession.ReturnType): void; reject(error: Error): void }>();
  let nextId = 1;
  let ended: Error | undefined;
  let exited = false;
  const failAll = (error: Error) => {
    ended ??= error;
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  };

  return new Promise<ModelSession>((resolveSession, rejectSession) => {
    worker.on('error', (error) => {
      rejectSession(error);
      failAll(new Error(`the inference thread failed: ${error.message}`));
    });
    worker.on('exit', (code) => {
      exited = true;
      rejectSession(new Error(`the inference thread ended (${code}) before its session was ready`));
      failAll(new Error(`the inference thread ended (${code})`));
    });
    worker.on('message', (message: FromThread) => {
      switch (message.type) {
        case 'failed':
          rejectSession(new Error(message.message));
          return;
        case 'ready':
          resolveSession(session(message));
          return;
        case 'result':
        case 'error': {
          const call = pending.get(message.id);
          pending.delete(message.id);
          if (!call) return;
          if (message.type === 'error') call.reject(new Error(message.message));
          else call.resolve(Object.fromEntries(Object.entries(message.outputs).map(([name, t]) => [name, new ort.Tensor(t.type, t.data, t.dims)])));
        }
      }
    });
  });

  function session(ready: Extract<FromThread, { type: 'ready' }>): ModelSession {
    return {
      inputNames: ready.inputNames,
      outputNames: ready.outputNames,
      inputMetadata: ready.inputMetadata,
      run(feeds) {
        if (ended) return Promise.reject(ended);
        const id = nextId++;
        const wire: Record<string, WireTensor> = {};
        for (const [name, tensor] of Object.entries(feeds)) wire[name] = { type: tensor.type, data: tensor.data, dims: tensor.dims };
        return new Promise((resolve, reject) => {
          pending.set(id, { resolve, reject });
          // Held while a run is in flight, so a process waiting for its result does not exit under it.
          worker.ref();
          worker.postMessage({ type: 'run', id, feeds: wire });
        }).finally(() => {
          if (pending.size === 0) worker.unref();
        }) as Promise<ort.InferenceSession.ReturnType>;
      },
      async release() {
        if (ended || exited) return;
        ended = new Error('the session was released');
        worker.postMessage({ type: 'release' });
        // The thread releases its session and ends; one that hangs is stopped.
        const timer = setTimeout(() => void worker.terminate(), 5_000);
        if (!exited) await new Promise<void>((done) => worker.once('exit', () => done()));
        clearTimeout(timer);
      },
    };
  }
}
