import { z } from 'zod';
import { modelsMetaKey, pickableModelKinds } from '../../../../nodes/_impl/models/model-meta';

/** Every kind of param widget; param-widgets.tsx maps each to a component, exhaustively. */
export const widgetKinds = ['number', 'integer', 'seed', 'select', 'text', 'textarea', 'boolean', 'color', 'artifact', 'file', 'model', 'json'] as const;
export type WidgetKind = (typeof widgetKinds)[number];

/** The JSON Schema fields the editor reads from one param (anything else is ignored). */
const zParamSchema = z.object({
  type: z.union([z.string(), z.array(z.string())]).optional(),
  default: z.unknown().optional(),
  description: z.string().optional(),
  title: z.string().optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  multipleOf: z.number().positive().optional(),
  enum: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
  maxLength: z.number().optional(),
  pattern: z.string().optional(),
  widget: z.enum(['color', 'artifact', 'file']).optional(),
  /** The kind of installed model a string param names (nodes set it with .meta); a kind the editor cannot list is ignored. */
  [modelsMetaKey]: z.enum(pickableModelKinds).optional().catch(undefined),
});
export type ParamSchema = z.infer<typeof zParamSchema>;

const zObjectSchema = z.object({
  properties: z.record(z.string(), z.unknown()).optional(),
  required: z.array(z.string()).optional(),
});

export interface ParamSpec {
  name: string;
  schema: ParamSchema;
  kind: WidgetKind;
  required: boolean;
}

/** Long strings (free text) get a textarea. */
const TEXTAREA_MIN_LENGTH = 1000;

function primaryType(type: ParamSchema['type']): string | undefined {
  if (Array.isArray(type)) return type.find((t) => t !== 'null');
  return type;
}

export function widgetKindOf(name: string, schema: ParamSchema): WidgetKind {
  if (schema.widget) return schema.widget;
  if (schema.enum) return 'select';
  const type = primaryType(schema.type);
  if (type === 'string' && schema[modelsMetaKey]) return 'model';
  if ((type === 'number' || type === 'integer') && name === 'seed') return 'seed';
  switch (type) {
    case 'number':
      return 'number';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'string':
      return (schema.maxLength ?? 0) >= TEXTAREA_MIN_LENGTH ? 'textarea' : 'text';
    default:
      return 'json';
  }
}

/** The params of a catalogue entry (a JSON Schema object), in declaration order. */
export function paramSpecs(params: Record<string, unknown>): ParamSpec[] {
  const parsed = zObjectSchema.safeParse(params);
  if (!parsed.success) return [];
  const required = new Set(parsed.data.required ?? []);
  return Object.entries(parsed.data.properties ?? {}).map(([name, raw]) => {
    const schema = zParamSchema.safeParse(raw);
    const spec = schema.success ? schema.data : {};
    return { name, schema: spec, kind: widgetKindOf(name, spec), required: required.has(name) };
  });
}

/** Whether a slider is useful: both bounds known and the range not absurdly wide. */
export function sliderRange(schema: ParamSchema): { min: number; max: number } | undefined {
  const { minimum: min, maximum: max } = schema;
  if (min === undefined || max === undefined || !(max > min) || max - min > 10_000) return undefined;
  return { min, max };
}

export interface ModelOption {
  value: string;
  label: string;
}

/**
 * The choices of a model picker: the installed names, and the current value too when it is
 * not installed (marked so), so that opening a graph never loses the model it names.
 */
export function modelOptions(installed: readonly string[], current: string | undefined): ModelOption[] {
  const options = installed.map((name) => ({ value: name, label: name }));
  if (current === undefined || current === '' || installed.includes(current)) return options;
  return [{ value: current, label: `${current} (not installed)` }, ...options];
}
