import { describe, expect, it } from 'vitest';
import { catalogueEntry } from '../../../../nodes/catalogue';
import { diffusionLoadModelNode } from '../../../../nodes/diffusion/load-model.node';
import { fastStyleNode } from '../../../../nodes/style/fast-style.node';
import { modelOptions, paramSpecs, widgetKindOf } from './param-schema';

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
