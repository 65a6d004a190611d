import { describe, expect, it } from 'vitest';
import { adjustNode } from './adjust.node';
import { runNode } from '../../../test/helpers/node-harness';
import { pixel } from '../../../test/helpers/images';
import { createImage, type PixelImage } from '../../_impl/pixel-image';
import { isPixelImage } from '../../ports';

async function adjust(image: PixelImage, params: Record<string, unknown>): Promise<PixelImage> {
  const { image: out } = await runNode(adjustNode, { image }, params);
  if (!isPixelImage(out)) throw new Error('no image');
  return out;
}

const near = (actual: number[], expected: number[], tolerance: number) =>
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(tolerance));

const greyRow = createImage(4, 1, 1, Buffer.from([0, 50, 100, 200]));
/** Orange, teal and a mid grey, with alpha. */
const colours = createImage(3, 1, 4, Buffer.from([220, 120, 40, 255, 30, 160, 150, 128, 128, 128, 128, 9]));

describe('image.adjust', () => {
  it('is the identity with default params', async () => {
    expect([...(await adjust(colours, {})).data]).toEqual([...colours.data]);
  });

  it('multiplies samples by brightness and clips at 255', async () => {
    const out = await adjust(greyRow, { brightness: 1.5 });
    expect([out.channels, ...out.data]).toEqual([1, 0, 75, 150, 255]);
  });

  it('scales the distance from 128 by contrast, after brightness', async () => {
    expect([...(await adjust(greyRow, { contrast: 2 })).data]).toEqual([0, 0, 72, 255]);
    expect([...(await adjust(greyRow, { contrast: 0 })).data]).toEqual([128, 128, 128, 128]);
    // brightness 2 (0, 100, 200, 255) then contrast 0.5 around 128.
    expect([...(await adjust(greyRow, { brightness: 2, contrast: 0.5 })).data]).toEqual([64, 114, 164, 192]);
  });

  it('removes colour at saturation 0 and keeps alpha', async () => {
    const out = await adjust(colours, { saturation: 0 });
    expect(out.channels).toBe(4);
    for (let x = 0; x < 3; x++) {
      const [r, g, b] = pixel(out, x, 0);
      expect(Math.abs(r! - g!)).toBeLessThanOrEqual(2);
      expect(Math.abs(g! - b!)).toBeLessThanOrEqual(2);
    }
    expect([pixel(out, 0, 0)[3], pixel(out, 1, 0)[3], pixel(out, 2, 0)[3]]).toEqual([255, 128, 9]);
    near(pixel(out, 2, 0), [128, 128, 128, 9], 1);
  });

  it('raises chroma with saturation above 1', async () => {
    const [r, g, b] = pixel(await adjust(colours, { saturation: 1.5 }), 0, 0);
    expect(r! - b!).toBeGreaterThan(220 - 40);
    expect(g!).toBeGreaterThan(b!);
  });

  it('rotates hue: a third of a turn moves orange away from red, a full turn changes nothing', async () => {
    const turned = pixel(await adjust(colours, { hue: 120 }), 0, 0);
    expect(turned[1]!).toBeGreaterThan(turned[0]!); // green now dominates
    near(pixel(await adjust(colours, { hue: 360 }), 0, 0), [220, 120, 40, 255], 0);
    const back = pixel(await adjust(await adjust(colours, { hue: 90 }), { hue: -90 }), 1, 0);
    near(back, [30, 160, 150, 128], 3);
  });

  it('keeps grey images grey whatever the saturation and hue', async () => {
    const out = await adjust(greyRow, { saturation: 3, hue: 45 });
    expect([out.channels, ...out.data]).toEqual([1, 0, 50, 100, 200]);
  });

  it('refuses out-of-range and fractional params', async () => {
    await expect(adjust(greyRow, { brightness: -1 })).rejects.toMatchObject({ code: 'invalid_param', details: { param: 'brightness' } });
    await expect(adjust(greyRow, { hue: 400 })).rejects.toMatchObject({ code: 'invalid_param', details: { param: 'hue' } });
    await expect(adjust(greyRow, { hue: 12.5 })).rejects.toMatchObject({ code: 'invalid_param', details: { param: 'hue' } });
  });
});
