import { describe, expect, it } from 'vitest';
import { morphology, type StructuringShape } from './morphology';
import { createImage, type PixelImage } from './pixel-image';

function noise(w: number, h: number, seed: number): PixelImage {
  const data = Buffer.alloc(w * h);
  let s = seed;
  for (let i = 0; i < data.length; i++) data[i] = (s = (s * 1103515245 + 12345) % 2 ** 31) >> 23;
  return createImage(w, h, 1, data);
}

/** Direct min/max over the clipped element, for reference. */
function reference(img: PixelImage, op: 'dilate' | 'erode', r: number, shape: StructuringShape): number[] {
  const { width: w, height: h, data } = img;
  const out: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let best = op === 'dilate' ? 0 : 255;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const sx = x + dx, sy = y + dy;
          if (sx < 0 || sy < 0 || sx >= w || sy >= h) continue;
          if (shape === 'disc' && dx * dx + dy * dy > r * r) continue;
          const v = data[sy * w + sx]!;
          best = op === 'dilate' ? Math.max(best, v) : Math.min(best, v);
        }
      }
      out.push(best);
    }
  }
  return out;
}

describe('morphology', () => {
  for (const shape of ['square', 'disc'] as const) {
    for (const r of [1, 2, 3, 5]) {
      it(`matches a direct ${shape} min/max filter, radius ${r}`, () => {
        const img = noise(23, 17, r * 31 + shape.length);
        const opts = { radius: r, shape, iterations: 1 };
        expect([...morphology(img, 'dilate', opts).data]).toEqual(reference(img, 'dilate', r, shape));
        expect([...morphology(img, 'erode', opts).data]).toEqual(reference(img, 'erode', r, shape));
      });
    }
  }

  it('iterating a square dilation adds the radii; opening then is idempotent', () => {
    const img = noise(30, 20, 3);
    const twice = morphology(img, 'dilate', { radius: 1, shape: 'square', iterations: 2 });
    expect([...twice.data]).toEqual(reference(img, 'dilate', 2, 'square'));
    const opts = { radius: 2, shape: 'disc' as const, iterations: 1 };
    const opened = morphology(img, 'open', opts);
    expect([...morphology(opened, 'open', opts).data]).toEqual([...opened.data]);
    // Opening is anti-extensive, closing extensive.
    const closed = morphology(img, 'close', opts);
    for (let i = 0; i < img.data.length; i++) {
      expect(opened.data[i]).toBeLessThanOrEqual(img.data[i]!);
      expect(closed.data[i]).toBeGreaterThanOrEqual(img.data[i]!);
    }
  });

  it('handles 1-pixel images, radii larger than the image, and aborts between passes', () => {
    const one = createImage(1, 1, 1, Buffer.from([9]));
    expect([...morphology(one, 'dilate', { radius: 4, shape: 'disc', iterations: 1 }).data]).toEqual([9]);
    const img = noise(5, 3, 1);
    expect([...morphology(img, 'erode', { radius: 9, shape: 'square', iterations: 1 }).data]).toEqual(reference(img, 'erode', 9, 'square'));
    const controller = new AbortController();
    controller.abort();
    expect(() => morphology(img, 'open', { radius: 1, shape: 'square', iterations: 2, signal: controller.signal })).toThrow();
  });
});
