import type { WireEvent, WorkerRef } from '../../../server/runs/wire-events';
import { providerInMessage, providersLabel } from '../../_components/worker-format';

/** Where a run executed, as its events tell: the worker of each attempt and the provider of each model node. */
export interface RunExecution {
  /** One entry per attempt that started, in order; worker null for this server's embedded pool (which names none). */
  attempts: { attempt: number; worker: WorkerRef | null }[];
  /** Execution providers a node named in its progress messages ("onnxruntime: cuda"), from its latest attempt. */
  providers: Record<string, { attempt: number; providers: string[] }>;
}

export const emptyExecution: RunExecution = { attempts: [], providers: {} };

/** The state after one more event; the same object when the event tells nothing new (so React skips a render). */
export function applyExecutionEvent(state: RunExecution, event: WireEvent): RunExecution {
  if (event.type === 'run.started') {
    const attempts = [...state.attempts.filter((a) => a.attempt !== event.attempt), { attempt: event.attempt, worker: event.worker ?? null }];
    return { ...state, attempts: attempts.sort((a, b) => a.attempt - b.attempt) };
  }
  if (event.type !== 'node.progress') return state;
  const provider = providerInMessage(event.message);
  if (!provider) return state;
  const known = state.providers[event.nodeId];
  if (known && known.attempt > event.attempt) return state;
  const current = known && known.attempt === event.attempt ? known.providers : [];
  if (current.includes(provider)) return state;
  return { ...state, providers: { ...state.providers, [event.nodeId]: { attempt: event.attempt, providers: [...current, provider] } } };
}

/** "gpu-box-1 (CUDA, CPU)", or "this server" for the embedded pool. */
export function workerText(worker: WorkerRef | null): string {
  if (!worker) return 'this server';
  const name = worker.name ?? worker.id;
  return worker.providers && worker.providers.length > 0 ? `${name} (${providersLabel(worker.providers)})` : name;
}

/** Where the run executed: the last attempt's worker, and where earlier attempts ran when there were several. */
export function ranOnText(execution: RunExecution): string | undefined {
  const last = execution.attempts.at(-1);
  if (!last) return undefined;
  const earlier = execution.attempts.slice(0, -1).map((a) => `attempt ${a.attempt} on ${workerText(a.worker)}`);
  return earlier.length > 0 ? `${workerText(last.worker)}, attempt ${last.attempt} (${earlier.join('; ')})` : workerText(last.worker);
}
