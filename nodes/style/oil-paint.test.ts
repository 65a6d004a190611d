import { describe, expect, it } from 'vitest';
import { runNode } from '../../test/helpers/node-harness';
import { createImage, type PixelImage } from '../_impl/pixel-image';
import { kuwahara } from '../_impl/style/kuwahara';
import { oilPaintNode } from './oil-paint.node';

/** Left half dark, right half light (step at x = 32), plus deterministic ±20 noise. */
function noisyStep(width = 64, height = 48): PixelImage {
  const data = Buffer.alloc(width * height * 3);
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 40 - 20;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const base = x < width / 2 ? 60 : 190;
      for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = Math.round(base + rand());
    }
  }
  return createImage(width, height, 3, data);
}

function std(values: number[]): number {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / values.length);
}

/** The textbook definition, computed by brute force, for comparison with the summed-area version. */
function naiveKuwahara(image: PixelImage, r: number): PixelImage {
  const { width: W, height: H } = image;
  const out = Buffer.alloc(W * H * 3);
  const lum = (x: number, y: number) => {
    const p = (y * W + x) * 3;
    return 0.299 * image.data[p]! + 0.587 * image.data[p + 1]! + 0.114 * image.data[p + 2]!;
  };
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const quads = [
        [Math.max(0, x - r), Math.max(0, y - r), x, y],
        [x, Math.max(0, y - r), Math.min(W - 1, x + r), y],
        [Math.max(0, x - r), y, x, Math.min(H - 1, y + r)],
        [x, y, Math.min(W - 1, x + r), Math.min(H - 1, y + r)],
      ];
      let best = quads[0]!;
      let bestVar = Infinity;
      for (const q of quads) {
        const ls: number[] = [];
        for (let yy = q[1]!; yy <= q[3]!; yy++) for (let xx = q[0]!; xx <= q[2]!; xx++) ls.push(lum(xx, yy));
        const v = std(ls) ** 2;
        if (v < bestVar - 1e-9) {
          bestVar = v;
          best = q;
        }
      }
      for (let c = 0; c < 3; c++) {
        let s = 0;
        let n = 0;
        for (let yy = best[1]!; yy <= best[3]!; yy++) for (let xx = best[0]!; xx <= best[2]!; xx++, n++) s += image.data[(yy * W + xx) * 3 + c]!;
        out[(y * W + x) * 3 + c] = Math.round(s / n);
      }
    }
  }
  return createImage(W, H, 3, out);
}

describe('style.oil-paint', () => {
  it('flattens noise while keeping a step edge sharp', async () => {
    const input = noisyStep();
    const { image } = (await runNode(oilPaintNode, { image: input }, { radius: 4 })) as { image: PixelImage };
    const row = (img: PixelImage, y: number, x0: number, x1: number) => {
      const v: number[] = [];
      for (let x = x0; x < x1; x++) v.push(img.data[(y * img.width + x) * 3]!);
      return v;
    };
    // Noise inside each flat half drops sharply.
    let before = 0;
    let after = 0;
    for (let y = 8; y < 40; y++) {
      before += std(row(input, y, 4, 28)) + std(row(input, y, 36, 60));
      after += std(row(image, y, 4, 28)) + std(row(image, y, 36, 60));
    }
    expect(after).toBeLessThan(before / 3);
    // The edge stays a one-pixel step: columns 31 and 32 keep their own side's level.
    for (let y = 8; y < 40; y++) {
      expect(image.data[(y * 64 + 31) * 3]!).toBeLessThan(90);
      expect(image.data[(y * 64 + 32) * 3]!).toBeGreaterThan(160);
    }
  });

  it('matches a brute-force Kuwahara filter', () => {
    const input = noisyStep(40, 30);
    for (const r of [1, 3]) {
      const fast = kuwahara(input, r);
      const slow = naiveKuwahara(input, r);
      let diff = 0;
      for (let i = 0; i < fast.data.length; i++) diff = Math.max(diff, Math.abs(fast.data[i]! - slow.data[i]!));
      expect(diff).toBeLessThanOrEqual(1);
    }
  });

  it('keeps alpha and takes time independent of the radius', async () => {
    const rgba = createImage(2, 2, 4, Buffer.from([10, 20, 30, 40, 10, 20, 30, 50, 10, 20, 30, 60, 10, 20, 30, 70]));
    const { image } = (await runNode(oilPaintNode, { image: rgba }, { radius: 2 })) as { image: PixelImage };
    expect([...image.data]).toEqual([...rgba.data]);
    const big = noisyStep(512, 512);
    const t = (r: number) => {
      const s = performance.now();
      kuwahara(big, r);
      return performance.now() - s;
    };
    t(2);
    const small = Math.min(t(2), t(2));
    const large = Math.min(t(40), t(40));
    expect(large).toBeLessThan(small * 3 + 50);
  });
});
