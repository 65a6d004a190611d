import { z } from 'zod';
import type { AnyNodeDefinition } from './define';
import { modelsMetaKey } from './_impl/models/model-meta';
import { declaredConditions, paramApplies } from './param-ui';

const artifactIdPattern = /^[0-9a-f]{64}$/;
const cache = new WeakMap<AnyNodeDefinition, string[]>();

/**
 * Params of a node that name an artifact (declared with `.meta({ widget: 'artifact' })`):
 * what the server must check against the caller's access before a run reads them.
 */
export function artifactParamNames(def: AnyNodeDefinition): string[] {
  let names = cache.get(def);
  if (!names) {
    names = Object.entries(def.params.shape)
      .filter(([, schema]) => (z.globalRegistry.get(schema as z.ZodType) as { widget?: unknown } | undefined)?.widget === 'artifact')
      .map(([name]) => name);
    cache.set(def, names);
  }
  return names;
}

/** A param's value, or its default when unset. */
function valueOrDefault(def: AnyNodeDefinition, params: Record<string, unknown>, name: string): unknown {
  if (params[name] !== undefined) return params[name];
  const schema = def.params.shape[name];
  const parsed = schema ? z.safeParse(schema as z.ZodType, undefined) : undefined;
  return parsed?.success ? parsed.data : undefined;
}

/**
 * The artifact ids a node's (resolved) params name; empty values name nothing, anything else must be an id.
 * A param that does not apply by the node's other params (image.load's artifact when the source is a file,
 * see param-ui.ts) names nothing either: the node does not read it, and the worker could not (its store holds
 * only the checked list).
 */
export function artifactRefsOf(def: AnyNodeDefinition, params: Record<string, unknown>): { param: string; value: string; valid: boolean }[] {
  return artifactParamNames(def)
    .filter((param) => paramApplies(declaredConditions(def.params.shape[param] as z.ZodType), { value: (name) => valueOrDefault(def, params, name) }))
    .map((param) => ({ param, value: params[param] }))
    .filter((ref) => ref.value !== '' && ref.value !== undefined && ref.value !== null)
    .map(({ param, value }) => ({ param, value: String(value), valid: typeof value === 'string' && artifactIdPattern.test(value) }));
}

const modelParamCache = new WeakMap<AnyNodeDefinition, { param: string; kind: string }[]>();

/** Params that name an installed model (`.meta({ "x-pixelwire-models": kind })`), with the model kind. */
export function modelParams(def: AnyNodeDefinition): { param: string; kind: string }[] {
  let found = modelParamCache.get(def);
  if (!found) {
    found = Object.entries(def.params.shape).flatMap(([param, schema]) => {
      const kind = (z.globalRegistry.get(schema as z.ZodType) as Record<string, unknown> | undefined)?.[modelsMetaKey];
      return typeof kind === 'string' ? [{ param, kind }] : [];
    });
    modelParamCache.set(def, found);
  }
  return found;
}

/** The models a node will load with these (resolved) params, as `kind/name`. */
export function modelRefsOf(def: AnyNodeDefinition, params: Record<string, unknown>): string[] {
  return modelParams(def).flatMap(({ param, kind }) => (typeof params[param] === 'string' && params[param] !== '' ? [`${kind}/${params[param]}`] : []));
}
