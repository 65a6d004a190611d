import { describe, expect, it } from 'vitest';
import { morphologyNode } from './morphology.node';
import { createHarness, runNode } from '../../../test/helpers/node-harness';
import { pixel, solid } from '../../../test/helpers/images';
import { createImage, type PixelImage } from '../../_impl/pixel-image';
import { isPixelImage } from '../../ports';

function dot(w: number, h: number, x: number, y: number): PixelImage {
  const data = Buffer.alloc(w * h);
  data[y * w + x] = 255;
  return createImage(w, h, 1, data);
}

/** Coordinates of the white pixels, as "x,y". */
function whites(img: PixelImage): string[] {
  const out: string[] = [];
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) if (pixel(img, x, y)[0] === 255) out.push(`${x},${y}`);
  return out;
}

function block(x0: number, y0: number, w: number, h = w): string[] {
  const out: string[] = [];
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) out.push(`${x},${y}`);
  return out;
}

describe('image.morphology', () => {
  it('dilates a single white pixel by a radius-2 square into a 5×5 block, and erodes it back', async () => {
    const harness = createHarness();
    const { image: grown } = await runNode(morphologyNode, { image: dot(11, 9, 5, 4) }, { operation: 'dilate', radius: 2, shape: 'square' }, harness);
    if (!isPixelImage(grown)) throw new Error('no image');
    expect(grown.channels).toBe(1);
    expect(whites(grown)).toEqual(block(3, 2, 5));
    expect(grown.data.filter((v) => v !== 0 && v !== 255)).toHaveLength(0);
    expect(harness.progress.at(-1)?.fraction).toBe(1);

    const { image: shrunk } = await runNode(morphologyNode, { image: grown }, { operation: 'erode', radius: 2, shape: 'square' });
    if (!isPixelImage(shrunk)) throw new Error('no image');
    expect(whites(shrunk)).toEqual(['5,4']);
  });

  it('uses a disc element and iterations', async () => {
    const { image: disc } = await runNode(morphologyNode, { image: dot(9, 9, 4, 4) }, { radius: 2, shape: 'disc' });
    if (!isPixelImage(disc)) throw new Error('no image');
    // x² + y² <= 4: 13 pixels, corners of the 5×5 block stay black.
    expect(whites(disc)).toHaveLength(13);
    expect(pixel(disc, 2, 2)).toEqual([0]);
    expect(pixel(disc, 4, 2)).toEqual([255]);
    expect(pixel(disc, 3, 3)).toEqual([255]);
    const { image: twice } = await runNode(morphologyNode, { image: dot(9, 9, 4, 4) }, { radius: 1, iterations: 2 });
    if (!isPixelImage(twice)) throw new Error('no image');
    expect(whites(twice)).toEqual(block(2, 2, 5));
  });

  it('opening removes a speck and keeps a large block; colour input becomes one channel', async () => {
    const data = Buffer.alloc(20 * 12 * 3);
    const set = (x: number, y: number) => data.fill(255, (y * 20 + x) * 3, (y * 20 + x) * 3 + 3);
    set(2, 2); // speck
    for (let y = 3; y < 10; y++) for (let x = 8; x < 16; x++) set(x, y);
    const { image } = await runNode(morphologyNode, { image: createImage(20, 12, 3, data) }, { operation: 'open', radius: 1 });
    if (!isPixelImage(image)) throw new Error('no image');
    expect(image.channels).toBe(1);
    expect(pixel(image, 2, 2)).toEqual([0]);
    expect(whites(image)).toEqual(block(8, 3, 8, 7));
  });

  it('refuses bad params and stops when cancelled', async () => {
    const img = solid(4, 4, [128]);
    await expect(runNode(morphologyNode, { image: img }, { radius: 0 })).rejects.toMatchObject({ code: 'invalid_param', details: { param: 'radius' } });
    await expect(runNode(morphologyNode, { image: img }, { iterations: 17 })).rejects.toMatchObject({ code: 'invalid_param' });
    await expect(runNode(morphologyNode, { image: img }, { shape: 'diamond' })).rejects.toMatchObject({ code: 'invalid_param' });
    const controller = new AbortController();
    controller.abort();
    await expect(runNode(morphologyNode, { image: img }, {}, createHarness({ signal: controller.signal }))).rejects.toMatchObject({ name: 'AbortError' });
  });
});
