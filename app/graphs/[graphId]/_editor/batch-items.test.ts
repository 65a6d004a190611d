import { describe, expect, it } from 'vitest';
import { batchItems, parseValueList, variableFields } from './batch-items';
import { inputField } from './run-inputs';

const field = (name: string, kind: 'image' | 'number' | 'text' | 'json') => inputField({ name, kind, required: true, targets: [] }, () => undefined);

describe('batch items', () => {
  it('offers images first, then numbers and text; never JSON', () => {
    const fields = [field('n', 'number'), field('j', 'json'), field('photo', 'image'), field('t', 'text')];
    expect(variableFields(fields).map((f) => f.input.name)).toEqual(['photo', 'n', 't']);
  });

  it('reads a list of numbers, one per line, and names a bad line', () => {
    expect(parseValueList('number', '1\n\n 2.5 \n')).toEqual({ values: [1, 2.5] });
    expect(parseValueList('number', '1\nabc')).toEqual({ values: [], problem: 'line 2 (“abc”) is not a number' });
    expect(parseValueList('text', 'a\n b \n')).toEqual({ values: ['a', 'b'] });
  });

  it('makes one item per value with the other inputs', () => {
    expect(batchItems('photo', ['a', 'b'], { strength: 0.4 })).toEqual([
      { inputs: { strength: 0.4, photo: 'a' } },
      { inputs: { strength: 0.4, photo: 'b' } },
    ]);
  });
});
