import { describe, expect, it } from 'vitest';
import { resizeNode } from './resize.node';
import { createHarness, runNode } from '../../../test/helpers/node-harness';
import { channelMean, checkerboard, gradient, pixel, solid } from '../../../test/helpers/images';
import { createImage, type PixelImage } from '../../_impl/pixel-image';
import { isPixelImage } from '../../ports';

async function resize(image: PixelImage, params: Record<string, unknown>): Promise<PixelImage> {
  const { image: out } = await runNode(resizeNode, { image }, params);
  if (!isPixelImage(out)) throw new Error('no image');
  return out;
}

const near = (actual: number[], expected: number[], tolerance = 1) =>
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(tolerance));

describe('image.resize', () => {
  it('duplicates pixels with the nearest kernel and keeps grey grey', async () => {
    const src = createImage(2, 2, 1, Buffer.from([10, 20, 30, 40]));
    const out = await resize(src, { width: 4, height: 4, kernel: 'nearest' });
    expect([out.width, out.height, out.channels]).toEqual([4, 4, 1]);
    expect([...out.data]).toEqual([10, 10, 20, 20, 10, 10, 20, 20, 30, 30, 40, 40, 30, 30, 40, 40]);
  });

  it('keeps the aspect ratio when only one side is given', async () => {
    const byWidth = await resize(gradient(8, 4), { width: 4 });
    expect([byWidth.width, byWidth.height, byWidth.channels]).toEqual([4, 2, 3]);
    const byHeight = await resize(gradient(8, 4), { height: 8 });
    expect([byHeight.width, byHeight.height]).toEqual([16, 8]);
  });

  it('averages a fine checkerboard to mid-grey when shrinking linearly', async () => {
    const out = await resize(checkerboard(16, 16, 1), { width: 8, height: 8, kernel: 'linear' });
    expect(channelMean(out)).toBeCloseTo(127.5, -1);
    for (const v of out.data) expect(Math.abs(v - 127.5)).toBeLessThan(20);
  });

  it('keeps a flat colour flat with lanczos3', async () => {
    const out = await resize(solid(10, 10, [200, 100, 50]), { width: 5, height: 5 });
    near(pixel(out, 2, 2), [200, 100, 50]);
    near(pixel(out, 0, 4), [200, 100, 50]);
  });

  it('letterboxes with the background colour for contain', async () => {
    const out = await resize(solid(4, 2, [255, 0, 0]), { width: 4, height: 4, fit: 'contain', background: '#0000ff' });
    expect([out.width, out.height, out.channels]).toEqual([4, 4, 3]);
    near(pixel(out, 0, 0), [0, 0, 255]);
    near(pixel(out, 3, 3), [0, 0, 255]);
    near(pixel(out, 1, 1), [255, 0, 0]);
    near(pixel(out, 2, 2), [255, 0, 0]);
  });

  it('reduces the letterbox colour to luma for grey images', async () => {
    const out = await resize(solid(4, 2, [200]), { width: 4, height: 4, fit: 'contain', background: '#ff0000' });
    expect(out.channels).toBe(1);
    near(pixel(out, 0, 0), [76]);
    near(pixel(out, 0, 1), [200]);
  });

  it('adds alpha for a see-through letterbox', async () => {
    const out = await resize(solid(4, 2, [10, 20, 30]), { width: 4, height: 4, fit: 'contain', background: '#00000000' });
    expect(out.channels).toBe(4);
    expect(pixel(out, 0, 0)[3]).toBe(0);
    near(pixel(out, 1, 1), [10, 20, 30, 255]);
    const grey = await resize(solid(4, 2, [90]), { width: 4, height: 4, fit: 'contain', background: '#00000000' });
    expect(grey.channels).toBe(4);
    expect(pixel(grey, 0, 3)[3]).toBe(0);
    near(pixel(grey, 2, 2), [90, 90, 90, 255]);
  });

  it('crops the overflow centrally for cover and stretches for fill', async () => {
    // Red encodes x: 0..255 over 9 columns (steps of ~32). A centred 3x3 cover crop of a 9x3
    // image at scale 1 keeps columns 3..5.
    const src = gradient(9, 3);
    const cover = await resize(src, { width: 3, height: 3, fit: 'cover', kernel: 'nearest' });
    expect([cover.width, cover.height]).toEqual([3, 3]);
    expect(cover.data.subarray(0, 9).filter((_, i) => i % 3 === 0).join()).toBe([96, 128, 159].join());
    const fill = await resize(src, { width: 3, height: 3, fit: 'fill' });
    expect([fill.width, fill.height]).toEqual([3, 3]);
    expect(pixel(fill, 0, 1)[0]).toBeLessThan(60);
    expect(pixel(fill, 2, 1)[0]).toBeGreaterThan(195);
  });

  it('fits inside and around the box keeping the aspect ratio', async () => {
    const inside = await resize(gradient(16, 8), { width: 4, height: 4, fit: 'inside' });
    expect([inside.width, inside.height]).toEqual([4, 2]);
    const outside = await resize(gradient(16, 8), { width: 4, height: 4, fit: 'outside' });
    expect([outside.width, outside.height]).toEqual([8, 4]);
  });

  it('refuses to run with neither width nor height', async () => {
    await expect(resize(gradient(4, 4), {})).rejects.toMatchObject({ code: 'missing_size', details: { param: 'width' } });
  });

  it('refuses sizes out of range and unknown kernels', async () => {
    await expect(resize(gradient(4, 4), { width: 0 })).rejects.toMatchObject({ code: 'invalid_param' });
    await expect(resize(gradient(4, 4), { width: 4, kernel: 'mitchell' })).rejects.toMatchObject({
      code: 'invalid_param',
      details: { param: 'kernel' },
    });
  });

  it('refuses an output over the pixel limit before allocating it', async () => {
    const harness = createHarness({ limits: { maxPixels: 1000 } });
    await expect(runNode(resizeNode, { image: gradient(4, 4) }, { width: 100, height: 100 }, harness)).rejects.toMatchObject({
      code: 'image_too_large',
    });
  });
});
