import { describe, expect, it } from 'vitest';
import { grayscaleNode } from './grayscale.node';
import { runNode } from '../../../test/helpers/node-harness';
import { createImage, type PixelImage } from '../../_impl/pixel-image';
import { isPixelImage } from '../../ports';

async function grayscale(image: PixelImage): Promise<PixelImage> {
  const { image: out } = await runNode(grayscaleNode, { image });
  if (!isPixelImage(out)) throw new Error('no image');
  return out;
}

describe('image.grayscale', () => {
  it('gives one channel of Rec. 601 luma', async () => {
    const rgb = createImage(4, 1, 3, Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 200, 100, 50]));
    const out = await grayscale(rgb);
    expect([out.width, out.height, out.channels]).toEqual([4, 1, 1]);
    // 0.299·255, 0.587·255, 0.114·255, 0.299·200 + 0.587·100 + 0.114·50
    const expected = [76.2, 149.7, 29.1, 124.2];
    [...out.data].forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(0.5));
  });

  it('drops alpha', async () => {
    const rgba = createImage(1, 1, 4, Buffer.from([0, 255, 0, 10]));
    const out = await grayscale(rgba);
    expect(out.channels).toBe(1);
    expect(Math.abs(out.data[0]! - 149.7)).toBeLessThanOrEqual(0.5);
    const greyAlpha = await grayscale(createImage(2, 1, 2, Buffer.from([40, 0, 90, 255])));
    expect([...greyAlpha.data]).toEqual([40, 90]);
  });

  it('passes grey through untouched', async () => {
    const grey = createImage(3, 1, 1, Buffer.from([0, 128, 255]));
    expect([...(await grayscale(grey)).data]).toEqual([0, 128, 255]);
  });

  it('refuses a value that is not an image', async () => {
    await expect(grayscale({ width: 2, height: 2, channels: 3, data: Buffer.alloc(5) })).rejects.toMatchObject({
      code: 'invalid_input',
      details: { port: 'image' },
    });
  });
});
