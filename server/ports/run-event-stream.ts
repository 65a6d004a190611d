import type { WireEvent } from '../runs/wire-events';

/** One event of a run as stored and streamed: its position in the run's log and the event itself. */
export interface LoggedEvent {
  seq: number;
  event: WireEvent;
}

/**
 * The durable log of a run's events, as watchers read it. Each event gets the
 * next `seq` of its run (1, 2, …, across attempts); any number of watchers
 * follow a run and resume after a seq. Embedded default: memory while the run
 * is live plus the database (RunEventLog). With `REDIS_URL`: a Redis stream per
 * run that workers on other machines append to and any web instance reads
 * (RedisRunEventStream); both copy the log into the database before the run is
 * marked ended.
 */
export interface RunEventStream {
  /** Events after `afterSeq`, then new ones as they come, until the run's log ends or the signal aborts. */
  follow(runId: string, afterSeq: number, signal: AbortSignal | undefined): AsyncGenerator<LoggedEvent>;
  /** Makes the run's log complete in the database (idempotent). */
  persist(runId: string): Promise<void>;
  /** Ends the run's log once it is persisted: watchers finish. Idempotent. */
  end(runId: string): Promise<void>;
  close(): Promise<void>;
}
