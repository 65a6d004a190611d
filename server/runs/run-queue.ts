import type { RunJob, RunJobInput } from './run-job';
import type { RunRequirements } from './run-requirements';
import type { RunOutcome } from './run-outcome';
import type { WireEvent } from './wire-events';

export type RunEventListener = (runId: string, event: WireEvent) => void;
export type RunSettledListener = (runId: string, outcome: RunOutcome) => void;

export interface RunQueueStats {
  /** Most runs executing at once. */
  concurrency: number;
  /** Runs waiting for a worker, retries included. */
  queued: number;
  /** Runs on a worker now. */
  running: number;
  /** Worker processes (or remote workers) this queue knows of; pid only for processes on this machine. */
  workers: { pid?: number; id?: string; state: 'starting' | 'idle' | 'busy' | 'stopping'; runId?: string }[];
  /** Runs re-executed after their worker died, since the queue started. */
  retries: number;
  /** Worker processes that died unasked, since the queue started. */
  workerDeaths: number;
}

/**
 * Where the server hands runs to be executed away from its event loop. The
 * in-process implementation uses child processes; a durable one (BullMQ on
 * Redis, remote workers) keeps the same contract.
 *
 * Contract
 * - enqueue(job) resolves once the job is accepted (validated by zRunJob; a
 *   malformed job rejects). Enqueuing a runId that is still queued or running
 *   is a no-op, so producers may retry enqueue safely. Jobs start in FIFO order.
 * - Every accepted run settles: onSettled listeners get its outcome at least
 *   once (exactly once in-process; a durable queue may redeliver after a crash,
 *   so consumers must apply outcomes idempotently, e.g. only if the stored run
 *   is not final yet). The outcome is authoritative; the event stream is
 *   throttled, but it always ends with `run.finished`: when no worker finished
 *   the run (cancelled while queued, worker killed or crashed for good), the
 *   queue appends one itself (next seq of the last attempt) before settling.
 * - Events: per run, in order. Each carries (attempt, seq); that pair increases
 *   strictly along a run's stream. seq is 1-based and gap-free within an
 *   attempt. When a worker dies mid-run and the run is retried, the next
 *   attempt opens with `run.restarted` (attempt n+1, seq 0) and then starts
 *   again from seq 1: consumers drop what they showed of the earlier attempt.
 *   Events of an abandoned attempt never arrive after its `run.restarted`.
 *   Events of one run arrive before its outcome.
 * - cancel(runId) resolves true when the run was queued or running: a queued
 *   run leaves the queue and settles `cancelled` (attempts 0); a running one is
 *   told to stop and settles `cancelled` promptly (a worker that does not stop
 *   within a grace period is killed). It may still settle `succeeded` or
 *   `failed` when it finished first. false when the run is unknown or settled.
 * - Listeners are called synchronously and must not throw (a throw is reported
 *   and swallowed). The returned function unsubscribes.
 * - close() stops accepting jobs, settles whatever is still queued or running
 *   as `cancelled` (error code `queue_closed`), and resolves once nothing it
 *   started is left running. A durable queue (BullMQ) instead leaves its jobs
 *   to its workers, and a later instance picks up their outcomes.
 * - Events of a durable queue's remote workers go straight into the shared
 *   RunEventStream (Redis); its onEvent never fires. The in-process queue
 *   reports events through onEvent and the server logs them.
 */
export interface RunQueue {
  /** `requires` tells a queue with workers of different kinds which of them may take the run. */
  enqueue(job: RunJobInput | RunJob, requires?: RunRequirements): Promise<void>;
  cancel(runId: string): Promise<boolean>;
  onEvent(listener: RunEventListener): () => void;
  onSettled(listener: RunSettledListener): () => void;
  stats(): RunQueueStats | Promise<RunQueueStats>;
  close(): Promise<void>;
  /**
   * Durable queues keep runs across restarts of this process. For each run the
   * database still shows active, reconcile settles those the queue already
   * finished (through onSettled) and returns the ids it does not know: those
   * can never finish. A queue that is not durable knows none of them.
   */
  reconcile(runIds: string[]): Promise<string[]>;
}
