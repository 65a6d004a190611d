import { describe, expect, it } from 'vitest';
import { compositeNode } from './composite.node';
import { runNode } from '../../../test/helpers/node-harness';
import { gradient, pixel, solid } from '../../../test/helpers/images';
import { createImage, type PixelImage } from '../../_impl/pixel-image';
import { isPixelImage } from '../../ports';

async function composite(base: PixelImage, top: PixelImage, params: Record<string, unknown>, mask?: PixelImage) {
  const { image } = await runNode(compositeNode, { base, top, mask }, params);
  if (!isPixelImage(image)) throw new Error('no image');
  return image;
}

function expectNear(actual: number[], expected: number[], tolerance = 1) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!), `sample ${i}: ${v} vs ${expected[i]}`).toBeLessThanOrEqual(tolerance));
}

/** Every pixel of `image` outside the rectangle equals `base`'s. */
function expectOutsideUnchanged(image: PixelImage, base: PixelImage, rect: { x0: number; y0: number; x1: number; y1: number }) {
  for (let y = 0; y < base.height; y++) {
    for (let x = 0; x < base.width; x++) {
      if (x >= rect.x0 && x < rect.x1 && y >= rect.y0 && y < rect.y1) continue;
      expect(pixel(image, x, y), `pixel ${x},${y}`).toEqual(pixel(base, x, y));
    }
  }
}

describe('image.composite', () => {
  const red = [200, 100, 50];

  it('places an opaque top exactly at (x, y), leaving the rest of base as it was', async () => {
    const base = gradient(10, 8);
    const image = await composite(base, solid(4, 3, red), { x: 3, y: 2 });
    expect([image.width, image.height, image.channels]).toEqual([10, 8, 3]);
    for (const [x, y] of [[3, 2], [6, 2], [3, 4], [6, 4], [5, 3]] as const) expect(pixel(image, x, y)).toEqual(red);
    expectOutsideUnchanged(image, base, { x0: 3, y0: 2, x1: 7, y1: 5 });
  });

  it('clips a top that lies partly outside base', async () => {
    const base = gradient(10, 8);
    const image = await composite(base, solid(4, 3, red), { x: -2, y: 6 });
    for (const [x, y] of [[0, 6], [1, 6], [0, 7], [1, 7]] as const) expect(pixel(image, x, y)).toEqual(red);
    expectOutsideUnchanged(image, base, { x0: 0, y0: 6, x1: 2, y1: 8 });
  });

  it('returns base unchanged when top lies wholly outside', async () => {
    const base = gradient(10, 8);
    const image = await composite(base, solid(4, 3, red), { x: 10, y: -3 });
    expect(image.data.equals(base.data)).toBe(true);
  });

  it('mixes by opacity and by the alpha of top', async () => {
    const base = solid(4, 4, [0, 0, 0]);
    const half = await composite(base, solid(2, 2, [200, 100, 50]), { x: 1, y: 1, opacity: 0.5 });
    expectNear(pixel(half, 1, 1), [100, 50, 25]);
    expect(pixel(half, 0, 0)).toEqual([0, 0, 0]);
    const alpha = await composite(base, solid(2, 2, [200, 100, 50, 128]), { x: 1, y: 1 });
    expect(alpha.channels).toBe(3);
    expectNear(pixel(alpha, 2, 2), [100, 50, 25]);
  });

  it('applies a mask per pixel of top, resizing one of another size', async () => {
    const base = solid(4, 1, [0, 0, 0]);
    const mask = createImage(2, 1, 1, Buffer.from([255, 0]));
    const image = await composite(base, solid(2, 1, [200, 200, 200]), { x: 1 }, mask);
    expect(pixel(image, 1, 0)).toEqual([200, 200, 200]);
    expect(pixel(image, 2, 0)).toEqual([0, 0, 0]);
    const bigTop = solid(16, 4, [200, 200, 200]);
    const stretched = await composite(solid(16, 4, [0, 0, 0]), bigTop, {}, mask);
    expectNear(pixel(stretched, 0, 2), [200, 200, 200], 12);
    expectNear(pixel(stretched, 15, 2), [0, 0, 0], 12);
  });

  it('composites over a base with alpha using Porter–Duff over', async () => {
    const clear = solid(3, 3, [0, 0, 0, 0]);
    const opaque = await composite(clear, solid(1, 1, [10, 20, 30]), { x: 1, y: 1 });
    expect(opaque.channels).toBe(4);
    expect(pixel(opaque, 1, 1)).toEqual([10, 20, 30, 255]);
    expect(pixel(opaque, 0, 0)).toEqual([0, 0, 0, 0]);
    const halfOverClear = await composite(clear, solid(1, 1, [10, 20, 30, 128]), {});
    expectNear(pixel(halfOverClear, 0, 0), [10, 20, 30, 128]);
    // Half of white over half-transparent black: αo = .5 + .5·.5 = .75; Co = (255·.5) / .75 = 170.
    const mixed = await composite(solid(1, 1, [0, 0, 0, 128]), solid(1, 1, [255, 255, 255]), { opacity: 0.5 });
    expectNear(pixel(mixed, 0, 0), [170, 170, 170, 192]);
  });

  it('widens a grey base to RGB', async () => {
    const image = await composite(solid(3, 3, [50]), solid(1, 1, [255, 0, 0]), { x: 2, y: 2 });
    expect(image.channels).toBe(3);
    expect(pixel(image, 0, 0)).toEqual([50, 50, 50]);
    expect(pixel(image, 2, 2)).toEqual([255, 0, 0]);
  });

  it('refuses a fractional position and a missing top', async () => {
    const img = solid(2, 2, [0, 0, 0]);
    await expect(composite(img, img, { x: 1.5 })).rejects.toMatchObject({ code: 'invalid_param', details: { param: 'x' } });
    await expect(runNode(compositeNode, { base: img })).rejects.toMatchObject({ code: 'missing_input' });
  });
});
