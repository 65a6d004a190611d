import { Redis, type RedisOptions } from 'ioredis';

/**
 * A connection to the Redis at `url`. BullMQ's blocking connections need
 * `maxRetriesPerRequest: null`; commands then wait for a reconnect instead of
 * failing, which is what workers and the web server both want.
 */
export function connectRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false, ...options });
}
