import { z } from 'zod';
import type { IndexedResult } from '../ports/result-index';
import { zOutputSummaries } from '../runs/wire-events';

/** A ResultIndex entry as stored (JSON); checked on every read, since another process wrote it. */
export const zIndexedResult = z.object({ outputs: zOutputSummaries });

/** Cache keys are sha256 hex (engine/cache-key.ts); anything else is never stored or looked up. */
export const indexKeyPattern = /^[0-9a-f]{64}$/;

/** The entry in a stored text, or undefined when it is not JSON or not an entry (a miss, never an error). */
export function parseIndexedResult(text: string | null | undefined): IndexedResult | undefined {
  if (typeof text !== 'string') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = zIndexedResult.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
