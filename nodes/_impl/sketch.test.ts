import { describe, expect, it } from 'vitest';
import { colourDodgeSketch, invertGrey } from './sketch';
import { createImage } from './pixel-image';

const grey = (values: number[]) => createImage(values.length, 1, 1, Buffer.from(values));

describe('sketch helpers', () => {
  it('inverts a grey image', () => {
    expect([...invertGrey(grey([0, 1, 128, 255])).data]).toEqual([255, 254, 127, 0]);
    expect(() => invertGrey(createImage(1, 1, 3))).toThrow(RangeError);
  });

  it('colour-dodges: equal to the inverse gives white, a brighter blur darkens', () => {
    // grey 100, blurred inverse 155 (= its own inverse): 100·255/100 = 255.
    // grey 100, blurred inverse 100: 100·255/155 ≈ 164.5; divisor 0 gives 255; grey 0 stays 0.
    const out = colourDodgeSketch(grey([100, 100, 40, 0, 200]), grey([155, 100, 255, 90, 250]));
    expect([...out.data]).toEqual([255, 165, 255, 0, 255]);
  });

  it('shade multiplies towards the grey image', () => {
    const g = grey([100, 200]);
    const inv = grey([155, 55]);
    expect([...colourDodgeSketch(g, inv, 1).data]).toEqual([100, 200]);
    // 255 · (0.5 + 0.5 · g / 255) = 177.5 and 227.5.
    const half = colourDodgeSketch(g, inv, 0.5).data;
    expect(Math.abs(half[0]! - 177.5)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(half[1]! - 227.5)).toBeLessThanOrEqual(0.5);
    expect(() => colourDodgeSketch(g, inv, 2)).toThrow(RangeError);
    expect(() => colourDodgeSketch(g, grey([1, 2, 3]))).toThrow(RangeError);
  });
});
