import { TRPCClientError } from '@trpc/client';
import type { JsonValue } from '../../../../nodes/ports';

/** A declared input of a run link, as shares.open describes it. */
export interface AppInput {
  name: string;
  kind: string;
  required: boolean;
  default?: unknown;
  description?: string;
}

export const isImageKind = (kind: string) => kind === 'image' || kind === 'mask';
export const isJsonKind = (kind: string) => kind === 'json' || kind === 'boxes';

/** What the form starts with: each input's default (JSON kinds as text to edit). */
export function initialFormValues(inputs: readonly AppInput[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const input of inputs) {
    if (input.default === undefined) continue;
    values[input.name] = isJsonKind(input.kind) ? JSON.stringify(input.default, null, 2) : input.default;
  }
  return values;
}

/**
 * The inputs of shares.run from the form's values, or the problems that stop the run by input name:
 * a required input with no value and no default, a number that is not one, JSON that does not parse.
 */
export function formInputs(inputs: readonly AppInput[], values: Record<string, unknown>): { inputs: Record<string, JsonValue>; problems: Record<string, string> } {
  const out: Record<string, JsonValue> = {};
  const problems: Record<string, string> = {};
  for (const input of inputs) {
    const raw = values[input.name];
    const empty = raw === undefined || raw === null || raw === '';
    if (empty && input.kind !== 'text') {
      if (input.required && input.default === undefined) problems[input.name] = isImageKind(input.kind) ? `${input.name} is required: upload an image` : `${input.name} is required`;
      continue;
    }
    if (input.kind === 'number') {
      const n = typeof raw === 'number' ? raw : Number(raw);
      if (!Number.isFinite(n)) problems[input.name] = `${input.name} must be a number`;
      else out[input.name] = n;
    } else if (isJsonKind(input.kind)) {
      try {
        out[input.name] = JSON.parse(String(raw)) as JsonValue;
      } catch {
        problems[input.name] = `${input.name} must be valid JSON`;
      }
    } else if (input.kind === 'boolean') {
      out[input.name] = raw === true;
    } else if (input.kind === 'text') {
      if (empty && input.required && input.default === undefined) problems[input.name] = `${input.name} is required`;
      else if (raw !== undefined && raw !== null) out[input.name] = String(raw);
    } else {
      out[input.name] = String(raw);
    }
  }
  return { inputs: out, problems };
}

/** The server's refusals that name an input (`details.validationErrors[].input`), by input name. */
export function serverInputProblems(error: unknown): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!(error instanceof TRPCClientError)) return problems;
  const list = ((error.data ?? {}) as { details?: { validationErrors?: unknown } }).details?.validationErrors;
  if (!Array.isArray(list)) return problems;
  for (const item of list) {
    if (item && typeof item === 'object' && typeof (item as { input?: unknown }).input === 'string' && typeof (item as { message?: unknown }).message === 'string') {
      const { input, message } = item as { input: string; message: string };
      problems[input] ??= message;
    }
  }
  return problems;
}
