// Issue 12, item 6: `next` after sign-in stays on this site, whatever a link puts in it.
import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

describe('safeNext', () => {
  it('keeps paths on this site, with their query and fragment', () => {
    expect(safeNext('/graphs/abc?tab=runs#top')).toBe('/graphs/abc?tab=runs#top');
    expect(safeNext('/settings')).toBe('/settings');
    expect(safeNext('/graphs/a%2F%2Fb')).toBe('/graphs/a%2F%2Fb');
  });

  it('falls back to /graphs for anything that is not a path here', () => {
    const attacks = [
      '/\t/evil.example/', // the reported one: %2F%09%2Fevil.example%2F
      '/\r/evil.example/',
      '/\n/evil.example/',
      '/\t\\evil.example',
      '\t//evil.example',
      ' //evil.example',
      '//evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/.//evil.example',
      '/./\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      'evil.example',
      '',
      null,
      undefined,
    ];
    for (const next of attacks) {
      const target = safeNext(next);
      expect(target, JSON.stringify(next)).toBe('/graphs');
    }
  });

  it('never yields something a browser would read as another origin', () => {
    // Whatever survives must resolve to this origin from any page of it.
    const samples = ['/a\t/b', '/%09/evil.example', '/%2F/evil.example', '/..//evil.example', '/%5Cevil.example', '/\u0000/evil.example'];
    for (const next of samples) {
      const target = safeNext(next);
      expect(new URL(target, 'https://pixelwire.example/graphs/x').origin, `${JSON.stringify(next)} → ${target}`).toBe('https://pixelwire.example');
      expect(target.startsWith('//')).toBe(false);
    }
  });
});
