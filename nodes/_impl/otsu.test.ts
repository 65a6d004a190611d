import { describe, expect, it } from 'vitest';
import { lumaHistogram, otsuThreshold, thresholdMask } from './otsu';
import { createImage } from './pixel-image';

function histOf(counts: Record<number, number>): Uint32Array {
  const h = new Uint32Array(256);
  for (const [level, n] of Object.entries(counts)) h[Number(level)] = n;
  return h;
}

/** Brute force: the mean of the levels that maximise σ²_B computed from class means. */
function bruteForce(h: Uint32Array): number[] {
  const n = h.reduce((a, b) => a + b, 0);
  const scores: number[] = [];
  for (let t = 0; t < 255; t++) {
    let w0 = 0, m0 = 0, m1 = 0;
    for (let i = 0; i <= t; i++) { w0 += h[i]!; m0 += i * h[i]!; }
    for (let i = t + 1; i < 256; i++) m1 += i * h[i]!;
    const w1 = n - w0;
    scores.push(w0 && w1 ? (w0 / n) * (w1 / n) * (m0 / w0 - m1 / w1) ** 2 : -1);
  }
  const max = Math.max(...scores);
  return scores.flatMap((s, t) => (s >= max * (1 - 1e-9) ? [t] : []));
}

describe('otsuThreshold', () => {
  it('splits two clean modes in the middle of the gap between them', () => {
    expect(otsuThreshold(histOf({ 50: 1000, 200: 1000 }))).toBe(124);
    expect(otsuThreshold(histOf({ 10: 300, 11: 300, 240: 50 }))).toBe(125);
  });

  it('finds the known split of a noisy bimodal image', () => {
    // Two Gaussian-ish modes around 60 and 180, spread ±20: the split lies between them.
    const w = 200, h = 100;
    const data = Buffer.alloc(w * h);
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < w * h; i++) {
      const noise = (rand() + rand() + rand() - 1.5) * 20;
      data[i] = Math.round((i % w < w / 2 ? 60 : 180) + noise);
    }
    const hist = lumaHistogram(createImage(w, h, 1, data));
    const t = otsuThreshold(hist);
    expect(t).toBeGreaterThanOrEqual(110);
    expect(t).toBeLessThanOrEqual(130);
    expect(bruteForce(hist)).toContain(t);
  });

  it('agrees with a brute-force search on an uneven histogram', () => {
    const h = new Uint32Array(256);
    for (let i = 0; i < 256; i++) h[i] = Math.round(100 * Math.exp(-((i - 70) ** 2) / 400) + 30 * Math.exp(-((i - 190) ** 2) / 900));
    const ties = bruteForce(h);
    expect(ties).toContain(otsuThreshold(h));
  });

  it('handles degenerate histograms', () => {
    expect(otsuThreshold(histOf({ 77: 10 }))).toBe(77);
    expect(otsuThreshold(new Uint32Array(256))).toBe(0);
    expect(() => otsuThreshold(new Uint32Array(10))).toThrow(RangeError);
  });
});

describe('thresholdMask', () => {
  it('whitens luma above the level, or below when inverted', () => {
    const img = createImage(4, 1, 1, Buffer.from([0, 100, 101, 255]));
    expect([...thresholdMask(img, 100).data]).toEqual([0, 0, 255, 255]);
    expect([...thresholdMask(img, 100, true).data]).toEqual([255, 255, 0, 0]);
  });
});
