import { Redis } from 'ioredis';
import type { IndexedResult, ResultIndex } from '../ports/result-index';
import { indexKeyPattern, parseIndexedResult } from './indexed-result';

export interface RedisResultIndexOptions {
  /** Prepended to every cache key (default `pw:result:`). */
  prefix?: string;
  /** How long an entry lives after it was last written, in seconds (default 30 days). */
  ttlSeconds?: number;
}

export const defaultResultTtlSeconds = 30 * 24 * 60 * 60;

/**
 * The scale-out ResultIndex: `SET <prefix><key> <json> EX <ttl>` in Redis, so every
 * worker of a cluster sees what any of them finished. A malformed value is a miss;
 * Redis being unreachable is an error (executeJob treats it as a miss and runs the node).
 * It uses the connection it is given and never closes it.
 */
export class RedisResultIndex implements ResultIndex {
  readonly prefix: string;
  readonly ttlSeconds: number;

  constructor(
    private readonly redis: Redis,
    options: RedisResultIndexOptions = {},
  ) {
    this.prefix = options.prefix ?? 'pw:result:';
    this.ttlSeconds = options.ttlSeconds ?? defaultResultTtlSeconds;
    if (!Number.isInteger(this.ttlSeconds) || this.ttlSeconds < 1) throw new RangeError(`ttlSeconds must be a positive integer, not ${this.ttlSeconds}`);
  }

  async get(cacheKey: string): Promise<IndexedResult | undefined> {
    if (!indexKeyPattern.test(cacheKey)) return undefined;
    return parseIndexedResult(await this.redis.get(this.prefix + cacheKey));
  }

  async set(cacheKey: string, result: IndexedResult): Promise<void> {
    if (!indexKeyPattern.test(cacheKey)) return;
    await this.redis.set(this.prefix + cacheKey, JSON.stringify(result), 'EX', this.ttlSeconds);
  }
}
