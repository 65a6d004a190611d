import type { JsonValue } from '../../../../nodes/ports';
import type { InputField } from './run-inputs';

/** Inputs a batch can vary: one run per uploaded image, or per number or line of text. */
export type BatchSource = 'images' | 'values';

export function batchSource(field: InputField): BatchSource | undefined {
  return batchSourceOf(field.input.kind);
}

/** The same by an input's kind (the app-mode page knows inputs by name and kind only). */
export function batchSourceOf(kind: string): BatchSource | undefined {
  if (kind === 'image' || kind === 'mask') return 'images';
  if (kind === 'number' || kind === 'text') return 'values';
  return undefined;
}

/** The inputs a batch may vary, images first (what a batch over files wants). */
export function variableFields(fields: readonly InputField[]): InputField[] {
  const eligible = fields.filter((f) => batchSource(f) !== undefined);
  return [...eligible.filter((f) => batchSource(f) === 'images'), ...eligible.filter((f) => batchSource(f) === 'values')];
}

/**
 * A pasted list of values, one per line (blank lines skipped): numbers for a number input
 * (a line that is not a number is a problem naming its line), text as it is.
 */
export function parseValueList(kind: string, text: string): { values: JsonValue[]; problem?: string } {
  const lines = text.split(/\r?\n/).map((line, i) => ({ line: line.trim(), at: i + 1 })).filter((l) => l.line !== '');
  if (kind !== 'number') return { values: lines.map((l) => l.line) };
  const values: JsonValue[] = [];
  for (const { line, at } of lines) {
    const n = Number(line);
    if (!Number.isFinite(n)) return { values: [], problem: `line ${at} (“${line}”) is not a number` };
    values.push(n);
  }
  return { values };
}

/** One batch item per value of the varied input, each with the other inputs' values. */
export function batchItems(varied: string, values: readonly JsonValue[], others: Record<string, JsonValue>): { inputs: Record<string, JsonValue> }[] {
  return values.map((value) => ({ inputs: { ...others, [varied]: value } }));
}

/** What a batch's file picker takes: images, and ZIPs of images. */
export const batchFileTypes = 'image/*,.zip,application/zip,application/x-zip-compressed';

/** At most this many items a batch (the server's limit). */
export const maxBatchItems = 500;
