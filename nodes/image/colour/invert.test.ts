import { describe, expect, it } from 'vitest';
import { invertNode } from './invert.node';
import { runNode } from '../../../test/helpers/node-harness';
import { createImage, type PixelImage } from '../../_impl/pixel-image';
import { isPixelImage } from '../../ports';

async function invert(image: PixelImage | undefined): Promise<PixelImage> {
  const { image: out } = await runNode(invertNode, { image });
  if (!isPixelImage(out)) throw new Error('no image');
  return out;
}

describe('image.invert', () => {
  it('inverts RGB samples', async () => {
    const out = await invert(createImage(2, 1, 3, Buffer.from([0, 100, 255, 10, 128, 200])));
    expect([...out.data]).toEqual([255, 155, 0, 245, 127, 55]);
  });

  it('keeps alpha of RGBA and grey+alpha', async () => {
    const rgba = await invert(createImage(1, 1, 4, Buffer.from([0, 100, 255, 77])));
    expect([...rgba.data]).toEqual([255, 155, 0, 77]);
    const ga = await invert(createImage(2, 1, 2, Buffer.from([30, 0, 200, 255])));
    expect([ga.channels, ...ga.data]).toEqual([2, 225, 0, 55, 255]);
  });

  it('keeps grey grey, and twice is the identity', async () => {
    const grey = createImage(3, 1, 1, Buffer.from([0, 1, 254]));
    const once = await invert(grey);
    expect([once.channels, ...once.data]).toEqual([1, 255, 254, 1]);
    expect([...(await invert(once)).data]).toEqual([0, 1, 254]);
  });

  it('refuses a missing image', async () => {
    await expect(invert(undefined)).rejects.toMatchObject({ code: 'missing_input', details: { port: 'image' } });
  });
});
