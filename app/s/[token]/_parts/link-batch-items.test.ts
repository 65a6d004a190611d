import { describe, expect, it } from 'vitest';
import { batchCountProblem, variableInputs } from './link-batch-items';

describe('batches on a run link page', () => {
  it('offers image inputs first, then numbers and text; never JSON or booleans', () => {
    const inputs = [
      { name: 'strength', kind: 'number', required: false },
      { name: 'boxes', kind: 'json', required: false },
      { name: 'photo', kind: 'image', required: true },
      { name: 'flip', kind: 'boolean', required: false },
      { name: 'caption', kind: 'text', required: false },
    ];
    expect(variableInputs(inputs).map((i) => [i.name, i.source])).toEqual([
      ['photo', 'images'],
      ['strength', 'values'],
      ['caption', 'values'],
    ]);
  });

  it('says why a batch cannot start: nothing picked, too many items, or more runs than the link allows this hour', () => {
    expect(batchCountProblem(0, 30, 'images')).toBe('Pick at least one image or ZIP');
    expect(batchCountProblem(0, 30, 'values')).toBe('Enter at least one value');
    expect(batchCountProblem(501, 1000, 'values')).toBe('At most 500 items a batch');
    expect(batchCountProblem(3, 2, 'images')).toBe('This link allows you 2 more runs this hour: a batch of 3 is too many');
    expect(batchCountProblem(1, 0, 'images')).toBe('This link allows you no more runs this hour; try again later');
    expect(batchCountProblem(2, 2, 'images')).toBeUndefined();
  });
});
