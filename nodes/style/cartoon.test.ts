import sharp from 'sharp';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runNode } from '../../test/helpers/node-harness';
import { createImage, type PixelImage } from '../_impl/pixel-image';
import { cartoonNode } from './cartoon.node';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

async function landscape(): Promise<PixelImage> {
  const { data, info } = await sharp(join(repoRoot, 'examples/images/landscape.jpg')).resize(160, 120, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return createImage(info.width, info.height, 3, data);
}

describe('style.cartoon', () => {
  it('reduces colours to a few flat levels with dark outlines along edges', async () => {
    const input = await landscape();
    const { image } = (await runNode(cartoonNode, { image: input }, { levels: 4 })) as { image: PixelImage };
    expect([image.width, image.height, image.channels]).toEqual([160, 120, 3]);
    const allowed = new Set([0, 85, 170, 255]);
    const colours = new Set<number>();
    let black = 0;
    for (let i = 0; i < image.data.length; i += 3) {
      for (let c = 0; c < 3; c++) expect(allowed.has(image.data[i + c]!)).toBe(true);
      colours.add((image.data[i]! << 16) | (image.data[i + 1]! << 8) | image.data[i + 2]!);
      if (image.data[i] === 0 && image.data[i + 1] === 0 && image.data[i + 2] === 0) black++;
    }
    expect(colours.size).toBeLessThanOrEqual(64);
    const n = 160 * 120;
    // Outlines exist but are a small part of the picture.
    expect(black / n).toBeGreaterThan(0.005);
    expect(black / n).toBeLessThan(0.25);
  });

  it('draws no outlines on a flat image and outlines a dark line on a light ground', async () => {
    const flat = createImage(32, 32, 3, Buffer.alloc(32 * 32 * 3, 200));
    const { image: flatOut } = (await runNode(cartoonNode, { image: flat })) as { image: PixelImage };
    expect(flatOut.data.every((v) => v !== 0)).toBe(true);
    const lined = Buffer.alloc(32 * 32 * 3, 220);
    for (let y = 0; y < 32; y++) for (let x = 15; x < 18; x++) lined.fill(40, (y * 32 + x) * 3, (y * 32 + x) * 3 + 3);
    const { image } = (await runNode(cartoonNode, { image: createImage(32, 32, 3, lined) }, { smoothing: 1 })) as { image: PixelImage };
    expect(image.data[(16 * 32 + 16) * 3]).toBe(0);
    expect(image.data[(16 * 32 + 4) * 3]).toBeGreaterThan(150);
  });
});
