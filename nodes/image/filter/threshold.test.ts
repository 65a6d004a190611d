import { describe, expect, it } from 'vitest';
import { thresholdNode } from './threshold.node';
import { runNode } from '../../../test/helpers/node-harness';
import { pixel } from '../../../test/helpers/images';
import { createImage, type PixelImage } from '../../_impl/pixel-image';
import { isPixelImage } from '../../ports';

/** RGB image: left half dark red-ish (luma 50), right half light (luma 200). */
function twoTone(w: number, h: number): PixelImage {
  const data = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const [r, g, b] = x < w / 2 ? [80, 40, 20] : [200, 200, 200];
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
    }
  }
  return createImage(w, h, 3, data);
}

describe('image.threshold', () => {
  it('computes Otsu between the two tones and returns a 0/255 one-channel mask', async () => {
    const out = await runNode(thresholdNode, { image: twoTone(20, 6) }, { method: 'otsu' });
    const { mask, level } = out;
    if (!isPixelImage(mask) || typeof level !== 'number') throw new Error('bad outputs');
    // Luma 50 and 200: every level 50..199 splits them equally well; the middle is 124.
    expect(level).toBe(124);
    expect(mask.channels).toBe(1);
    expect(pixel(mask, 0, 0)).toEqual([0]);
    expect(pixel(mask, 9, 5)).toEqual([0]);
    expect(pixel(mask, 10, 0)).toEqual([255]);
    expect(new Set(mask.data)).toEqual(new Set([0, 255]));
  });

  it('uses the fixed level and inverts on request', async () => {
    const ramp = createImage(256, 1, 1, Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
    const out = await runNode(thresholdNode, { image: ramp }, { method: 'fixed', level: 100, invert: true });
    const { mask, level } = out;
    if (!isPixelImage(mask)) throw new Error('no mask');
    expect(level).toBe(100);
    expect(pixel(mask, 100, 0)).toEqual([255]);
    expect(pixel(mask, 101, 0)).toEqual([0]);
    expect(mask.data.subarray(0, 101).every((v) => v === 255)).toBe(true);
    expect(mask.data.subarray(101).every((v) => v === 0)).toBe(true);
  });

  it('refuses a level outside 0..255 and an unknown method', async () => {
    const img = twoTone(4, 4);
    await expect(runNode(thresholdNode, { image: img }, { level: 300 })).rejects.toMatchObject({ code: 'invalid_param', details: { param: 'level' } });
    await expect(runNode(thresholdNode, { image: img }, { method: 'mean' })).rejects.toMatchObject({ code: 'invalid_param' });
    await expect(runNode(thresholdNode, {}, {})).rejects.toMatchObject({ code: 'missing_input' });
  });
});
