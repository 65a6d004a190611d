import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import type { ResultIndex } from '../ports/result-index';
import { DiskResultIndex } from './disk-result-index';
import { RedisResultIndex, type RedisResultIndexOptions } from './redis-result-index';

export interface ResultIndexConfig extends RedisResultIndexOptions {
  /** Root of this machine's data (the index lives in `<dataDir>/result-index` when Redis is not used). */
  dataDir: string;
  /** `redis://…`: one index for every worker of the cluster, in Redis. */
  redisUrl?: string;
}

export interface ClosableResultIndex extends ResultIndex {
  /** Closes the Redis connection the factory opened (nothing for the disk index). */
  close(): Promise<void>;
}

/**
 * The ResultIndex for a process: Redis when a URL is given (set REDIS_URL), else JSON
 * files under dataDir — the embedded default, shared by the worker processes of one machine.
 */
export function createResultIndex(config: ResultIndexConfig): ClosableResultIndex {
  if (!config.redisUrl) {
    const index = new DiskResultIndex(join(resolve(config.dataDir), 'result-index'));
    return { get: (key) => index.get(key), set: (key, result) => index.set(key, result), close: async () => undefined };
  }
  // A lookup waits for at most a couple of reconnection attempts: a lost Redis makes misses, not stalled runs.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  redis.on('error', () => undefined); // reported through the commands that fail
  const index = new RedisResultIndex(redis, config);
  return {
    get: (key) => index.get(key),
    set: (key, result) => index.set(key, result),
    close: async () => {
      // A connection never opened (lazyConnect) has nothing to say goodbye to.
      if (redis.status === 'wait') redis.disconnect();
      else await redis.quit().catch(() => redis.disconnect());
    },
  };
}
