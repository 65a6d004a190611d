import { describe, expect, it } from 'vitest';
import { paramText } from './shared-document';

describe('paramText on a view link', () => {
  const sha = 'c'.repeat(64);

  it('shows an image a param names by its file name, else by a short hash, never the whole hash', () => {
    expect(paramText(sha, new Map([[sha, 'logo.png']]))).toBe('logo.png');
    expect(paramText(sha)).toBe('image cccccccccccc…');
    expect(paramText(sha, new Map([['d'.repeat(64), 'other.png']]))).toBe('image cccccccccccc…');
  });

  it('keeps other values as one short line', () => {
    expect(paramText(2)).toBe('2');
    expect(paramText('normal')).toBe('normal');
    expect(paramText('x'.repeat(100))).toBe(`${'x'.repeat(77)}…`);
  });
});
