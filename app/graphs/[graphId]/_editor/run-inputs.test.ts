import { describe, expect, it } from 'vitest';
import { catalogueEntry } from '../../../../nodes/catalogue';
import { blendNode } from '../../../../nodes/image/composite/blend.node';
import { drawTextNode } from '../../../../nodes/image/composite/draw-text.node';
import { zGraphInput, type GraphInput } from '../../../../engine/graph-document';
import { catalogueItem } from './catalogue-store';
import {
  initialValues,
  inputFields,
  inputProblems,
  inputProblemsFromServer,
  readRemembered,
  rememberedKey,
  runInputs,
  writeRemembered,
  type ParamLookup,
} from './run-inputs';

const items = new Map([blendNode, drawTextNode].map((def) => [def.type, catalogueItem(catalogueEntry(def))]));
const typeOf: Record<string, string> = { blend: 'image.blend', caption: 'image.draw-text' };
const lookup: ParamLookup = (node, param) => items.get(typeOf[node] ?? '')?.params.find((p) => p.name === param);
const input = (raw: unknown): GraphInput => zGraphInput.parse(raw);

/** examples/watermark.json's inputs, plus one of each other kind of widget. */
const declared = [
  input({ name: 'photo', kind: 'image', description: 'The picture to mark', targets: [{ node: 'blend', port: 'base' }] }),
  input({ name: 'caption', kind: 'text', required: false, default: '© Pixelwire', targets: [{ node: 'caption', port: 'text' }] }),
  input({ name: 'strength', kind: 'number', required: false, default: 0.6, targets: [{ node: 'blend', param: 'opacity' }] }),
  input({ name: 'ink', kind: 'text', required: false, targets: [{ node: 'caption', param: 'colour' }] }),
  input({ name: 'mode', kind: 'text', targets: [{ node: 'blend', param: 'mode' }] }),
  input({ name: 'count', kind: 'number', targets: [{ node: 'blend', param: 'mode' }] }),
  input({ name: 'boxed', kind: 'boolean', default: true, targets: [{ node: 'caption', param: 'background' }] }),
  input({ name: 'regions', kind: 'boxes', required: false, targets: [] }),
];
const fields = inputFields(declared, lookup);
const field = (name: string) => fields.find((f) => f.input.name === name)!;

describe('inputFields', () => {
  it('gives every input kind a param widget, refined by the param it sets', () => {
    expect(fields.map((f) => [f.input.name, f.spec.kind])).toEqual([
      ['photo', 'artifact'],
      ['caption', 'text'],
      ['strength', 'number'],
      ['ink', 'color'],
      ['mode', 'select'],
      // A number input cannot take the strings of a select: it stays a number field.
      ['count', 'number'],
      ['boxed', 'boolean'],
      ['regions', 'json'],
    ]);
  });

  it("takes bounds from the param and the default and description from the input", () => {
    expect(field('strength').spec.schema).toMatchObject({ minimum: 0, maximum: 1, default: 0.6 });
    expect(field('photo').spec.schema.description).toBe('The picture to mark');
    expect(field('mode').spec.schema.enum).toContain('multiply');
    // The param's own default does not leak into an input without one.
    expect(field('ink').spec.schema.default).toBeUndefined();
  });

  it('needs a value only for required inputs without a default', () => {
    expect(fields.filter((f) => f.needsValue).map((f) => f.input.name)).toEqual(['photo', 'mode', 'count']);
  });
});

describe('values', () => {
  it('prefills the draft, else the last values used, else defaults, dropping values that no longer fit', () => {
    const remembered = { photo: 'a'.repeat(64), strength: 'loud', caption: 'Hello', gone: 1 };
    expect(initialValues(fields, remembered)).toEqual({ photo: 'a'.repeat(64), caption: 'Hello', strength: 0.6, boxed: true });
    expect(initialValues(fields, remembered, { caption: 'Draft', strength: 0.2 })).toMatchObject({ caption: 'Draft', strength: 0.2 });
    expect(initialValues(fields, undefined)).toEqual({ caption: '© Pixelwire', strength: 0.6, boxed: true });
  });

  it('names each input that blocks the run', () => {
    expect(inputProblems(fields, { mode: 'multiply', count: 3 })).toEqual({ photo: 'photo is required: upload an image' });
    expect(inputProblems(fields, { photo: 'x', mode: 'multiply' })).toEqual({ count: 'count is required' });
    expect(inputProblems(fields, { photo: 'x', mode: 'multiply', count: 'three' })).toEqual({ count: 'count must be number' });
    expect(inputProblems(fields, { photo: 'x', mode: 'multiply', count: 3 })).toEqual({});
  });

  it('sends only values that fit their inputs', () => {
    expect(runInputs(fields, { photo: 'x', caption: 'Hi', strength: undefined, count: Number.NaN, regions: [{ x: 0, y: 0, width: 2, height: 2 }], stray: 1 })).toEqual({
      photo: 'x',
      caption: 'Hi',
      regions: [{ x: 0, y: 0, width: 2, height: 2 }],
    });
  });

  it("reads the server's refusals that name an input", () => {
    const refused = [
      { nodeId: null, input: 'photo', code: 'invalid_graph_input', message: 'graph input "photo" needs the id of an image you uploaded' },
      { nodeId: 'blend', param: 'opacity', code: 'invalid_param', message: 'too big' },
      'noise',
    ];
    expect(inputProblemsFromServer(refused)).toEqual({ photo: 'graph input "photo" needs the id of an image you uploaded' });
  });
});

describe('remembered values', () => {
  const storage = () => {
    const map = new Map<string, string>();
    return { map, getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
  };

  it('round-trips per graph and ignores what it cannot read', () => {
    const s = storage();
    writeRemembered('g1', { photo: 'abc', strength: 0.4 }, s);
    expect(readRemembered('g1', s)).toEqual({ photo: 'abc', strength: 0.4 });
    expect(readRemembered('g2', s)).toBeUndefined();
    s.map.set(rememberedKey('g3'), '{not json');
    s.map.set(rememberedKey('g4'), JSON.stringify({ values: 'nope' }));
    expect(readRemembered('g3', s)).toBeUndefined();
    expect(readRemembered('g4', s)).toBeUndefined();
    expect(readRemembered('g1', undefined)).toBeUndefined();
  });
});
