import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { catalogueEntry, zCatalogueEntry } from '../../nodes/catalogue';
import { defineNode, NodeDefinitionError, type NodeDeclaration, type ParamsSchema, type PortMap } from '../../nodes/define';
import { modelsMetaKey } from '../../nodes/_impl/models/model-meta';
import { port } from '../../nodes/ports';
import { builtinRegistry } from '../../nodes/registry';

type AnyDeclaration = NodeDeclaration<PortMap, ParamsSchema, PortMap>;

const good: AnyDeclaration = {
  type: 'test.scale-number',
  version: 1,
  title: 'Scale',
  category: 'test',
  inputs: { value: port.number() },
  params: z.object({ factor: z.number().min(0).default(2), label: z.string().optional() }),
  outputs: { scaled: port.number() },
  run: ({ inputs, params }) => ({ scaled: Number(inputs.value) * Number(params.factor) }),
};

/** The good declaration with some fields replaced. */
function declare(patch: Partial<AnyDeclaration>) {
  return () => defineNode({ ...good, ...patch });
}

describe('defineNode', () => {
  it('accepts a well-formed declaration and marks it', () => {
    const def = defineNode(good);
    expect(def.kind).toBe('pixelwire.node');
    expect(def.type).toBe('test.scale-number');
    expect(Object.isFrozen(def)).toBe(true);
    expect(def.params.parse({})).toEqual({ factor: 2 });
  });

  it.each(['Blur', 'image', 'Image.blur', 'image.Blur', 'image..blur', '.blur', 'image.blur.', 'image blur', '1image.blur'])(
    'refuses the type id %j',
    (type) => {
      expect(declare({ type })).toThrow(NodeDefinitionError);
      expect(declare({ type })).toThrow(/type id/);
    },
  );

  it.each([0, -1, 1.5, Number.NaN])('refuses version %s', (version) => {
    expect(declare({ version })).toThrow(/version must be a positive integer/);
  });

  it('refuses a param named like an input', () => {
    expect(declare({ params: z.object({ value: z.number().default(1) }) })).toThrow(/"value" is both an input and a param/);
  });

  it('refuses badly formed port and param names', () => {
    expect(declare({ inputs: { 'bad-name': port.number() } })).toThrow(NodeDefinitionError);
    expect(declare({ params: z.object({ Factor: z.number().default(1) }) })).toThrow(NodeDefinitionError);
    expect(declare({ outputs: { 'out put': port.number() } })).toThrow(NodeDefinitionError);
  });

  it('refuses an empty title', () => {
    expect(declare({ title: '  ' })).toThrow(/title is empty/);
  });

  it('refuses a default that does not parse', () => {
    expect(declare({ params: z.object({ factor: z.number().min(5).default(1) }) })).toThrow(/default of param "factor" does not parse/);
    expect(declare({ params: z.object({ mode: z.enum(['a', 'b']).default('c' as 'a') }) })).toThrow(/default of param "mode"/);
    expect(declare({ params: z.object({ name: z.string().regex(/^[a-z]+$/).default('Not OK').describe('a name') }) })).toThrow(
      /default of param "name"/,
    );
  });

  it('accepts defaults that parse, including transformed and function defaults', () => {
    expect(declare({ params: z.object({ factor: z.number().min(5).default(5) }) })).not.toThrow();
    expect(declare({ params: z.object({ tags: z.array(z.string()).default(() => ['x']) }) })).not.toThrow();
  });
});

describe('built-in nodes', () => {
  const defs = builtinRegistry.list();

  it('are all registered', () => {
    expect(defs.length).toBeGreaterThan(10);
    for (const def of defs) expect(def.kind).toBe('pixelwire.node');
  });

  it.each(defs.map((d) => [d.type, d] as const))('%s: empty params parse, or fail only on params without defaults', (_type, def) => {
    const parsed = def.params.safeParse({});
    if (parsed.success) {
      // Every default is applied.
      for (const [name, field] of Object.entries(def.params.shape)) {
        if (field instanceof z.ZodDefault) expect(parsed.data[name], name).toEqual(field.def.defaultValue);
      }
      return;
    }
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]);
      expect(Object.hasOwn(def.params.shape, name), `issue on unknown param ${name}`).toBe(true);
      expect(def.params.shape[name], `${def.type}.${name} has a default yet is required`).not.toBeInstanceOf(z.ZodDefault);
    }
  });

  it.each(defs.map((d) => [d.type, d] as const))('%s: catalogue entry round-trips through zCatalogueEntry', (_type, def) => {
    const entry = catalogueEntry(def);
    expect(zCatalogueEntry.parse(entry)).toEqual(entry);
    // And through JSON, as a client receives it.
    const overTheWire: unknown = JSON.parse(JSON.stringify(entry));
    expect(zCatalogueEntry.parse(overTheWire)).toEqual(entry);
    expect(entry).toMatchObject({ type: def.type, version: def.version, title: def.title, category: def.category });
    expect(entry.inputs.map((p) => p.name)).toEqual(Object.keys(def.inputs));
    expect(entry.outputs.map((p) => p.name)).toEqual(Object.keys(def.outputs));
    expect(entry.params).not.toHaveProperty('$schema');
  });

  it('mark model-name params with the kind of model they name, in the catalogue JSON Schema', () => {
    const marked = defs.flatMap((def) => {
      const properties = (catalogueEntry(def).params.properties ?? {}) as Record<string, Record<string, unknown>>;
      return Object.entries(properties).flatMap(([name, schema]) => (schema[modelsMetaKey] ? [`${def.type}.${name}: ${String(schema[modelsMetaKey])}`] : []));
    });
    expect(marked).toEqual(
      expect.arrayContaining(['style.fast.model: style', 'diffusion.load-model.modelName: diffusion', 'diffusion.sample.modelName: diffusion', 'diffusion.noise.modelName: diffusion']),
    );
  });
});
