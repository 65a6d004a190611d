import { describe, expect, it } from 'vitest';
import { edgeDetectNode } from './edge-detect.node';
import { createHarness, runNode } from '../../../test/helpers/node-harness';
import { pixel, solid } from '../../../test/helpers/images';
import { createImage, type PixelImage } from '../../_impl/pixel-image';
import { isPixelImage } from '../../ports';

/** RGB image: black left of column 12, white from it on. */
function verticalStep(w = 24, h = 10): PixelImage {
  const data = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) data.fill(255, (y * w + 12) * 3, (y * w + w) * 3);
  return createImage(w, h, 3, data);
}

async function edges(params: Record<string, unknown>, input = verticalStep()): Promise<PixelImage> {
  const { image } = await runNode(edgeDetectNode, { image: input }, params);
  if (!isPixelImage(image)) throw new Error('no image');
  return image;
}

describe('image.edges', () => {
  it('sobel: strong on the step columns, ~0 in flat areas, one channel', async () => {
    const out = await edges({ method: 'sobel' });
    expect(out.channels).toBe(1);
    for (let y = 0; y < 10; y++) {
      expect(pixel(out, 11, y)[0]).toBeGreaterThanOrEqual(250);
      expect(pixel(out, 12, y)[0]).toBeGreaterThanOrEqual(250);
      for (const x of [0, 5, 9, 14, 18, 23]) expect(pixel(out, x, y)[0]).toBeLessThanOrEqual(2);
    }
  });

  it('laplacian: responds beside the step only', async () => {
    const out = await edges({ method: 'laplacian' });
    expect(pixel(out, 11, 4)[0]).toBeGreaterThanOrEqual(250);
    expect(pixel(out, 12, 4)[0]).toBeGreaterThanOrEqual(250);
    for (const x of [0, 6, 10, 13, 20]) expect(pixel(out, x, 4)[0]).toBe(0);
  });

  it('canny: a single thin 255 line on the step, 0 elsewhere, with progress', async () => {
    const harness = createHarness();
    const { image } = await runNode(edgeDetectNode, { image: verticalStep() }, { method: 'canny', sigma: 1 }, harness);
    if (!isPixelImage(image)) throw new Error('no image');
    for (let y = 1; y < 9; y++) {
      const row = [...image.data.subarray(y * 24, y * 24 + 24)];
      expect(row.filter((v) => v === 255)).toHaveLength(1);
      expect([11, 12]).toContain(row.indexOf(255));
      expect(row.filter((v) => v !== 0 && v !== 255)).toHaveLength(0);
    }
    expect(harness.progress.length).toBeGreaterThan(0);
    expect(harness.progress.length).toBeLessThanOrEqual(20);
    expect(harness.progress.at(-1)?.fraction).toBe(1);
  });

  it('a flat image has no edges with any method', async () => {
    for (const method of ['sobel', 'laplacian', 'canny']) {
      const out = await edges({ method }, solid(9, 7, [90, 120, 30]));
      expect(out.data.every((v) => v === 0)).toBe(true);
    }
  });

  it('refuses low above high, an unknown method and a missing image', async () => {
    await expect(edges({ method: 'canny', low: 80, high: 40 })).rejects.toMatchObject({ code: 'invalid_param', details: { param: 'low' } });
    await expect(edges({ method: 'prewitt' })).rejects.toMatchObject({ code: 'invalid_param', details: { param: 'method' } });
    await expect(runNode(edgeDetectNode, {}, {})).rejects.toMatchObject({ code: 'missing_input' });
  });
});
