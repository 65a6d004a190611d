import { z } from 'zod';
import type { AnyNodeDefinition } from './define';

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

/** The artifact ids a node's (resolved) params name; empty values name nothing, anything else must be an id. */
export function artifactRefsOf(def: AnyNodeDefinition, params: Record<string, unknown>): { param: string; value: string; valid: boolean }[] {
  return artifactParamNames(def)
    .map((param) => ({ param, value: params[param] }))
    .filter((ref) => ref.value !== '' && ref.value !== undefined && ref.value !== null)
    .map(({ param, value }) => ({ param, value: String(value), valid: typeof value === 'string' && artifactIdPattern.test(value) }));
}
