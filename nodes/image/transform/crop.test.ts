import { describe, expect, it } from 'vitest';
import { cropNode } from './crop.node';
import { runNode } from '../../../test/helpers/node-harness';
import { gradient, pixel } from '../../../test/helpers/images';
import { createImage, type PixelImage } from '../../_impl/pixel-image';
import { isPixelImage } from '../../ports';

async function crop(image: PixelImage, params: Record<string, unknown>): Promise<PixelImage> {
  const { image: out } = await runNode(cropNode, { image }, params);
  if (!isPixelImage(out)) throw new Error('no image');
  return out;
}

// 4x3 grey image whose value is 10·y + x.
const grey = createImage(4, 3, 1, Buffer.from([0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23]));

describe('image.crop', () => {
  it('cuts out exactly the requested grey pixels', async () => {
    const out = await crop(grey, { x: 1, y: 1, width: 2, height: 2 });
    expect([out.width, out.height, out.channels]).toEqual([2, 2, 1]);
    expect([...out.data]).toEqual([11, 12, 21, 22]);
  });

  it('reaches the right and bottom edges when width and height are left empty', async () => {
    const out = await crop(grey, { x: 2, y: 1 });
    expect([out.width, out.height]).toEqual([2, 2]);
    expect([...out.data]).toEqual([12, 13, 22, 23]);
  });

  it('keeps colour values and alpha of RGBA images', async () => {
    const data = Buffer.alloc(3 * 2 * 4);
    for (let i = 0; i < 6; i++) data.set([i * 10, 100 + i, 200, 50 + i], i * 4);
    const out = await crop(createImage(3, 2, 4, data), { x: 2, y: 0, width: 1, height: 2 });
    expect([out.width, out.height, out.channels]).toEqual([1, 2, 4]);
    expect(pixel(out, 0, 0)).toEqual([20, 102, 200, 52]);
    expect(pixel(out, 0, 1)).toEqual([50, 105, 200, 55]);
  });

  it('matches the source pixel for pixel on a gradient', async () => {
    const src = gradient(16, 16);
    const out = await crop(src, { x: 5, y: 7, width: 6, height: 4 });
    for (const [x, y] of [[0, 0], [5, 3], [2, 1]] as const) expect(pixel(out, x, y)).toEqual(pixel(src, x + 5, y + 7));
  });

  it('refuses a region that leaves the image, naming both sizes', async () => {
    const failure = crop(grey, { x: 2, y: 0, width: 3, height: 2 });
    await expect(failure).rejects.toMatchObject({ code: 'crop_out_of_bounds', details: { param: 'width' } });
    await expect(failure).rejects.toThrow(/3x2 at \(2, 0\).*4x3/);
    await expect(crop(grey, { x: 0, y: 3 })).rejects.toMatchObject({ code: 'crop_out_of_bounds', details: { param: 'y' } });
  });

  it('refuses negative offsets and zero sizes as invalid params', async () => {
    await expect(crop(grey, { x: -1 })).rejects.toMatchObject({ code: 'invalid_param', details: { param: 'x' } });
    await expect(crop(grey, { width: 0 })).rejects.toMatchObject({ code: 'invalid_param', details: { param: 'width' } });
  });
});
