import type { OutputSummary } from '../runs/wire-events';

/**
 * What a finished node produced, as every worker can reuse it: its outputs as
 * wire summaries (images are references to stored PNG artifacts and their
 * previews; small values inline). A hit costs no encode.
 */
export interface IndexedResult {
  outputs: Record<string, OutputSummary>;
}

/**
 * Cache key → stored result, shared by every worker that uses the same blob
 * store: local files by default, Redis when `REDIS_URL` is set.
 * Writes are idempotent (same key, same result); readers treat a missing or
 * malformed entry as a miss.
 */
export interface ResultIndex {
  get(cacheKey: string): Promise<IndexedResult | undefined>;
  set(cacheKey: string, result: IndexedResult): Promise<void>;
}
