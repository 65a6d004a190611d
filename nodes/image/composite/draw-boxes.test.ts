import { describe, expect, it } from 'vitest';
import { drawBoxesNode } from './draw-boxes.node';
import { runNode } from '../../../test/helpers/node-harness';
import { gradient, pixel, solid } from '../../../test/helpers/images';
import type { PixelImage } from '../../_impl/pixel-image';
import { isPixelImage, type Box } from '../../ports';

async function drawBoxes(image: PixelImage, boxes: Box[], params: Record<string, unknown> = {}) {
  const out = await runNode(drawBoxesNode, { image, boxes }, params);
  if (!isPixelImage(out.image)) throw new Error('no image');
  return out.image;
}

function expectNear(actual: number[], expected: number[], tolerance = 2) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!), `sample ${i}: ${v} vs ${expected[i]}`).toBeLessThanOrEqual(tolerance));
}

/** Pixels in [x0, x1) × [y0, y1) whose colour differs from the original. */
function changedIn(out: PixelImage, original: PixelImage, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (pixel(out, x, y).join() !== pixel(original, x, y).join()) n++;
  return n;
}

describe('image.draw-boxes', () => {
  const green = [0, 255, 0];
  const box: Box = { x: 10, y: 8, width: 20, height: 12 };

  it('strokes the box edges in the colour and keeps the interior and outside as they were', async () => {
    const input = gradient(40, 30);
    const out = await drawBoxes(input, [box], { colour: '#00ff00', lineWidth: 2, showLabels: false });
    expect([out.width, out.height, out.channels]).toEqual([40, 30, 3]);
    // Outer two pixel rows/columns of the box carry the colour.
    for (const [x, y] of [[10, 8], [11, 9], [29, 8], [28, 19], [10, 19], [20, 8], [20, 19], [10, 14], [29, 14]] as const) {
      expectNear(pixel(out, x, y), green);
    }
    // Interior (inside the 2-px line) and everything outside the box untouched.
    expect(changedIn(out, input, 12, 10, 28, 18)).toBe(0);
    expect(changedIn(out, input, 0, 0, 40, 8) + changedIn(out, input, 0, 20, 40, 30)).toBe(0);
    expect(changedIn(out, input, 0, 8, 10, 20) + changedIn(out, input, 30, 8, 40, 20)).toBe(0);
  });

  it('draws a polygon when the box has one', async () => {
    const input = solid(40, 40, [20, 20, 20]);
    const polygon: [number, number][] = [[5, 5], [35, 5], [35, 35], [5, 35]];
    const out = await drawBoxes(input, [{ x: 0, y: 0, width: 40, height: 40, polygon }], {
      colour: '#0000ff',
      lineWidth: 4,
      showLabels: false,
    });
    expectNear(pixel(out, 20, 5), [0, 0, 255]);
    expectNear(pixel(out, 35, 20), [0, 0, 255]);
    expect(pixel(out, 20, 20)).toEqual([20, 20, 20]);
    expect(pixel(out, 0, 0)).toEqual([20, 20, 20]); // the box rectangle itself is not drawn
  });

  it('writes label and score above a box only when showLabels is on', async () => {
    const input = solid(80, 50, [0, 0, 0]);
    const labelled: Box = { x: 10, y: 25, width: 40, height: 20, label: 'cat <&> "x"', score: 0.91 };
    const on = await drawBoxes(input, [labelled], { colour: '#ffff00', fontSize: 12, lineWidth: 1 });
    const off = await drawBoxes(input, [labelled], { colour: '#ffff00', fontSize: 12, lineWidth: 1, showLabels: false });
    expect(changedIn(on, input, 10, 8, 80, 25)).toBeGreaterThan(20);
    expect(changedIn(off, input, 0, 0, 80, 25)).toBe(0);
    // Text pixels are drawn in the colour (yellow: red and green high, no blue).
    let yellow = 0;
    for (let y = 8; y < 25; y++) for (let x = 10; x < 80; x++) {
      const [r, g, b] = pixel(on, x, y);
      if (r! > 200 && g! > 200 && b === 0) yellow++;
    }
    expect(yellow).toBeGreaterThan(5);
  });

  it('fills a box no wider than the line', async () => {
    const input = solid(10, 10, [0, 0, 0]);
    const out = await drawBoxes(input, [{ x: 4, y: 4, width: 2, height: 2 }], { colour: '#ffffff', lineWidth: 4 });
    for (const [x, y] of [[4, 4], [5, 4], [4, 5], [5, 5]] as const) expect(pixel(out, x, y)).toEqual([255, 255, 255]);
    expect(changedIn(out, input, 0, 0, 10, 10)).toBe(4);
  });

  it('keeps alpha on RGBA input and widens grey input to RGB', async () => {
    const rgba = await drawBoxes(solid(20, 20, [9, 9, 9, 100]), [{ x: 2, y: 2, width: 10, height: 10 }], { showLabels: false });
    expect(rgba.channels).toBe(4);
    expect(pixel(rgba, 2, 2)).toEqual([255, 0, 0, 255]);
    expect(pixel(rgba, 7, 7)).toEqual([9, 9, 9, 100]);
    const grey = await drawBoxes(solid(20, 20, [9]), [{ x: 2, y: 2, width: 10, height: 10 }]);
    expect(grey.channels).toBe(3);
    expect(pixel(grey, 2, 2)).toEqual([255, 0, 0]);
  });

  it('returns the image unchanged for no boxes or boxes outside it', async () => {
    const input = gradient(20, 10);
    expect((await drawBoxes(input, [])).data.equals(input.data)).toBe(true);
    const outside = await drawBoxes(input, [{ x: 100, y: 100, width: 5, height: 5 }], { showLabels: false });
    expect(outside.data.equals(input.data)).toBe(true);
  });

  it('refuses a colour that is not hex, and malformed boxes', async () => {
    const input = solid(4, 4, [0, 0, 0]);
    await expect(drawBoxes(input, [box], { colour: 'red' })).rejects.toMatchObject({ code: 'invalid_param' });
    await expect(drawBoxes(input, [box], { lineWidth: 0 })).rejects.toMatchObject({ code: 'invalid_param' });
    await expect(runNode(drawBoxesNode, { image: input, boxes: [{ x: 0, y: 0, width: -1, height: 2 }] })).rejects.toMatchObject({
      code: 'invalid_input',
      details: { port: 'boxes' },
    });
  });
});
