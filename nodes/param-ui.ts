import { z } from 'zod';
import { modelsMetaKey, type DiffusionModelFacts } from './_impl/models/model-meta';

/**
 * How a param shows in the editor, declared once on the node's zod params and carried to the
 * editor by the catalogue's JSON Schema: a human `title` (JSON Schema's own keyword) and
 * `"x-pixelwire-visible-when"`, the conditions under which the param applies. Importable in
 * the browser (zod only). A param that does not apply is hidden, never cleared.
 */
export const visibleWhenKey = 'x-pixelwire-visible-when';

/** What the editor can know about the diffusion model a node uses (from the model's manifest). */
export const modelTraits = ['class-conditioned', 'text-conditioned', 'pixel-space', 'latent-space'] as const;
export type ModelTrait = (typeof modelTraits)[number];

/** Whether a model has a trait. */
export function modelHasTrait(facts: DiffusionModelFacts, trait: ModelTrait): boolean {
  switch (trait) {
    case 'class-conditioned':
      return facts.conditioning === 'class';
    case 'text-conditioned':
      return facts.conditioning === 'text';
    case 'pixel-space':
      return facts.space === 'pixel';
    case 'latent-space':
      return facts.space === 'latent';
  }
}

const zScalar = z.union([z.string(), z.number(), z.boolean()]);

/** One condition; a param applies when all of its conditions hold. */
export const zParamCondition = z.union([
  /** Another param of the node has one of these values (its default when unset). */
  z.strictObject({ param: z.string(), in: z.array(zScalar).min(1) }),
  /** An input port of the node is not connected (the param is the fallback for what the port would bring). */
  z.strictObject({ unconnected: z.string() }),
  /** The node's diffusion model has this trait (unknown model: holds). */
  z.strictObject({ model: z.enum(modelTraits) }),
]);
export type ParamCondition = z.infer<typeof zParamCondition>;
export const zVisibleWhen = z.array(zParamCondition).min(1);

/** Shorthands for conditions, so declarations read as sentences. */
export const when = {
  param: (param: string, ...values: [z.infer<typeof zScalar>, ...z.infer<typeof zScalar>[]]): ParamCondition => ({ param, in: values }),
  unconnected: (port: string): ParamCondition => ({ unconnected: port }),
  model: (trait: ModelTrait): ParamCondition => ({ model: trait }),
};

export interface ParamUi {
  /** The label the editor shows (default: the param name in words, "boxThreshold" → "Box threshold"). */
  title?: string;
  /** When the param applies: all conditions must hold. */
  visibleWhen?: ParamCondition | ParamCondition[];
}

/** A param schema with its editor label and visibility declared (zod metadata; other metadata is kept). */
export function paramUi<S extends z.ZodType>(schema: S, ui: ParamUi): S {
  const conditions = ui.visibleWhen === undefined ? undefined : Array.isArray(ui.visibleWhen) ? ui.visibleWhen : [ui.visibleWhen];
  return schema.meta({ ...(ui.title !== undefined ? { title: ui.title } : {}), ...(conditions ? { [visibleWhenKey]: conditions } : {}) });
}

/** "boxThreshold" → "Box threshold", "tPrev" → "T prev", "m1" → "M1". */
export function humaniseParamName(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The conditions declared on one param schema (none: it always applies). */
export function declaredConditions(schema: z.ZodType): ParamCondition[] {
  const raw = (z.globalRegistry.get(schema) as Record<string, unknown> | undefined)?.[visibleWhenKey];
  if (raw === undefined) return [];
  const parsed = zVisibleWhen.safeParse(raw);
  return parsed.success ? parsed.data : [];
}

/** What a condition is checked against. `undefined` from a question means "not known here": the condition holds. */
export interface ParamWorld {
  /** A param's value as the node runs with it (its default when unset). */
  value(param: string): unknown;
  connected?(port: string): boolean | undefined;
  modelHas?(trait: ModelTrait): boolean | undefined;
}

/** Whether a param with these conditions applies. What cannot be known here counts as holding, so nothing is hidden on a guess. */
export function paramApplies(conditions: readonly ParamCondition[], world: ParamWorld): boolean {
  return conditions.every((c) => {
    if ('param' in c) return c.in.some((v) => Object.is(v, world.value(c.param)));
    if ('unconnected' in c) return world.connected?.(c.unconnected) !== true;
    return world.modelHas?.(c.model) !== false;
  });
}

/** The declaration a node's params are checked against: its params and input port names. */
interface Declared {
  params: z.ZodObject<z.ZodRawShape>;
  inputs: Record<string, unknown>;
}

/**
 * Problems with the visibility conditions of a node's params (for defineNode): a condition
 * must name another param and values that param accepts, an input port the node has, or a
 * model trait on a node that has a diffusion model (a `model` or `latent` input, or a
 * diffusion model param).
 */
export function paramUiProblems(declared: Declared): string[] {
  const problems: string[] = [];
  const shape = declared.params.shape;
  const hasModel =
    Object.hasOwn(declared.inputs, 'model') ||
    Object.hasOwn(declared.inputs, 'latent') ||
    Object.values(shape).some((s) => (z.globalRegistry.get(s as z.ZodType) as Record<string, unknown> | undefined)?.[modelsMetaKey] === 'diffusion');
  for (const [name, schema] of Object.entries(shape)) {
    const raw = (z.globalRegistry.get(schema as z.ZodType) as Record<string, unknown> | undefined)?.[visibleWhenKey];
    if (raw === undefined) continue;
    const parsed = zVisibleWhen.safeParse(raw);
    if (!parsed.success) {
      problems.push(`param "${name}": visibleWhen is malformed (${parsed.error.issues[0]?.message})`);
      continue;
    }
    for (const c of parsed.data) {
      if ('param' in c) {
        const other = Object.hasOwn(shape, c.param) ? (shape[c.param] as z.ZodType) : undefined;
        if (!other || c.param === name) problems.push(`param "${name}": visibleWhen names "${c.param}", which is not another param of the node`);
        else for (const v of c.in) if (!z.safeParse(other, v).success) problems.push(`param "${name}": visibleWhen value ${JSON.stringify(v)} is not a value of "${c.param}"`);
      } else if ('unconnected' in c) {
        if (!Object.hasOwn(declared.inputs, c.unconnected)) problems.push(`param "${name}": visibleWhen names input "${c.unconnected}", which the node does not have`);
      } else if (!hasModel) {
        problems.push(`param "${name}": visibleWhen asks about the model, but the node has no model input, latent input or diffusion model param`);
      }
    }
  }
  return problems;
}
