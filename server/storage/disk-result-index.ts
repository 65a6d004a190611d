import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IndexedResult, ResultIndex } from '../ports/result-index';
import { indexKeyPattern, parseIndexedResult } from './indexed-result';

/**
 * The embedded ResultIndex: one small JSON file per cache key under
 * `<dataDir>/result-index/ab/<key>.json`. Each write goes to a temp file that is
 * renamed into place, so a reader sees a whole entry or none; an unreadable or
 * malformed file is a miss. Shared by the worker processes of one machine.
 */
export class DiskResultIndex implements ResultIndex {
  constructor(readonly directory: string) {}

  private file(key: string): string {
    return join(this.directory, key.slice(0, 2), `${key}.json`);
  }

  async get(cacheKey: string): Promise<IndexedResult | undefined> {
    if (!indexKeyPattern.test(cacheKey)) return undefined;
    try {
      return parseIndexedResult(await readFile(this.file(cacheKey), 'utf8'));
    } catch {
      return undefined;
    }
  }

  async set(cacheKey: string, result: IndexedResult): Promise<void> {
    if (!indexKeyPattern.test(cacheKey)) return;
    const file = this.file(cacheKey);
    await mkdir(join(this.directory, cacheKey.slice(0, 2)), { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify(result));
      // Same key, same result: a writer that renames over another's entry changes nothing.
      await rename(tmp, file);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }
}
