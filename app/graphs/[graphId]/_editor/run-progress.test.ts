import { describe, expect, it } from 'vitest';
import { etaMs, formatEta, runProgress } from './run-progress';

describe('whole-run progress', () => {
  it('weights a running node by its progress, counts a pipeline once, and estimates the time left from the pace', () => {
    const p = runProgress({
      load: { status: 'cached' },
      blur: { status: 'done' },
      style: { status: 'running', progress: 0.5 },
      save: { status: 'queued' },
      'pipe/inner': { status: 'done' },
    });
    expect(p).toEqual({ done: 2, total: 4, fraction: 2.5 / 4 });
    expect(etaMs(5000, 0.5)).toBe(5000);
    expect(etaMs(100, 0.5)).toBeUndefined();
    expect(etaMs(5000, 0)).toBeUndefined();
    expect(formatEta(etaMs(10_000, 0.25))).toBe('about 30 s left');
    expect(formatEta(undefined)).toBe('estimating time left…');
  });
});
