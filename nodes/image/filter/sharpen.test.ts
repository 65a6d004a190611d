import { describe, expect, it } from 'vitest';
import { sharpenNode } from './sharpen.node';
import { runNode } from '../../../test/helpers/node-harness';
import { pixel, solid } from '../../../test/helpers/images';
import { createImage, isChannels, type PixelImage } from '../../_impl/pixel-image';
import { isPixelImage } from '../../ports';

/** Vertical step of samples (any channel count): `lo` left of column 8, `hi` from it on. */
function step(lo: number[], hi: number[], w = 16, h = 6): PixelImage {
  const c = lo.length;
  if (!isChannels(c)) throw new RangeError('1 to 4 samples');
  const data = Buffer.alloc(w * h * c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(x < 8 ? lo : hi, (y * w + x) * c);
  return createImage(w, h, c, data);
}

async function sharpen(input: PixelImage, params: Record<string, unknown> = {}): Promise<PixelImage> {
  const { image } = await runNode(sharpenNode, { image: input }, params);
  if (!isPixelImage(image)) throw new Error('no image');
  return image;
}

describe('image.sharpen', () => {
  it('raises the contrast across a grey step edge and leaves flat areas alone', async () => {
    const out = await sharpen(step([64], [192]), { sigma: 1, m1: 1, m2: 2 });
    expect(out.channels).toBe(1);
    const [dark] = pixel(out, 7, 3);
    const [light] = pixel(out, 8, 3);
    // Overshoot on both sides: darker than 64 and lighter than 192 by a visible margin.
    expect(dark).toBeLessThan(64 - 10);
    expect(light).toBeGreaterThan(192 + 5);
    expect(light! - dark!).toBeGreaterThan(128 + 20);
    for (const x of [0, 1, 2, 14, 15]) expect(Math.abs(pixel(out, x, 3)[0]! - (x < 8 ? 64 : 192))).toBeLessThanOrEqual(1);
  });

  it('stronger jagged-area sharpening (m2) overshoots more', async () => {
    const mild = await sharpen(step([64], [192]), { m2: 0.5 });
    const strong = await sharpen(step([64], [192]), { m2: 4 });
    const contrast = (img: PixelImage) => pixel(img, 8, 3)[0]! - pixel(img, 7, 3)[0]!;
    expect(contrast(strong)).toBeGreaterThan(contrast(mild));
    // m1 = m2 = 0 sharpens nothing.
    const none = await sharpen(step([64], [192]), { m1: 0, m2: 0 });
    expect([pixel(none, 7, 3)[0], pixel(none, 8, 3)[0]]).toEqual([64, 192]);
  });

  it('keeps colour channels and passes alpha through', async () => {
    const out = await sharpen(step([60, 60, 60, 200], [190, 190, 190, 100]));
    expect(out.channels).toBe(4);
    expect(pixel(out, 7, 2)[3]).toBe(200);
    expect(pixel(out, 8, 2)[3]).toBe(100);
    expect(pixel(out, 7, 2)[0]).toBeLessThan(60);
    expect(pixel(out, 8, 2)[0]).toBeGreaterThan(190);
    expect(Math.abs(pixel(out, 0, 2)[0]! - 60)).toBeLessThanOrEqual(1);
  });

  it('refuses a non-positive sigma, a negative m1 and a missing image', async () => {
    const img = solid(4, 4, [10]);
    await expect(runNode(sharpenNode, { image: img }, { sigma: 0 })).rejects.toMatchObject({ code: 'invalid_param', details: { param: 'sigma' } });
    await expect(runNode(sharpenNode, { image: img }, { m1: -1 })).rejects.toMatchObject({ code: 'invalid_param', details: { param: 'm1' } });
    await expect(runNode(sharpenNode, {}, {})).rejects.toMatchObject({ code: 'missing_input' });
  });
});
