import { describe, expect, it } from 'vitest';
import { alphaOverInPlace, fillRectInPlace, rgbCopy } from './alpha-over';
import { createImage } from './pixel-image';

describe('rgbCopy', () => {
  it('widens grey and grey+alpha and always copies', () => {
    expect([...rgbCopy(createImage(1, 1, 1, Buffer.from([7]))).data]).toEqual([7, 7, 7]);
    expect([...rgbCopy(createImage(1, 1, 2, Buffer.from([7, 9]))).data]).toEqual([7, 7, 7, 9]);
    const rgb = createImage(1, 1, 3, Buffer.from([1, 2, 3]));
    const copy = rgbCopy(rgb);
    copy.data[0] = 99;
    expect(rgb.data[0]).toBe(1);
  });
});

describe('alphaOverInPlace', () => {
  it('clips to the base and leaves uncovered pixels alone', () => {
    const base = createImage(3, 2, 3, Buffer.alloc(18, 5));
    const top = createImage(2, 2, 3, Buffer.alloc(12, 200));
    alphaOverInPlace(base, top, { x: 2, y: -1, opacity: 1 });
    expect([...base.data]).toEqual([5, 5, 5, 5, 5, 5, 200, 200, 200, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
  });

  it('follows Porter–Duff over on a base with alpha', () => {
    const base = createImage(1, 1, 4, Buffer.from([0, 0, 255, 255]));
    alphaOverInPlace(base, createImage(1, 1, 4, Buffer.from([255, 0, 0, 51])), { x: 0, y: 0, opacity: 1 });
    expect([...base.data]).toEqual([51, 0, 204, 255]);
    const clear = createImage(1, 1, 4, Buffer.from([0, 0, 0, 0]));
    alphaOverInPlace(clear, createImage(1, 1, 3, Buffer.from([30, 60, 90])), { x: 0, y: 0, opacity: 0.2 });
    expect([...clear.data]).toEqual([30, 60, 90, 51]);
  });

  it('refuses a grey base', () => {
    expect(() => alphaOverInPlace(createImage(1, 1, 1), createImage(1, 1, 1), { x: 0, y: 0, opacity: 1 })).toThrow(RangeError);
  });
});

describe('fillRectInPlace', () => {
  it('blends a colour over the clipped rectangle only', () => {
    const base = createImage(3, 1, 3, Buffer.alloc(9, 0));
    fillRectInPlace(base, { x: 1, y: 0, width: 5, height: 1 }, { r: 255, g: 0, b: 100, a: 255 });
    expect([...base.data]).toEqual([0, 0, 0, 255, 0, 100, 255, 0, 100]);
  });
});
