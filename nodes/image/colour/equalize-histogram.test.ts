import { describe, expect, it } from 'vitest';
import { equalizeHistogramNode } from './equalize-histogram.node';
import { runNode } from '../../../test/helpers/node-harness';
import { channelMean } from '../../../test/helpers/images';
import { createImage, toGrey, type PixelImage } from '../../_impl/pixel-image';
import { isPixelImage } from '../../ports';

async function equalize(image: PixelImage): Promise<PixelImage> {
  const { image: out } = await runNode(equalizeHistogramNode, { image });
  if (!isPixelImage(out)) throw new Error('no image');
  return out;
}

/** Low-contrast grey ramp: 64x4 pixels, values 100..115 (each value 16 times). */
function dullRamp(): PixelImage {
  const data = Buffer.alloc(64 * 4);
  for (let i = 0; i < data.length; i++) data[i] = 100 + ((i % 64) >> 2);
  return createImage(64, 4, 1, data);
}

describe('image.equalize', () => {
  it('stretches a grey ramp to a flat histogram over 0..255', async () => {
    const out = await equalize(dullRamp());
    expect(out.channels).toBe(1);
    expect(Math.min(...out.data)).toBe(0);
    expect(Math.max(...out.data)).toBe(255);
    // 16 equally common values map to round(k/15 · 255): 0, 17, 34, …
    expect(out.data[8]).toBe(34);
    expect(channelMean(out)).toBeCloseTo(127.5, 0);
  });

  it('equalises colour on luma only, keeping the differences between channels', async () => {
    const ramp = dullRamp();
    const rgba = Buffer.alloc(ramp.data.length * 4);
    for (let i = 0; i < ramp.data.length; i++) rgba.set([ramp.data[i]! + 20, ramp.data[i]!, ramp.data[i]! - 20, 180], i * 4);
    const out = await equalize(createImage(64, 4, 4, rgba));
    expect(out.channels).toBe(4);
    const luma = toGrey(out);
    expect(Math.max(...luma.data) - Math.min(...luma.data)).toBeGreaterThan(230);
    // Unclipped middle pixels keep r − g = g − b = 20 (hue kept); alpha untouched.
    for (const x of [24, 32, 40]) {
      const [r, g, b, a] = out.data.subarray(x * 4, x * 4 + 4);
      expect(Math.abs(r! - g! - 20)).toBeLessThanOrEqual(1);
      expect(Math.abs(g! - b! - 20)).toBeLessThanOrEqual(1);
      expect(a).toBe(180);
    }
  });

  it('refuses a malformed image (buffer shorter than its size)', async () => {
    await expect(equalize({ width: 4, height: 4, channels: 1, data: Buffer.alloc(15) })).rejects.toMatchObject({
      code: 'invalid_input',
      details: { port: 'image' },
    });
  });
});
