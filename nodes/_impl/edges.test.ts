import { describe, expect, it } from 'vitest';
import { canny, gaussianFloat, laplacian, sobel } from './edges';
import { createImage, type PixelImage } from './pixel-image';

/** Grey image, `lo` left of column `at`, `hi` from it on. */
function stepX(w: number, h: number, at: number, lo = 0, hi = 255): PixelImage {
  const data = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = x < at ? lo : hi;
  return createImage(w, h, 1, data);
}

function column(img: PixelImage, x: number): number[] {
  return Array.from({ length: img.height }, (_, y) => img.data[y * img.width + x]!);
}

describe('sobel', () => {
  it('answers 255 beside a full step and 0 in flat areas', () => {
    const out = sobel(stepX(16, 6, 8));
    for (let x = 0; x < 16; x++) expect(column(out, x)).toEqual(Array(6).fill(x === 7 || x === 8 ? 255 : 0));
  });

  it('scales with the step height and sees horizontal edges too', () => {
    const half = sobel(stepX(16, 4, 8, 100, 140));
    expect(column(half, 7)).toEqual([40, 40, 40, 40]);
    const data = Buffer.alloc(8 * 8);
    data.fill(200, 8 * 4);
    const horizontal = sobel(createImage(8, 8, 1, data));
    expect(horizontal.data[3 * 8 + 2]).toBe(200);
    expect(horizontal.data[1 * 8 + 2]).toBe(0);
  });
});

describe('laplacian', () => {
  it('responds on both sides of a step, 0 in flat areas', () => {
    const out = laplacian(stepX(12, 5, 6, 50, 150));
    expect(column(out, 5)).toEqual(Array(5).fill(100));
    expect(column(out, 6)).toEqual(Array(5).fill(100));
    for (const x of [0, 1, 2, 3, 4, 7, 8, 9, 10, 11]) expect(column(out, x)).toEqual(Array(5).fill(0));
  });
});

describe('gaussianFloat', () => {
  it('keeps a constant image constant and the sum of an impulse', () => {
    const flat = gaussianFloat(new Float32Array(30).fill(7), 6, 5, 2);
    for (const v of flat) expect(v).toBeCloseTo(7, 4);
    const impulse = new Float32Array(21 * 21);
    impulse[10 * 21 + 10] = 1000;
    const blurred = gaussianFloat(impulse, 21, 21, 1.5);
    expect(blurred.reduce((a, b) => a + b, 0)).toBeCloseTo(1000, 1);
    expect(blurred[10 * 21 + 10]!).toBeCloseTo(1000 / (2 * Math.PI * 1.5 * 1.5), -1);
  });
});

describe('canny', () => {
  it('thins a step edge to a single column and suppresses flat areas', () => {
    const progress: number[] = [];
    const out = canny(stepX(20, 10, 10), { sigma: 1.4, low: 20, high: 50, progress: (f) => progress.push(f) });
    const edgeColumns = new Set<number>();
    for (let y = 1; y < 9; y++) for (let x = 0; x < 20; x++) if (out.data[y * 20 + x] === 255) edgeColumns.add(x);
    expect(edgeColumns.size).toBe(1);
    expect([9, 10]).toContain([...edgeColumns][0]);
    expect(new Set(out.data)).toEqual(new Set([0, 255]));
    expect(progress.at(-1)).toBe(1);
  });

  it('keeps weak edges only where they join strong ones (hysteresis)', () => {
    // A vertical step whose height fades from 200 (top) to 50 (bottom): magnitude beside it is about that height.
    const w = 20, h = 16;
    const data = Buffer.alloc(w * h);
    for (let y = 0; y < h; y++) for (let x = 10; x < w; x++) data[y * w + x] = 200 - 10 * y;
    const img = createImage(w, h, 1, data);
    const rows = (o: PixelImage) => {
      const found: string[] = [];
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (o.data[y * w + x] === 255) found.push(`${x},${y}`);
      return found;
    };
    // The step's own column wins NMS (its vertical gradient adds a little); the ramp beside it (20) stays below low.
    const col10 = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `10,${from + i}`);
    // Strong (>= 150) on rows 1..5 only; the weak rest (>= 25) hangs on to them.
    expect(rows(canny(img, { sigma: 0, low: 150, high: 150 }))).toEqual(col10(1, 5));
    expect(rows(canny(img, { sigma: 0, low: 25, high: 150 }))).toEqual(col10(1, 14));
    // The same weak edge with no strong pixel anywhere is dropped.
    expect(rows(canny(img, { sigma: 0, low: 25, high: 250 }))).toEqual([]);
  });

  it('stops when aborted', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => canny(stepX(8, 8, 4), { sigma: 1, low: 1, high: 2, signal: controller.signal })).toThrow();
  });
});
