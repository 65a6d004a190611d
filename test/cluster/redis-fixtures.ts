import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { redisKeys, type RedisKeys } from '../../server/redis/redis-keys';
import { zWireEvent, type WireEvent } from '../../server/runs/wire-events';

/** The Redis the machine starts (CI starts it when down). */
export const redisUrl = process.env.PIXELWIRE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface RedisTestConfig {
  url: string;
  keys: RedisKeys;
  prefix: string;
  /** Deletes every key under this test's prefix. */
  cleanup(): Promise<void>;
}

/** A unique key prefix per test file run, so tests never see each other's queues, streams or workers. */
export function redisTestConfig(name: string): RedisTestConfig {
  const prefix = `pwtest-${name}-${randomBytes(4).toString('hex')}`;
  return {
    url: redisUrl,
    keys: redisKeys(prefix),
    prefix,
    cleanup: async () => {
      const redis = new Redis(redisUrl);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
          cursor = next;
          if (keys.length > 0) await redis.del(...keys);
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}

/** Every event in a run's Redis stream, in order (the end marker left out). */
export async function readRunStream(config: { url: string; keys: RedisKeys }, runId: string): Promise<WireEvent[]> {
  const redis = new Redis(config.url);
  try {
    const entries = (await redis.xrange(config.keys.events(runId), '-', '+')) as [string, string[]][];
    return entries.flatMap(([, fields]) => (fields[0] === 'e' ? [zWireEvent.parse(JSON.parse(fields[1]!))] : []));
  } finally {
    redis.disconnect();
  }
}

/** Waits for the first event of a run's Redis stream that passes `test` (blocking reads, no sleeps). */
export async function waitForStreamEvent(config: { url: string; keys: RedisKeys }, runId: string, test: (event: WireEvent) => boolean, timeoutMs = 30_000): Promise<WireEvent> {
  const redis = new Redis(config.url);
  const deadline = Date.now() + timeoutMs;
  let cursor = '0-0';
  try {
    while (Date.now() < deadline) {
      const reply = (await redis.xread('BLOCK', 1000, 'STREAMS', config.keys.events(runId), cursor)) as [string, [string, string[]][]][] | null;
      for (const [id, fields] of reply?.[0]?.[1] ?? []) {
        cursor = id;
        if (fields[0] !== 'e') continue;
        const event = zWireEvent.parse(JSON.parse(fields[1]!));
        if (test(event)) return event;
      }
    }
    throw new Error(`no matching event of run ${runId} within ${timeoutMs} ms`);
  } finally {
    redis.disconnect();
  }
}
