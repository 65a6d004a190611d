import type { Prisma, PrismaClient } from '../db/generated/client';
import type { LoggedEvent, RunEventStream } from '../ports/run-event-stream';
import type { WireEvent } from '../runs/wire-events';

export type { LoggedEvent };

interface LiveRun {
  events: LoggedEvent[];
  ended: boolean;
  /** Resolved and replaced whenever an event arrives or the run ends. */
  changed: Promise<void>;
  wake: () => void;
}

/**
 * The event log of runs: every event gets the next seq of its run, is kept in
 * memory while the run is live (so watchers get it at once) and written to the
 * database in small batches. A run's log is complete in the database before
 * the run is marked ended, so a watcher that arrives later reads it all from there.
 */
export class RunEventLog implements RunEventStream {
  private readonly live = new Map<string, LiveRun>();
  private pending: Prisma.RunEventCreateManyInput[] = [];
  private pendingArtifacts: Prisma.ArtifactCreateManyInput[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly flushDelayMs = 20,
  ) {}

  open(runId: string): void {
    if (this.live.has(runId)) return;
    const run: LiveRun = { events: [], ended: false, changed: Promise.resolve(), wake: () => undefined };
    renew(run);
    this.live.set(runId, run);
  }

  append(runId: string, event: WireEvent, artifacts: { sha256: string; mediaType: string; width?: number; height?: number }[]): void {
    const run = this.live.get(runId);
    if (!run || run.ended) return;
    const seq = run.events.length + 1;
    run.events.push({ seq, event });
    this.pending.push({ runId, seq, type: event.type, payload: event as Prisma.InputJsonValue });
    for (const a of artifacts) this.pendingArtifacts.push({ runId, sha256: a.sha256, mediaType: a.mediaType, size: 0, width: a.width, height: a.height });
    run.wake();
    this.timer ??= setTimeout(() => void this.flush(), this.flushDelayMs);
  }

  /** Writes everything appended so far; resolves when it is in the database. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const events = this.pending;
    const artifacts = this.pendingArtifacts;
    this.pending = [];
    this.pendingArtifacts = [];
    this.flushing = this.flushing.then(async () => {
      if (events.length > 0) await this.prisma.runEvent.createMany({ data: events, skipDuplicates: true });
      if (artifacts.length > 0) await this.prisma.artifact.createMany({ data: artifacts });
    });
    return this.flushing;
  }

  /** Events are appended in this process; persisting is writing what is pending. */
  async persist(): Promise<void> {
    await this.flush();
  }

  /** Marks a run ended once its events are stored; watchers finish, and the memory copy goes after a while. */
  async end(runId: string): Promise<void> {
    await this.flush();
    const run = this.live.get(runId);
    if (!run) return;
    run.ended = true;
    run.wake();
    setTimeout(() => this.live.delete(runId), 30_000).unref();
  }

  isLive(runId: string): boolean {
    const run = this.live.get(runId);
    return Boolean(run && !run.ended);
  }

  /**
   * Every event after `afterSeq`, then new ones as they come, until the run ends
   * or the signal aborts. A run not live in this process is read from the database.
   */
  async *follow(runId: string, afterSeq: number, signal: AbortSignal | undefined): AsyncGenerator<LoggedEvent> {
    let cursor = afterSeq;
    const run = this.live.get(runId);
    if (!run) {
      const rows = await this.prisma.runEvent.findMany({ where: { runId, seq: { gt: cursor } }, orderBy: { seq: 'asc' } });
      for (const row of rows) yield { seq: row.seq, event: row.payload as WireEvent };
      return;
    }
    const stop = aborted(signal);
    while (!signal?.aborted) {
      while (cursor < run.events.length) {
        const next = run.events[cursor]!;
        cursor = next.seq;
        yield next;
      }
      if (run.ended) return;
      await Promise.race([run.changed, stop]);
    }
  }

  async close(): Promise<void> {
    await this.flush();
  }
}

function renew(run: LiveRun): void {
  run.changed = new Promise<void>((resolve) => {
    run.wake = () => {
      renew(run);
      resolve();
    };
  });
}

function aborted(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => undefined);
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
