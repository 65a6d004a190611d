import { describe, expect, it } from 'vitest';
import { blendNode } from './blend.node';
import { runNode } from '../../../test/helpers/node-harness';
import { pixel, solid } from '../../../test/helpers/images';
import { createImage, type PixelImage } from '../../_impl/pixel-image';
import { isPixelImage } from '../../ports';

async function blend(base: PixelImage, top: PixelImage, params: Record<string, unknown>, mask?: PixelImage) {
  const { image } = await runNode(blendNode, { base, top, mask }, params);
  if (!isPixelImage(image)) throw new Error('no image');
  return image;
}

function expectNear(actual: number[], expected: number[], tolerance = 1) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!), `sample ${i}: ${v} vs ${expected[i]}`).toBeLessThanOrEqual(tolerance));
}

describe('image.blend', () => {
  // [mode, base sample, top sample, expected] — hand-computed from the W3C formulas.
  const cases: [string, number, number, number][] = [
    ['normal', 100, 200, 200],
    ['multiply', 128, 128, 64],
    ['multiply', 255, 77, 77],
    ['screen', 128, 128, 192],
    ['screen', 0, 77, 77],
    ['overlay', 64, 200, 100],
    ['overlay', 200, 64, 173],
    ['darken', 100, 200, 100],
    ['lighten', 100, 200, 200],
    ['add', 200, 100, 255],
    ['add', 100, 50, 150],
    ['subtract', 100, 150, 0],
    ['subtract', 200, 50, 150],
    ['difference', 50, 200, 150],
    ['difference', 200, 50, 150],
    ['soft-light', 128, 64, 96],
    ['soft-light', 64, 192, 96],
    ['soft-light', 32, 255, 88],
    ['soft-light', 128, 128, 128],
    ['hard-light', 128, 64, 64],
    ['hard-light', 100, 200, 188],
  ];
  it.each(cases)('%s of %i under %i gives %i', async (mode, b, s, expected) => {
    const image = await blend(solid(4, 3, [b, b, b]), solid(4, 3, [s, s, s]), { mode });
    expect([image.width, image.height, image.channels]).toEqual([4, 3, 3]);
    expectNear(pixel(image, 0, 0), [expected, expected, expected]);
    expectNear(pixel(image, 3, 2), [expected, expected, expected]);
  });

  it('blends each channel on its own', async () => {
    const image = await blend(solid(2, 2, [255, 128, 0]), solid(2, 2, [128, 128, 128]), { mode: 'multiply' });
    expectNear(pixel(image, 1, 1), [128, 64, 0]);
  });

  it('scales the effect by opacity', async () => {
    const image = await blend(solid(3, 3, [0, 100, 200]), solid(3, 3, [200, 200, 0]), { mode: 'normal', opacity: 0.5 });
    expectNear(pixel(image, 1, 1), [100, 150, 100]);
    const none = await blend(solid(3, 3, [0, 100, 200]), solid(3, 3, [200, 200, 0]), { opacity: 0 });
    expect(pixel(none, 1, 1)).toEqual([0, 100, 200]);
  });

  it('scales the effect per pixel by the mask', async () => {
    const mask = createImage(4, 1, 1, Buffer.from([255, 128, 0, 0]));
    const image = await blend(solid(4, 1, [0, 0, 0]), solid(4, 1, [200, 200, 200]), { mode: 'screen' }, mask);
    expectNear(pixel(image, 0, 0), [200, 200, 200]);
    expectNear(pixel(image, 1, 0), [100, 100, 100]);
    expect(pixel(image, 2, 0)).toEqual([0, 0, 0]);
  });

  it('resizes a mask of another size to the base', async () => {
    const mask = createImage(2, 1, 1, Buffer.from([255, 0]));
    const image = await blend(solid(16, 4, [0, 0, 0]), solid(16, 4, [200, 200, 200]), {}, mask);
    expect([image.width, image.height]).toEqual([16, 4]);
    expectNear(pixel(image, 0, 2), [200, 200, 200], 12);
    expectNear(pixel(image, 15, 2), [0, 0, 0], 12);
  });

  it("uses top's alpha as coverage and keeps base's alpha", async () => {
    const image = await blend(solid(2, 2, [100, 100, 100, 77]), solid(2, 2, [255, 255, 255, 0]), { mode: 'add' });
    expect(image.channels).toBe(4);
    expect(pixel(image, 0, 0)).toEqual([100, 100, 100, 77]);
    const half = await blend(solid(2, 2, [0, 0, 0]), solid(2, 2, [200, 0, 100, 128]), {});
    expectNear(pixel(half, 1, 0), [100, 0, 50]);
  });

  it('widens grey inputs to RGB', async () => {
    const image = await blend(solid(3, 2, [128]), solid(3, 2, [255, 128, 0]), { mode: 'multiply' });
    expect(image.channels).toBe(3);
    expectNear(pixel(image, 2, 1), [128, 64, 0]);
  });

  it('stretches a top of another size over the base by default', async () => {
    const image = await blend(solid(8, 6, [10, 10, 10]), solid(2, 2, [90, 180, 30]), {});
    expect([image.width, image.height, image.channels]).toEqual([8, 6, 3]);
    expectNear(pixel(image, 4, 3), [90, 180, 30]);
  });

  it("fails with size_mismatch when sizes differ and resizeTop is 'none'", async () => {
    await expect(blend(solid(8, 6, [0, 0, 0]), solid(2, 2, [0, 0, 0]), { resizeTop: 'none' })).rejects.toMatchObject({
      code: 'size_mismatch',
      details: { port: 'top' },
    });
  });

  it('refuses an unknown mode and an opacity above 1', async () => {
    const img = solid(2, 2, [0, 0, 0]);
    await expect(blend(img, img, { mode: 'burn' })).rejects.toMatchObject({ code: 'invalid_param' });
    await expect(blend(img, img, { opacity: 1.5 })).rejects.toMatchObject({ code: 'invalid_param' });
  });

  it('refuses a mask with more than one channel', async () => {
    const img = solid(2, 2, [0, 0, 0]);
    await expect(runNode(blendNode, { base: img, top: img, mask: img })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
