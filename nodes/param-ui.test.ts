import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { catalogueEntry } from './catalogue';
import { defineNode, NodeDefinitionError } from './define';
import { diffusionSampleNode } from './diffusion/sample.node';
import { loadImageNode } from './image/io/load-image.node';
import { artifactRefsOf } from './param-refs';
import { declaredConditions, humaniseParamName, paramApplies, paramUi, visibleWhenKey, when } from './param-ui';
import { port } from './ports';

const sha = 'a'.repeat(64);

/** A node with a `mode` enum and one param whose conditions are under test. */
const nodeWith = (extra: z.ZodType, inputs: Record<string, ReturnType<typeof port.json>> = {}) =>
  defineNode({
    type: 'test.param-ui',
    version: 1,
    title: 'Test',
    category: 'test',
    inputs,
    params: z.object({ mode: z.enum(['a', 'b']).default('a'), extra }),
    outputs: {},
    run: () => ({}),
  });

describe('humaniseParamName', () => {
  it('turns camelCase names into words', () => {
    expect(humaniseParamName('boxThreshold')).toBe('Box threshold');
    expect(humaniseParamName('sigma')).toBe('Sigma');
    expect(humaniseParamName('tPrev')).toBe('T prev');
    expect(humaniseParamName('backgroundColour')).toBe('Background colour');
    expect(humaniseParamName('m1')).toBe('M1');
  });
});

describe('paramUi', () => {
  it('adds a title and conditions as zod metadata, keeping what was there', () => {
    const schema = paramUi(z.string().default('').describe('about').meta({ widget: 'artifact' }), { title: 'Image', visibleWhen: when.param('source', 'artifact') });
    expect(z.globalRegistry.get(schema)).toEqual({ description: 'about', widget: 'artifact', title: 'Image', [visibleWhenKey]: [{ param: 'source', in: ['artifact'] }] });
    expect(declaredConditions(schema)).toEqual([{ param: 'source', in: ['artifact'] }]);
  });

  it('reaches the catalogue as JSON Schema: title and x-pixelwire-visible-when', () => {
    const params = catalogueEntry(loadImageNode).params as { properties: Record<string, Record<string, unknown>> };
    expect(params.properties.artifact).toMatchObject({ title: 'Image', widget: 'artifact', [visibleWhenKey]: [{ param: 'source', in: ['artifact'] }] });
    expect(params.properties.path).toMatchObject({ title: 'File path', [visibleWhenKey]: [{ param: 'source', in: ['file'] }] });
    const sample = catalogueEntry(diffusionSampleNode).params as { properties: Record<string, Record<string, unknown>> };
    expect(sample.properties.prompt).toMatchObject({ [visibleWhenKey]: [{ model: 'text-conditioned' }] });
    expect(sample.properties.classLabel).toMatchObject({ title: 'Class', widget: 'class-label', [visibleWhenKey]: [{ model: 'class-conditioned' }] });
    expect(sample.properties.modelName).toMatchObject({ title: 'Model', [visibleWhenKey]: [{ unconnected: 'model' }, { unconnected: 'latent' }] });
  });
});

describe('defineNode checks visibility conditions', () => {
  it('accepts conditions on real params, values they take, real ports and a model source', () => {
    expect(() => nodeWith(paramUi(z.number().default(1), { visibleWhen: when.param('mode', 'b') }))).not.toThrow();
    expect(() => nodeWith(paramUi(z.number().default(1), { visibleWhen: [when.unconnected('model'), when.model('pixel-space')] }), { model: port.json({ optional: true }) })).not.toThrow();
  });

  it('refuses a condition on a param the node does not have, or on itself', () => {
    expect(() => nodeWith(paramUi(z.number().default(1), { visibleWhen: when.param('source', 'file') }))).toThrow(/names "source", which is not another param/);
    expect(() => nodeWith(paramUi(z.number().default(1), { visibleWhen: when.param('extra', 1) }))).toThrow(NodeDefinitionError);
  });

  it('refuses a value the named param does not accept (a typo like "upload")', () => {
    expect(() => nodeWith(paramUi(z.number().default(1), { visibleWhen: when.param('mode', 'c') }))).toThrow(/value "c" is not a value of "mode"/);
  });

  it('refuses an input port the node does not have, and model conditions on a node without a model', () => {
    expect(() => nodeWith(paramUi(z.number().default(1), { visibleWhen: when.unconnected('text') }))).toThrow(/input "text", which the node does not have/);
    expect(() => nodeWith(paramUi(z.number().default(1), { visibleWhen: when.model('text-conditioned') }))).toThrow(/asks about the model/);
  });

  it('refuses malformed conditions written as raw metadata', () => {
    expect(() => nodeWith(z.number().default(1).meta({ [visibleWhenKey]: { source: 'path' } }))).toThrow(/visibleWhen is malformed/);
  });
});

describe('paramApplies', () => {
  const value = (v: Record<string, unknown>) => (name: string) => v[name];

  it('holds when every condition holds', () => {
    const conditions = [when.param('mode', 'b'), when.unconnected('model')];
    expect(paramApplies(conditions, { value: value({ mode: 'b' }), connected: () => false })).toBe(true);
    expect(paramApplies(conditions, { value: value({ mode: 'a' }), connected: () => false })).toBe(false);
    expect(paramApplies(conditions, { value: value({ mode: 'b' }), connected: () => true })).toBe(false);
  });

  it('counts what is not known as holding, so nothing is hidden on a guess', () => {
    expect(paramApplies([when.unconnected('model'), when.model('text-conditioned')], { value: value({}) })).toBe(true);
    expect(paramApplies([when.model('text-conditioned')], { value: value({}), modelHas: () => undefined })).toBe(true);
    expect(paramApplies([when.model('text-conditioned')], { value: value({}), modelHas: (t) => t === 'class-conditioned' })).toBe(false);
  });
});

describe('artifactRefsOf', () => {
  it('names the artifact of an image.load that reads it, the default source included', () => {
    expect(artifactRefsOf(loadImageNode, { source: 'artifact', artifact: sha })).toEqual([{ param: 'artifact', value: sha, valid: true }]);
    expect(artifactRefsOf(loadImageNode, { artifact: sha })).toEqual([{ param: 'artifact', value: sha, valid: true }]);
  });

  it('names nothing for a hidden artifact param (source is a file) or an empty one', () => {
    expect(artifactRefsOf(loadImageNode, { source: 'file', artifact: 'not-mine', path: 'x.png' })).toEqual([]);
    expect(artifactRefsOf(loadImageNode, { source: 'artifact', artifact: '' })).toEqual([]);
  });
});
