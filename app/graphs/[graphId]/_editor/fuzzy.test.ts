import { describe, expect, it } from 'vitest';
import { fuzzyRank, fuzzyScore } from './fuzzy';

const items = [
  { title: 'Gaussian blur', type: 'image.blur', category: 'image/filter' },
  { title: 'Blend', type: 'image.blend', category: 'image/composite' },
  { title: 'Composite', type: 'image.composite', category: 'image/composite' },
  { title: 'Draw boxes', type: 'image.draw-boxes', category: 'image/draw' },
  { title: 'Draw text', type: 'image.draw-text', category: 'image/draw' },
  { title: 'Load image', type: 'image.load', category: 'image/io' },
  { title: 'Sharpen', type: 'image.sharpen', category: 'image/filter' },
];

describe('fuzzyScore', () => {
  it('matches subsequences and refuses letters out of order', () => {
    expect(fuzzyScore('gb', 'Gaussian blur')).not.toBeNull();
    expect(fuzzyScore('bg', 'Gaussian blur')).toBeNull();
    expect(fuzzyScore('xyz', 'Gaussian blur')).toBeNull();
  });

  it('prefers substrings, prefixes and word starts', () => {
    expect(fuzzyScore('blur', 'Gaussian blur')!).toBeGreaterThan(fuzzyScore('bur', 'Gaussian blur')!);
    expect(fuzzyScore('sha', 'Sharpen')!).toBeGreaterThan(fuzzyScore('sha', 'Unsharp mask')!);
    expect(fuzzyScore('gb', 'Gaussian blur')!).toBeGreaterThan(fuzzyScore('gb', 'gumbo')!);
  });

  it('is case-insensitive and an empty query matches everything', () => {
    expect(fuzzyScore('BLUR', 'gaussian blur')).not.toBeNull();
    expect(fuzzyScore('  ', 'anything')).toBe(0);
  });
});

describe('fuzzyRank', () => {
  it('ranks the best title match first', () => {
    expect(fuzzyRank('blur', items)[0]?.type).toBe('image.blur');
    expect(fuzzyRank('bl', items).map((i) => i.type).slice(0, 2)).toEqual(['image.blend', 'image.blur']);
  });

  it('searches type and category too, and every word must match', () => {
    expect(fuzzyRank('composite', items).map((i) => i.type)).toEqual(['image.composite', 'image.blend']);
    expect(fuzzyRank('draw text', items)[0]?.type).toBe('image.draw-text');
    expect(fuzzyRank('image.load', items)[0]?.type).toBe('image.load');
    expect(fuzzyRank('zzz', items)).toEqual([]);
  });

  it('returns every item in order for an empty query', () => {
    expect(fuzzyRank('', items)).toEqual(items);
  });
});
