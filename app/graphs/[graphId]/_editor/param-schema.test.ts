import { describe, expect, it } from 'vitest';
import type { DiffusionModelFacts } from '../../../../nodes/_impl/models/model-meta';
import { catalogueEntry, nodeCatalogue } from '../../../../nodes/catalogue';
import { diffusionLoadModelNode } from '../../../../nodes/diffusion/load-model.node';
import { diffusionSampleNode } from '../../../../nodes/diffusion/sample.node';
import { loadImageNode } from '../../../../nodes/image/io/load-image.node';
import { ocrDetectNode } from '../../../../nodes/ocr/detect.node';
import { modelHasTrait, type ParamWorld } from '../../../../nodes/param-ui';
import { builtinRegistry } from '../../../../nodes/registry';
import { fastStyleNode } from '../../../../nodes/style/fast-style.node';
import { classOptions, modelOptions, paramLabel, paramSpecs, shownParams, valueOrDefault, widgetKindOf } from './param-schema';

const specOf = (params: Record<string, unknown>, name: string) => paramSpecs(params).find((s) => s.name === name);

describe('widgetKindOf', () => {
  it('gives string params marked with a model kind the model picker', () => {
    expect(widgetKindOf('model', { type: 'string', 'x-pixelwire-models': 'style' })).toBe('model');
    expect(widgetKindOf('modelName', { type: ['string', 'null'], 'x-pixelwire-models': 'diffusion' })).toBe('model');
  });

  it('keeps plain strings as text', () => {
    expect(widgetKindOf('model', { type: 'string' })).toBe('text');
  });

  it('maps the built-in model params from their catalogue JSON Schema', () => {
    const style = specOf(catalogueEntry(fastStyleNode).params, 'model');
    expect(style).toMatchObject({ kind: 'model', schema: { 'x-pixelwire-models': 'style', default: 'candy' } });
    const diffusion = specOf(catalogueEntry(diffusionLoadModelNode).params, 'modelName');
    expect(diffusion).toMatchObject({ kind: 'model', schema: { 'x-pixelwire-models': 'diffusion' } });
    expect(specOf(catalogueEntry(fastStyleNode).params, 'strength')?.kind).toBe('number');
  });

  it('ignores a model kind it cannot list: a text box, the rest of the schema kept', () => {
    const spec = specOf({ properties: { model: { type: 'string', default: 'x', 'x-pixelwire-models': 'lora' } } }, 'model');
    expect(spec).toMatchObject({ kind: 'text', schema: { type: 'string', default: 'x' } });
  });
});

describe('modelOptions', () => {
  it('lists the installed names', () => {
    expect(modelOptions(['candy', 'mosaic'], 'mosaic')).toEqual([
      { value: 'candy', label: 'candy' },
      { value: 'mosaic', label: 'mosaic' },
    ]);
  });

  it('keeps a current value that is not installed, marked, first', () => {
    expect(modelOptions(['candy'], 'udnie')).toEqual([
      { value: 'udnie', label: 'udnie (not installed)' },
      { value: 'candy', label: 'candy' },
    ]);
    expect(modelOptions([], 'fashion-unet')).toEqual([{ value: 'fashion-unet', label: 'fashion-unet (not installed)' }]);
  });

  it('adds nothing for an empty or unset value', () => {
    expect(modelOptions(['candy'], undefined)).toEqual([{ value: 'candy', label: 'candy' }]);
    expect(modelOptions(['candy'], '')).toEqual([{ value: 'candy', label: 'candy' }]);
  });
});

describe('param labels', () => {
  it('labels a param with its declared title, else its name in words', () => {
    const load = paramSpecs(catalogueEntry(loadImageNode).params);
    expect(load.map(paramLabel)).toEqual(['Source', 'Image', 'File path']);
    const detect = paramSpecs(catalogueEntry(ocrDetectNode).params);
    expect(detect.map(paramLabel)).toContain('Box threshold');
    expect(detect.map(paramLabel)).toContain('Longest side');
  });

  it('gives every param of every node type a label in words, not a camelCase name', () => {
    for (const entry of nodeCatalogue(builtinRegistry)) {
      for (const spec of paramSpecs(entry.params)) expect(paramLabel(spec), `${entry.type}.${spec.name}`).not.toMatch(/[a-z][A-Z]/);
    }
  });

  it('shows a graph input (no label) by its own name', () => {
    expect(paramLabel({ name: 'photoCaption', schema: {}, kind: 'text', required: false })).toBe('photoCaption');
  });
});

describe('shownParams', () => {
  const world = (values: Record<string, unknown>, specs: ReturnType<typeof paramSpecs>, more: Partial<ParamWorld> = {}): ParamWorld => ({
    value: (name) => valueOrDefault(specs, values, name),
    ...more,
  });
  const names = (specs: ReturnType<typeof paramSpecs>) => specs.map((s) => s.name);
  const never = () => false;

  it('shows Load image\'s image for an upload (the default) and its path for a file, never both', () => {
    const specs = paramSpecs(catalogueEntry(loadImageNode).params);
    expect(names(shownParams(specs, world({}, specs), never))).toEqual(['source', 'artifact']);
    expect(names(shownParams(specs, world({ source: 'file', artifact: 'kept' }, specs), never))).toEqual(['source', 'path']);
  });

  it('still shows a hidden param that a graph input sets or that has a problem', () => {
    const specs = paramSpecs(catalogueEntry(loadImageNode).params);
    expect(names(shownParams(specs, world({}, specs), (name) => name === 'path'))).toEqual(['source', 'artifact', 'path']);
  });

  const fashion: DiffusionModelFacts = { space: 'pixel', conditioning: 'class', classes: ['Trouser', 'Bag'] };
  const sd: DiffusionModelFacts = { space: 'latent', conditioning: 'text', classes: [] };
  const sample = paramSpecs(catalogueEntry(diffusionSampleNode).params);
  const withModel = (facts: DiffusionModelFacts | undefined, connected: string[] = []) =>
    names(
      shownParams(
        sample,
        world({}, sample, { connected: (p) => connected.includes(p), modelHas: (t) => (facts ? modelHasTrait(facts, t) : undefined) }),
        never,
      ),
    );

  it('shows a class-conditioned model the class, not the prompt or the size', () => {
    const shown = withModel(fashion);
    expect(shown).toEqual(expect.arrayContaining(['modelName', 'classLabel', 'clip', 'eta']));
    for (const hidden of ['prompt', 'negativePrompt', 'width', 'height']) expect(shown).not.toContain(hidden);
  });

  it('shows a text-conditioned latent model the prompts and the size, not the class', () => {
    const shown = withModel(sd);
    expect(shown).toEqual(expect.arrayContaining(['prompt', 'negativePrompt', 'width', 'height']));
    for (const hidden of ['classLabel', 'clip']) expect(shown).not.toContain(hidden);
  });

  it('shows every param while the model is not known here', () => {
    expect(withModel(undefined)).toEqual(names(sample));
  });

  it('asks for the model in one place: the model param hides once a model or a latent is wired', () => {
    expect(withModel(fashion, ['model'])).not.toContain('modelName');
    expect(withModel(fashion, ['latent'])).not.toContain('modelName');
    expect(withModel(sd, ['latent'])).not.toContain('width');
  });

  it('hides eta for the ddpm scheduler, which adds no eta noise', () => {
    const shown = names(shownParams(sample, world({ scheduler: 'ddpm' }, sample), never));
    expect(shown).not.toContain('eta');
  });
});

describe('classOptions', () => {
  it('offers unconditional and the model\'s classes', () => {
    expect(classOptions(['Trouser', 'Bag'], '')).toEqual([
      { value: '', label: '(none: unconditional)' },
      { value: 'Trouser', label: 'Trouser' },
      { value: 'Bag', label: 'Bag' },
    ]);
  });

  it('keeps a current value that is no class name: an index as its class, anything else marked', () => {
    expect(classOptions(['Trouser', 'Bag'], '1')[0]).toEqual({ value: '1', label: 'Bag (class 1)' });
    expect(classOptions(['Trouser', 'Bag'], 'Hat')[0]).toEqual({ value: 'Hat', label: 'Hat (not a class of this model)' });
    // A name in other case is that class (the model matches case-insensitively).
    expect(classOptions(['Trouser', 'Bag'], 'bag')).toContainEqual({ value: 'bag', label: 'Bag' });
  });
});
