import { z } from 'zod';
import type { AnyNodeDefinition, PortMap } from './define';
import type { NodeRegistry } from './node-registry';
import { zInputKind } from './ports';

const zPortInfo = z.object({
  name: z.string(),
  /** `any`: an input that takes every kind, or an output of the kind that feeds input `sameAs`. */
  kind: zInputKind,
  optional: z.boolean(),
  label: z.string().optional(),
  description: z.string().optional(),
  sameAs: z.string().optional(),
});

/** One node type as the UI and API see it. Clients re-validate with this schema at their boundary. */
export const zCatalogueEntry = z.object({
  type: z.string(),
  version: z.number().int(),
  title: z.string(),
  category: z.string(),
  description: z.string().optional(),
  inputs: z.array(zPortInfo),
  outputs: z.array(zPortInfo),
  /** JSON Schema (draft 2020-12) of the params object, as written in documents (defaults optional). */
  params: z.record(z.string(), z.unknown()),
});
export type CatalogueEntry = z.infer<typeof zCatalogueEntry>;

function ports(map: PortMap): z.infer<typeof zPortInfo>[] {
  return Object.entries(map).map(([name, spec]) => ({
    name,
    kind: spec.kind,
    optional: spec.optional,
    ...(spec.label ? { label: spec.label } : {}),
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.sameAs ? { sameAs: spec.sameAs } : {}),
  }));
}

export function catalogueEntry(def: AnyNodeDefinition): CatalogueEntry {
  const { $schema: _ignored, ...params } = z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' });
  return {
    type: def.type,
    version: def.version,
    title: def.title,
    category: def.category,
    ...(def.description ? { description: def.description } : {}),
    inputs: ports(def.inputs),
    outputs: ports(def.outputs),
    params,
  };
}

/** The whole catalogue, sorted by category then title. */
export function nodeCatalogue(registry: NodeRegistry): CatalogueEntry[] {
  return registry
    .list()
    .map(catalogueEntry)
    .sort((a, b) => a.category.localeCompare(b.category) || a.title.localeCompare(b.title));
}
