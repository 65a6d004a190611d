import { z } from 'zod';
import type { GraphInput } from '../../../../engine/graph-document';
import { isPortValue, type JsonValue, type PortKind } from '../../../../nodes/ports';
import { type ParamSchema, type ParamSpec, type WidgetKind } from './param-schema';

/**
 * The graph inputs a run from the editor asks for: one field per declared input,
 * with a param widget derived from its kind (refined by the node param it sets,
 * so a colour param gets the colour picker and a bounded number a slider).
 */
export interface InputField {
  input: GraphInput;
  /** What the param widget renders: named after the input, with the input's default. */
  spec: ParamSpec;
  /** Whether the run cannot go without a value from the caller (required, no default). */
  needsValue: boolean;
}

/** The widget and JSON Schema type each input kind starts from; a new kind without one does not compile. */
const byKind: { [K in PortKind]: { kind: WidgetKind; type?: string } } = {
  image: { kind: 'artifact', type: 'string' },
  mask: { kind: 'artifact', type: 'string' },
  text: { kind: 'text', type: 'string' },
  number: { kind: 'number', type: 'number' },
  boolean: { kind: 'boolean', type: 'boolean' },
  json: { kind: 'json' },
  boxes: { kind: 'json' },
};

/** Param widgets that can edit a value of an input kind (json inputs keep the JSON editor). */
const refinable: { [K in PortKind]: readonly WidgetKind[] } = {
  image: [],
  mask: [],
  text: ['text', 'textarea', 'select', 'color', 'file', 'model'],
  number: ['number', 'integer', 'seed', 'select'],
  boolean: ['boolean'],
  json: [],
  boxes: [],
};

/** Finds the widget spec of a node param: what `{ node, param }` targets point at. */
export type ParamLookup = (nodeId: string, param: string) => ParamSpec | undefined;

export function inputField(input: GraphInput, lookupParam: ParamLookup): InputField {
  const base = byKind[input.kind];
  let schema: ParamSchema = { ...(base.type ? { type: base.type } : {}) };
  let kind = base.kind;
  for (const target of input.targets) {
    if (!('param' in target)) continue;
    const param = lookupParam(target.node, target.param);
    if (!param || !refinable[input.kind].includes(param.kind)) continue;
    // A select of numbers for a number input, of strings for a text input.
    if (param.kind === 'select' && !(param.schema.enum ?? []).every((o) => isPortValue(input.kind, o))) continue;
    schema = { ...param.schema };
    kind = param.kind;
    break;
  }
  schema = { ...schema, default: input.default, description: input.description ?? schema.description };
  if (input.default === undefined) delete schema.default;
  return {
    input,
    spec: { name: input.name, schema, kind, required: input.required },
    needsValue: input.required && input.default === undefined,
  };
}

export function inputFields(inputs: readonly GraphInput[], lookupParam: ParamLookup): InputField[] {
  return inputs.map((input) => inputField(input, lookupParam));
}

/** Whether a value (remembered, or typed in) fits an input: an uploaded image's id, or a value of its kind. */
export function fitsInput(input: GraphInput, value: unknown): value is JsonValue {
  if (input.kind === 'image' || input.kind === 'mask') return typeof value === 'string' && value.length > 0;
  return isPortValue(input.kind, value) && z.json().safeParse(value).success;
}

/**
 * What the dialog shows when it opens: for each input the value being edited (`draft`),
 * else the last value used for this graph (`remembered`), else its default.
 * Values that do not fit their input (the graph changed since) are dropped.
 */
export function initialValues(
  fields: readonly InputField[],
  remembered: Record<string, unknown> | undefined,
  draft?: Record<string, unknown>,
): Record<string, JsonValue> {
  const values: Record<string, JsonValue> = {};
  for (const { input } of fields) {
    const candidates = [draft?.[input.name], remembered?.[input.name], input.default];
    const found = candidates.find((v) => v !== undefined && fitsInput(input, v));
    if (found !== undefined && fitsInput(input, found)) values[input.name] = found;
  }
  return values;
}

/** The inline problems that stop a run, by input name: inputs that need a value and have none, values of the wrong kind. */
export function inputProblems(fields: readonly InputField[], values: Record<string, unknown>): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const { input, needsValue } of fields) {
    const value = values[input.name];
    if (value === undefined || value === null) {
      if (needsValue) problems[input.name] = input.kind === 'image' || input.kind === 'mask' ? `${input.name} is required: upload an image` : `${input.name} is required`;
    } else if (!fitsInput(input, value)) {
      problems[input.name] = `${input.name} must be ${input.kind === 'image' || input.kind === 'mask' ? 'an uploaded image' : input.kind}`;
    }
  }
  return problems;
}

/** The `inputs` of runs.start: every declared input with a value that fits it (absent ones take their defaults on the server). */
export function runInputs(fields: readonly InputField[], values: Record<string, unknown>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const { input } of fields) {
    const value = values[input.name];
    if (fitsInput(input, value)) out[input.name] = value;
  }
  return out;
}

const zInputProblem = z.object({ input: z.string(), message: z.string() });

/** The server's refusals that name a graph input (`missing_graph_input`, `invalid_graph_input`), by input name. */
export function inputProblemsFromServer(validationErrors: readonly unknown[]): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const raw of validationErrors) {
    const parsed = zInputProblem.safeParse(raw);
    if (parsed.success) problems[parsed.data.input] ??= parsed.data.message;
  }
  return problems;
}

/**
 * The last values used per graph, kept in this browser's localStorage (not in the
 * document: uploaded images belong to whoever uploaded them, and remembering a
 * value must not make a new version). Read back through zod; unreadable entries are ignored.
 */
export const rememberedKey = (graphId: string) => `pixelwire.run-inputs.v1.${graphId}`;
const zRemembered = z.object({ values: z.record(z.string(), z.json()) });

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

function browserStorage(): KeyValueStore | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined; // storage disabled
  }
}

export function readRemembered(graphId: string, storage = browserStorage()): Record<string, JsonValue> | undefined {
  const raw = storage?.getItem(rememberedKey(graphId));
  if (!raw) return undefined;
  try {
    const parsed = zRemembered.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data.values : undefined;
  } catch {
    return undefined;
  }
}

export function writeRemembered(graphId: string, values: Record<string, JsonValue>, storage = browserStorage()): void {
  try {
    storage?.setItem(rememberedKey(graphId), JSON.stringify({ values }));
  } catch {
    // Full or disabled storage: the values are simply not remembered.
  }
}
