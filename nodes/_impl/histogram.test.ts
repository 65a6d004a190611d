import { describe, expect, it } from 'vitest';
import { createImage } from './pixel-image';
import { equalisationLut, equalize, histogram } from './histogram';

const grey = (values: number[], width = values.length) =>
  createImage(width, values.length / width, 1, Buffer.from(values));

describe('histogram', () => {
  it('counts the values of one channel', () => {
    const rgb = createImage(2, 1, 3, Buffer.from([1, 2, 3, 1, 9, 3]));
    const h = histogram(rgb, 1);
    expect([h[2], h[9], h[1]]).toEqual([1, 1, 0]);
    expect(h.reduce((a, b) => a + b, 0)).toBe(2);
    expect(() => histogram(rgb, 3)).toThrow(RangeError);
  });

  it('builds a CDF lookup table from the lowest to the highest present value', () => {
    const counts = new Uint32Array(256);
    counts[50] = 2;
    counts[60] = 2;
    counts[70] = 2;
    counts[80] = 2;
    const lut = equalisationLut(counts);
    expect([lut[50], lut[60], lut[70], lut[80]]).toEqual([0, 85, 170, 255]);
    expect(lut[65]).toBe(85); // absent values follow the CDF step below them
  });

  it('leaves a single-valued histogram alone', () => {
    const counts = new Uint32Array(256);
    counts[77] = 10;
    const lut = equalisationLut(counts);
    expect(lut[77]).toBe(77);
    expect(lut[200]).toBe(200);
  });
});

describe('equalize', () => {
  it('spreads a low-contrast grey image over the full range', () => {
    const out = equalize(grey([50, 60, 70, 80, 50, 60, 70, 80], 4));
    expect([...out.data]).toEqual([0, 85, 170, 255, 0, 85, 170, 255]);
    expect(out.channels).toBe(1);
  });

  it('keeps grey+alpha as two channels and copies alpha', () => {
    const out = equalize(createImage(2, 1, 2, Buffer.from([100, 30, 110, 200])));
    expect([...out.data]).toEqual([0, 30, 255, 200]);
  });

  it('moves colour pixels along luma only, keeping channel differences', () => {
    // Lumas ≈ 93, 110 and 127 map to 0, 128 and 255.
    const img = createImage(3, 1, 3, Buffer.from([120, 85, 65, 140, 100, 80, 160, 115, 95]));
    const out = equalize(img);
    // Middle pixel: luma 109.68 → 128, so every channel rises by 18.32 (no clipping).
    expect([...out.data.subarray(3, 6)]).toEqual([158, 118, 98]);
    const luma = (i: number) => 0.299 * out.data[i]! + 0.587 * out.data[i + 1]! + 0.114 * out.data[i + 2]!;
    expect(luma(0)).toBeLessThan(10);
    expect(luma(6)).toBeGreaterThan(240);
  });
});
