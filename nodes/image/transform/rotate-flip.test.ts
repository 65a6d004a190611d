import { describe, expect, it } from 'vitest';
import { rotateNode } from './rotate-flip.node';
import { createHarness, runNode } from '../../../test/helpers/node-harness';
import { pixel, solid } from '../../../test/helpers/images';
import { createImage, type PixelImage } from '../../_impl/pixel-image';
import { isPixelImage } from '../../ports';

async function rotate(image: PixelImage, params: Record<string, unknown>): Promise<PixelImage> {
  const { image: out } = await runNode(rotateNode, { image }, params);
  if (!isPixelImage(out)) throw new Error('no image');
  return out;
}

/** 3x2 grey: 1 2 3 / 4 5 6. */
const grey = createImage(3, 2, 1, Buffer.from([1, 2, 3, 4, 5, 6]));
const rows = (img: PixelImage) =>
  Array.from({ length: img.height }, (_, y) => [...img.data.subarray(y * img.width * img.channels, (y + 1) * img.width * img.channels)]);

/** Position of the brightest sample of a grey image. */
function brightest(img: PixelImage): [number, number] {
  let best = 0;
  for (let i = 1; i < img.data.length; i++) if (img.data[i]! > img.data[best]!) best = i;
  return [best % img.width, Math.floor(best / img.width)];
}

describe('image.rotate', () => {
  it('turns by multiples of 90° exactly, clockwise for positive angles', async () => {
    expect(rows(await rotate(grey, { angle: 90 }))).toEqual([[4, 1], [5, 2], [6, 3]]);
    expect(rows(await rotate(grey, { angle: -90 }))).toEqual([[3, 6], [2, 5], [1, 4]]);
    expect(rows(await rotate(grey, { angle: 180 }))).toEqual([[6, 5, 4], [3, 2, 1]]);
    expect(rows(await rotate(grey, { angle: 270 }))).toEqual(rows(await rotate(grey, { angle: -90 })));
    expect(rows(await rotate(grey, { angle: -270 }))).toEqual(rows(await rotate(grey, { angle: 90 })));
    expect(rows(await rotate(grey, { angle: 360 }))).toEqual(rows(grey));
  });

  it('keeps every channel when turning RGBA by 90°', async () => {
    const rgba = createImage(2, 1, 4, Buffer.from([10, 20, 30, 40, 50, 60, 70, 80]));
    const out = await rotate(rgba, { angle: 90 });
    expect([out.width, out.height, out.channels]).toEqual([1, 2, 4]);
    expect([...out.data]).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
  });

  it('flips top↔bottom and flops left↔right, before rotating', async () => {
    expect(rows(await rotate(grey, { flip: true }))).toEqual([[4, 5, 6], [1, 2, 3]]);
    expect(rows(await rotate(grey, { flop: true }))).toEqual([[3, 2, 1], [6, 5, 4]]);
    expect(rows(await rotate(grey, { flip: true, flop: true }))).toEqual([[6, 5, 4], [3, 2, 1]]);
    // flip (4 5 6 / 1 2 3) then 90° clockwise.
    expect(rows(await rotate(grey, { flip: true, angle: 90 }))).toEqual([[1, 4], [2, 5], [3, 6]]);
  });

  it('fills the corners of a 45° turn with the background, on a bounding-box canvas', async () => {
    const out = await rotate(solid(10, 10, [0]), { angle: 45, background: '#ffffff' });
    expect([out.width, out.height, out.channels]).toEqual([14, 14, 1]);
    expect(pixel(out, 0, 0)).toEqual([255]);
    expect(pixel(out, 13, 13)).toEqual([255]);
    expect(pixel(out, 7, 7)).toEqual([0]);
    // The rotated square's top corner sits on the middle column.
    expect(pixel(out, 7, 1)[0]).toBeLessThan(128);
  });

  it('stays continuous next to a right angle (no pixel jump)', async () => {
    const data = Buffer.alloc(81);
    data[2 * 9 + 3] = 255;
    const src = createImage(9, 9, 1, data);
    for (const angle of [90, 180, -90]) {
      const exact = await rotate(src, { angle });
      const nudged = await rotate(src, { angle: angle + 0.01 });
      expect([nudged.width, nudged.height]).toEqual([9, 9]);
      expect(brightest(nudged)).toEqual(brightest(exact));
      expect(Math.max(...nudged.data)).toBeGreaterThan(240);
    }
  });

  it('adds alpha for a see-through background without darkening the edges', async () => {
    const out = await rotate(solid(8, 6, [200, 100, 50]), { angle: 30, background: '#ff000000' });
    expect(out.channels).toBe(4);
    expect(pixel(out, 0, 0)[3]).toBe(0);
    expect(pixel(out, Math.floor(out.width / 2), Math.floor(out.height / 2))).toEqual([200, 100, 50, 255]);
    let partial = 0;
    for (let i = 0; i < out.width * out.height; i++) {
      const [r, g, b, a] = out.data.subarray(i * 4, i * 4 + 4);
      if (a! > 0 && a! < 255) {
        partial++;
        expect([r, g, b]).toEqual([200, 100, 50]);
      }
    }
    expect(partial).toBeGreaterThan(0);
  });

  it('keeps grey+alpha as two channels and blends grey with the luma of the background', async () => {
    const out = await rotate(solid(6, 6, [100]), { angle: 20, background: '#00ff00' });
    expect(out.channels).toBe(1);
    expect(pixel(out, 0, 0)).toEqual([150]);
    const ga = await rotate(createImage(4, 4, 2, Buffer.alloc(32, 255)), { angle: 10, background: '#00000000' });
    expect(ga.channels).toBe(2);
  });

  it('refuses angles beyond ±360° and canvases over the pixel limit', async () => {
    await expect(rotate(grey, { angle: 400 })).rejects.toMatchObject({ code: 'invalid_param', details: { param: 'angle' } });
    const harness = createHarness({ limits: { maxPixels: 100 } });
    await expect(runNode(rotateNode, { image: solid(10, 10, [0]) }, { angle: 45 }, harness)).rejects.toMatchObject({
      code: 'image_too_large',
    });
  });
});
