import type { Redis } from 'ioredis';
import type { Prisma, PrismaClient } from '../db/generated/client';
import type { LoggedEvent, RunEventStream } from '../ports/run-event-stream';
import { zWireEvent, type WireEvent } from '../runs/wire-events';
import { artifactsOf } from '../services/event-artifacts';
import { RedisEventWriter } from './redis-event-writer';
import type { RedisKeys } from './redis-keys';

type StreamEntry = [id: string, fields: string[]];

/** How long one blocking read waits before it looks at the signal again. */
const blockMs = 2000;

/**
 * Run events in Redis streams (one per run, written by workers anywhere), read
 * by any web instance: followers block on the stream and resume after any seq;
 * when the stream has expired, the database has the whole log. `persist` copies
 * a run's stream into the database idempotently (rows keyed by (run, seq)).
 */
export class RedisRunEventStream implements RunEventStream {
  private readonly writer: RedisEventWriter;
  private readonly followers = new Set<Redis>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly prisma: PrismaClient,
  ) {
    this.writer = new RedisEventWriter(redis, keys);
  }

  /** Appends an event made on the web side (a run.finished for a run no worker finished). */
  append(runId: string, event: WireEvent): Promise<number> {
    return this.writer.append(runId, event);
  }

  async *follow(runId: string, afterSeq: number, signal: AbortSignal | undefined): AsyncGenerator<LoggedEvent> {
    const key = this.keys.events(runId);
    let cursor = `${Math.max(0, Math.floor(afterSeq))}-1`;
    // A run whose stream is gone (ended and expired, or from before Redis) is read from the database.
    if (!(await this.redis.exists(key)) && (await this.isEnded(runId))) {
      yield* this.fromDatabase(runId, afterSeq);
      return;
    }
    const connection = this.redis.duplicate();
    this.followers.add(connection);
    const stop = () => connection.disconnect();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      while (!signal?.aborted) {
        let reply: [string, StreamEntry[]][] | null;
        try {
          reply = (await connection.xread('COUNT', 200, 'BLOCK', blockMs, 'STREAMS', key, cursor)) as [string, StreamEntry[]][] | null;
        } catch (error) {
          if (signal?.aborted) return;
          throw error;
        }
        if (!reply) {
          // Nothing new: the log may have ended and expired while we waited.
          if (!(await this.redis.exists(key)) && (await this.isEnded(runId))) {
            yield* this.fromDatabase(runId, Number(cursor.split('-')[0]));
            return;
          }
          continue;
        }
        for (const [id, fields] of reply[0]![1]) {
          cursor = id;
          const entry = parseEntry(id, fields);
          if (entry === 'end') return;
          if (entry) yield entry;
        }
      }
    } finally {
      signal?.removeEventListener('abort', stop);
      this.followers.delete(connection);
      connection.disconnect();
    }
  }

  async persist(runId: string): Promise<void> {
    const entries = (await this.redis.xrange(this.keys.events(runId), '-', '+')) as StreamEntry[];
    const logged = entries.map(([id, fields]) => parseEntry(id, fields)).filter((e): e is LoggedEvent => Boolean(e) && e !== 'end');
    if (logged.length === 0) return;
    const stored = new Set((await this.prisma.runEvent.findMany({ where: { runId }, select: { seq: true } })).map((r) => r.seq));
    const fresh = logged.filter((e) => !stored.has(e.seq));
    if (fresh.length === 0) return;
    await this.prisma.runEvent.createMany({
      data: fresh.map(({ seq, event }) => ({ runId, seq, type: event.type, payload: event as Prisma.InputJsonValue })),
      skipDuplicates: true,
    });
    const artifacts = fresh.flatMap(({ event }) => artifactsOf(event).map((a) => ({ runId, sha256: a.sha256, mediaType: a.mediaType, size: 0, width: a.width, height: a.height })));
    if (artifacts.length > 0) await this.prisma.artifact.createMany({ data: artifacts });
    const started = logged.findLast((e) => e.event.type === 'run.started')?.event;
    if (started?.type === 'run.started' && started.worker) {
      await this.prisma.run.updateMany({ where: { id: runId }, data: { workerId: started.worker.id } });
    }
  }

  async end(runId: string): Promise<void> {
    await this.writer.end(runId);
  }

  /** Ends every follower and the stream's own connection (it owns the one it was given). */
  async close(): Promise<void> {
    for (const connection of this.followers) connection.disconnect();
    this.followers.clear();
    this.redis.disconnect();
  }

  private async isEnded(runId: string): Promise<boolean> {
    const run = await this.prisma.run.findUnique({ where: { id: runId }, select: { status: true } });
    return !run || (run.status !== 'queued' && run.status !== 'running');
  }

  private async *fromDatabase(runId: string, afterSeq: number): AsyncGenerator<LoggedEvent> {
    const rows = await this.prisma.runEvent.findMany({ where: { runId, seq: { gt: afterSeq } }, orderBy: { seq: 'asc' } });
    for (const row of rows) yield { seq: row.seq, event: row.payload as WireEvent };
  }
}

/** A stream entry as a logged event, 'end' for the end marker, undefined for anything unreadable. */
function parseEntry(id: string, fields: string[]): LoggedEvent | 'end' | undefined {
  const seq = Number(id.split('-')[0]);
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'end') return 'end';
    if (fields[i] === 'e') {
      const parsed = zWireEvent.safeParse(safeJson(fields[i + 1]!));
      return parsed.success ? { seq, event: parsed.data } : undefined;
    }
  }
  return undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
