import { describe, expect, it } from 'vitest';
import { drawTextNode } from './draw-text.node';
import { runNode } from '../../../test/helpers/node-harness';
import { gradient, pixel, solid } from '../../../test/helpers/images';
import type { PixelImage } from '../../_impl/pixel-image';
import { isPixelImage } from '../../ports';

async function drawText(image: PixelImage, params: Record<string, unknown>, text?: string) {
  const out = await runNode(drawTextNode, { image, text }, params);
  if (!isPixelImage(out.image)) throw new Error('no image');
  return out.image;
}

/** Pixels in [x0, x1) × [y0, y1) whose colour differs from the original. */
function changedIn(out: PixelImage, original: PixelImage, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (pixel(out, x, y).join() !== pixel(original, x, y).join()) n++;
  return n;
}

/** Pixels in the rectangle close to an RGB colour. */
function countColour(image: PixelImage, rgb: number[], x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
    const p = pixel(image, x, y);
    if (rgb.every((v, c) => Math.abs(p[c]! - v) <= 8)) n++;
  }
  return n;
}

describe('image.draw-text', () => {
  const base = solid(160, 60, [0, 0, 0]);

  it('colours pixels inside the text area only', async () => {
    const out = await drawText(base, { defaultText: 'Hello', x: 10, y: 10, fontSize: 20, colour: '#ff8000' });
    expect([out.width, out.height, out.channels]).toEqual([160, 60, 3]);
    // "Hello" at 20 px is about 55 px wide and 20 px tall (top-left at 10, 10).
    expect(countColour(out, [255, 128, 0], 10, 10, 80, 32)).toBeGreaterThan(40);
    const total = changedIn(out, base, 0, 0, 160, 60);
    expect(changedIn(out, base, 8, 9, 80, 32)).toBe(total);
  });

  it('leaves the image unchanged for empty text', async () => {
    const input = gradient(30, 20);
    const out = await drawText(input, { defaultText: '' });
    expect([out.width, out.height, out.channels]).toEqual([30, 20, 3]);
    expect(out.data.equals(input.data)).toBe(true);
    expect((await drawText(input, { defaultText: '  \n ' })).data.equals(input.data)).toBe(true);
  });

  it('takes the text input over the defaultText param', async () => {
    const fromInput = await drawText(base, { defaultText: '', x: 10, y: 10, fontSize: 20 }, 'Hi');
    expect(changedIn(fromInput, base, 0, 0, 160, 60)).toBeGreaterThan(0);
    const emptyInput = await drawText(base, { defaultText: 'Hello', x: 10, y: 10, fontSize: 20 }, '');
    expect(emptyInput.data.equals(base.data)).toBe(true);
  });

  it('puts each line below the last', async () => {
    const out = await drawText(base, { defaultText: 'A\nB', x: 4, y: 2, fontSize: 20, colour: '#ffffff' });
    // Line 1 spans y 2..26; line 2 starts at y 2 + 24 = 26.
    expect(countColour(out, [255, 255, 255], 4, 2, 30, 24)).toBeGreaterThan(20);
    expect(countColour(out, [255, 255, 255], 4, 28, 30, 50)).toBeGreaterThan(20);
  });

  it('escapes XML in the text', async () => {
    const out = await drawText(base, { defaultText: '<svg> & "quotes" \u0001', x: 5, y: 5, fontSize: 14 });
    expect(changedIn(out, base, 0, 0, 160, 60)).toBeGreaterThan(30);
  });

  it('fills a background box around the text when asked', async () => {
    const out = await drawText(base, {
      defaultText: 'Box',
      x: 20,
      y: 20,
      fontSize: 16,
      colour: '#ffffff',
      background: true,
      backgroundColour: '#0000ff',
      padding: 4,
    });
    expect(pixel(out, 17, 17)).toEqual([0, 0, 255]); // padding above-left of the text origin
    expect(pixel(out, 10, 10)).toEqual([0, 0, 0]);
    expect(countColour(out, [255, 255, 255], 20, 20, 60, 40)).toBeGreaterThan(15);
  });

  it('keeps alpha on RGBA input and widens grey input', async () => {
    const rgba = await drawText(solid(60, 30, [0, 0, 0, 50]), { defaultText: 'X', x: 2, y: 2, fontSize: 20 });
    expect(rgba.channels).toBe(4);
    expect(pixel(rgba, 55, 25)).toEqual([0, 0, 0, 50]);
    const grey = await drawText(solid(60, 30, [0]), { defaultText: 'X', x: 2, y: 2, fontSize: 20 });
    expect(grey.channels).toBe(3);
  });

  it('refuses a bad colour and a font size out of range', async () => {
    await expect(drawText(base, { defaultText: 'a', colour: 'white' })).rejects.toMatchObject({ code: 'invalid_param' });
    await expect(drawText(base, { defaultText: 'a', fontSize: 0 })).rejects.toMatchObject({
      code: 'invalid_param',
      details: { param: 'fontSize' },
    });
  });
});
