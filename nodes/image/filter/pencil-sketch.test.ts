import { describe, expect, it } from 'vitest';
import { pencilSketchNode } from './pencil-sketch.node';
import { runNode } from '../../../test/helpers/node-harness';
import { pixel, solid } from '../../../test/helpers/images';
import { createImage, type PixelImage } from '../../_impl/pixel-image';
import { isPixelImage } from '../../ports';

/** RGB: grey 40 left of column 20, grey 200 from it on. */
function twoTone(w = 40, h = 12): PixelImage {
  const data = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.fill(x < 20 ? 40 : 200, (y * w + x) * 3, (y * w + x) * 3 + 3);
  return createImage(w, h, 3, data);
}

async function sketch(input: PixelImage, params: Record<string, unknown> = {}): Promise<PixelImage> {
  const { image } = await runNode(pencilSketchNode, { image: input }, params);
  if (!isPixelImage(image)) throw new Error('no image');
  return image;
}

describe('image.pencil-sketch', () => {
  it('turns flat regions white and the dark side of an edge dark', async () => {
    const out = await sketch(twoTone(), { sigma: 2 });
    expect(out.channels).toBe(1);
    // Far from the edge (> 3σ) the blur changes nothing, so the dodge gives exactly white.
    for (const x of [0, 5, 12, 28, 35, 39]) expect(pixel(out, x, 6)[0]).toBeGreaterThanOrEqual(254);
    // Just left of the edge: grey 40 over a blurred inverse of about (215 + 55) / 2 → ≈ 40·255/120 ≈ 85.
    const edge = pixel(out, 19, 6)[0]!;
    expect(edge).toBeGreaterThan(60);
    expect(edge).toBeLessThan(110);
    expect(pixel(out, 18, 6)[0]!).toBeGreaterThan(edge);
    // The light side of the edge saturates back to white.
    expect(pixel(out, 20, 6)[0]).toBe(255);
  });

  it('an all-flat image becomes all white; shade 1 brings back its grey', async () => {
    const flat = solid(10, 10, [120, 120, 120]);
    expect((await sketch(flat)).data.every((v) => v === 255)).toBe(true);
    const shaded = await sketch(flat, { shade: 1 });
    expect(shaded.data.every((v) => Math.abs(v - 120) <= 1)).toBe(true);
    const half = await sketch(flat, { shade: 0.5 });
    expect(Math.abs(pixel(half, 5, 5)[0]! - (255 + 120) / 2)).toBeLessThanOrEqual(1);
  });

  it('refuses shade outside 0..1, a tiny sigma and a missing image', async () => {
    const img = solid(4, 4, [10]);
    await expect(runNode(pencilSketchNode, { image: img }, { shade: 1.5 })).rejects.toMatchObject({ code: 'invalid_param', details: { param: 'shade' } });
    await expect(runNode(pencilSketchNode, { image: img }, { sigma: 0.1 })).rejects.toMatchObject({ code: 'invalid_param', details: { param: 'sigma' } });
    await expect(runNode(pencilSketchNode, {}, {})).rejects.toMatchObject({ code: 'missing_input' });
  });
});
