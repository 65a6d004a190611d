import type { WorkerInfo } from '../redis/worker-registry';
import type { RunRequirements } from './run-requirements';

const hasGpu = (worker: WorkerInfo) => worker.capabilities.providers.some((p) => p !== 'cpu');

/** Whether this worker has what the run needs: every model, and a GPU when one is required. */
export function workerCanTake(worker: WorkerInfo, requires: RunRequirements): boolean {
  const models = new Set(worker.capabilities.models.map((m) => m.id));
  if (!requires.models.every((m) => models.has(m))) return false;
  return requires.accelerator !== 'required' || hasGpu(worker);
}

/**
 * Whether a worker should leave a run it could take to a better one: a CPU
 * worker defers a run that prefers a GPU while an idle GPU worker can take it.
 */
export function shouldDefer(worker: WorkerInfo, requires: RunRequirements, live: WorkerInfo[]): boolean {
  if (requires.accelerator !== 'preferred' || hasGpu(worker)) return false;
  return live.some((other) => other.id !== worker.id && hasGpu(other) && other.state === 'idle' && workerCanTake(other, requires));
}

export type RoutingProblem = { code: 'no_worker' | 'no_capable_worker'; message: string; missingModels: string[]; needsGpu: boolean };

/** At enqueue: which connected workers can take the run, or a typed problem naming what is missing. */
export function routeRun(requires: RunRequirements, live: WorkerInfo[]): { ok: true; candidates: WorkerInfo[] } | { ok: false; problem: RoutingProblem } {
  if (live.length === 0) {
    return {
      ok: false,
      problem: { code: 'no_worker', message: 'no worker is connected: start one with `pixelwire worker` (same REDIS_URL and blob store)', missingModels: [], needsGpu: false },
    };
  }
  const candidates = live.filter((w) => workerCanTake(w, requires));
  if (candidates.length > 0) return { ok: true, candidates };
  const everywhere = new Set(live.flatMap((w) => w.capabilities.models.map((m) => m.id)));
  const missingModels = requires.models.filter((m) => !everywhere.has(m));
  const needsGpu = requires.accelerator === 'required' && !live.some(hasGpu);
  const parts = [
    ...(missingModels.length > 0 ? [`none has ${missingModels.join(', ')}`] : []),
    ...(needsGpu ? ['none has a GPU'] : []),
    ...(missingModels.length === 0 && !needsGpu ? [`none has all of ${requires.models.join(', ')}${requires.accelerator === 'required' ? ' and a GPU' : ''}`] : []),
  ];
  return {
    ok: false,
    problem: {
      code: 'no_capable_worker',
      message: `no connected worker can run this graph (${live.length} connected): ${parts.join('; ')}`,
      missingModels,
      needsGpu,
    },
  };
}
