import { z } from 'zod';
import { modelsMetaKey, pickableModelKinds } from '../../../../nodes/_impl/models/model-meta';
import { humaniseParamName, paramApplies, visibleWhenKey, zVisibleWhen, type ParamCondition, type ParamWorld } from '../../../../nodes/param-ui';

/** Every kind of param widget; param-widgets.tsx maps each to a component, exhaustively. */
export const widgetKinds = ['number', 'integer', 'seed', 'select', 'text', 'textarea', 'boolean', 'color', 'artifact', 'file', 'model', 'class-label', 'json'] as const;
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
  widget: z.enum(['color', 'artifact', 'file', 'class-label']).optional(),
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
  /** The label shown for a node type's param: its declared title, else its name in words. Absent: the name is shown as is (graph inputs). */
  label?: string;
  /** When the param applies (declared on the node, see nodes/param-ui.ts); absent: always. */
  visibleWhen?: ParamCondition[];
}

/** What a param row is labelled with. */
export const paramLabel = (spec: ParamSpec): string => spec.label ?? spec.name;

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
    const when = zVisibleWhen.safeParse(typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[visibleWhenKey] : undefined);
    return {
      name,
      schema: spec,
      kind: widgetKindOf(name, spec),
      required: required.has(name),
      label: spec.title ?? humaniseParamName(name),
      ...(when.success ? { visibleWhen: when.data } : {}),
    };
  });
}

/**
 * The params a node shows: those that apply (see nodes/param-ui.ts), and any that does not
 * but is set by a graph input or has a problem, so a wire or an error never points at nothing.
 * Hidden params keep their values.
 */
export function shownParams(specs: readonly ParamSpec[], world: ParamWorld, keep: (name: string) => boolean): ParamSpec[] {
  return specs.filter((s) => !s.visibleWhen || keep(s.name) || paramApplies(s.visibleWhen, world));
}

/** A param's value as the node runs with it: the stored one, else the default. */
export function valueOrDefault(specs: readonly ParamSpec[], values: Record<string, unknown>, name: string): unknown {
  return values[name] ?? specs.find((s) => s.name === name)?.schema.default;
}

export interface ClassOption {
  value: string;
  label: string;
}

/**
 * The choices of a class-label picker: unconditional (''), then the model's classes by name;
 * a current value that is none of them stays, first (an index as its class, else marked).
 */
export function classOptions(classes: readonly string[], current: string): ClassOption[] {
  // A class written in other case is that class (the model matches names case-insensitively).
  const same = (c: string) => c.toLowerCase() === current.trim().toLowerCase();
  const options = [{ value: '', label: '(none: unconditional)' }, ...classes.map((c) => ({ value: current !== '' && same(c) ? current : c, label: c }))];
  if (options.some((o) => o.value === current)) return options;
  const index = /^\d+$/.test(current.trim()) ? Number(current.trim()) : undefined;
  const label = index !== undefined && index < classes.length ? `${classes[index]} (class ${index})` : `${current} (not a class of this model)`;
  return [{ value: current, label }, ...options];
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
