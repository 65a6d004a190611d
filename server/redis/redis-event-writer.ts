import type { Redis } from 'ioredis';
import type { WireEvent } from '../runs/wire-events';
import type { RedisKeys } from './redis-keys';

/** Seconds a live run's keys are kept (renewed by every append). */
export const liveTtlSeconds = 7 * 24 * 3600;

/**
 * Appends one event atomically: refuses events of an attempt older than the
 * newest one that wrote (a worker that lost its job must not interleave with
 * the one that took it over) and anything after the log ended; gives the event
 * the run's next seq and adds it as stream entry `<seq>-1`. Returns the seq, or 0 when refused.
 */
const appendScript = `
if redis.call('EXISTS', KEYS[4]) == 1 then return 0 end
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
local attempt = tonumber(ARGV[1])
if attempt < current then return 0 end
local ttl = tonumber(ARGV[3])
if attempt > current then redis.call('SET', KEYS[2], attempt, 'EX', ttl) else redis.call('EXPIRE', KEYS[2], ttl) end
local seq = redis.call('INCR', KEYS[3])
redis.call('EXPIRE', KEYS[3], ttl)
redis.call('XADD', KEYS[1], seq .. '-1', 'e', ARGV[2])
redis.call('EXPIRE', KEYS[1], ttl)
return seq
`;

/** Ends a log once: the end marker takes the next id; keys then expire after `ARGV[1]` seconds. Returns 1 the first time. */
const endScript = `
if redis.call('SET', KEYS[4], '1', 'NX', 'EX', ARGV[1]) == false then return 0 end
local seq = redis.call('INCR', KEYS[3])
redis.call('XADD', KEYS[1], seq .. '-1', 'end', '1')
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], ARGV[1]) end
return 1
`;

/** Writes run events into the per-run Redis streams: used by workers (events) and by the web side (ends, queue-made events). */
export class RedisEventWriter {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  private runKeys(runId: string): string[] {
    return [this.keys.events(runId), this.keys.attempt(runId), this.keys.seq(runId), this.keys.ended(runId)];
  }

  /** Appends an event; resolves to its seq, or 0 when the log refused it (older attempt, or ended). */
  async append(runId: string, event: WireEvent): Promise<number> {
    const seq = await this.redis.eval(appendScript, 4, ...this.runKeys(runId), String(event.attempt), JSON.stringify(event), String(liveTtlSeconds));
    return Number(seq);
  }

  /** The newest attempt that wrote events (0 when none did). */
  async currentAttempt(runId: string): Promise<number> {
    return Number((await this.redis.get(this.keys.attempt(runId))) ?? 0);
  }

  /** The (attempt, seq) of the last event in the log, if any. */
  async lastEvent(runId: string): Promise<{ attempt: number; seq: number } | undefined> {
    const entries = (await this.redis.xrevrange(this.keys.events(runId), '+', '-', 'COUNT', 5)) as [string, string[]][];
    for (const [, fields] of entries) {
      const at = fields.indexOf('e');
      if (at < 0 || at % 2 !== 0) continue;
      try {
        const event = JSON.parse(fields[at + 1]!) as { attempt?: unknown; seq?: unknown };
        if (typeof event.attempt === 'number' && typeof event.seq === 'number') return { attempt: event.attempt, seq: event.seq };
      } catch {
        // unreadable entry: look further back
      }
    }
    return undefined;
  }

  /** Ends the log; true the first time. Keys expire after `keepSeconds`, when the database has it all. */
  async end(runId: string, keepSeconds = 3600): Promise<boolean> {
    return Number(await this.redis.eval(endScript, 4, ...this.runKeys(runId), String(keepSeconds))) === 1;
  }
}
