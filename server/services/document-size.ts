import { defaultMaxDocumentBytes, serverConfigFromEnv } from '../config';
import { AppError } from './app-error';

let configured: number | undefined;
/** PIXELWIRE_MAX_DOCUMENT_BYTES, read once per process (graph saves and run starts share it). */
export function maxDocumentBytes(): number {
  configured ??= serverConfigFromEnv().maxDocumentBytes ?? defaultMaxDocumentBytes;
  return configured;
}

/**
 * The size of `value` written as JSON, in UTF-8 bytes, counted without building the text and without
 * recursion (a deeply nested value cannot overflow the stack here), stopping as soon as it passes `limit`.
 * Strings count their UTF-8 bytes and quotes; escapes are not counted, so this may undercount a string full of
 * control characters by their escapes (at most 5 bytes each).
 */
export function jsonByteLength(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let total = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0 && total <= limit) {
    const item = pending.pop();
    if (typeof item === 'string') total += Buffer.byteLength(item) + 2;
    else if (typeof item === 'number' || typeof item === 'boolean') total += String(item).length;
    else if (item === null || item === undefined) total += 4;
    else if (Array.isArray(item)) {
      total += 2 + Math.max(0, item.length - 1);
      for (const element of item) pending.push(element);
    } else if (typeof item === 'object') {
      const entries = Object.entries(item);
      total += 2 + Math.max(0, entries.length - 1);
      for (const [key, entry] of entries) {
        total += Buffer.byteLength(key) + 3;
        pending.push(entry);
      }
    }
  }
  return total;
}

/** Refuses a graph document larger than the limit (PAYLOAD_TOO_LARGE, with both sizes), before anything reads it. */
export function checkDocumentSize(document: unknown, limit = maxDocumentBytes()): void {
  const size = jsonByteLength(document, limit);
  if (size > limit) {
    throw new AppError('PAYLOAD_TOO_LARGE', `the graph document is over the limit of ${limit} bytes of JSON`, { limitBytes: limit });
  }
}
