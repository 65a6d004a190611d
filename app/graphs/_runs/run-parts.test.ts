import { describe, expect, it } from 'vitest';
import { runInputRows } from './run-parts';

describe('runInputRows', () => {
  const declared = [
    { name: 'photo', kind: 'image' },
    { name: 'caption', kind: 'text', default: '© Pixelwire' },
    { name: 'strength', kind: 'number', default: 0.6 },
  ];

  it("lists the run's inputs in the declared order, with the defaults it left out", () => {
    expect(runInputRows({ strength: 0.4, photo: 'abc' }, declared)).toEqual([
      { name: 'photo', kind: 'image', value: 'abc', defaulted: false },
      { name: 'caption', kind: 'text', value: '© Pixelwire', defaulted: true },
      { name: 'strength', kind: 'number', value: 0.4, defaulted: false },
    ]);
  });

  it('keeps names the version does not declare, and reads nothing from a non-object', () => {
    expect(runInputRows({ extra: 1 }, [])).toEqual([{ name: 'extra', kind: undefined, value: 1, defaulted: false }]);
    expect(runInputRows(null, [])).toEqual([]);
    expect(runInputRows(['x'], [])).toEqual([]);
  });
});
