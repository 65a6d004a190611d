import { describe, expect, it } from 'vitest';
import { blendFunctions, blendImages, blendModes, blendTable } from './blend-modes';
import { createImage } from './pixel-image';

describe('blend functions', () => {
  it('match the W3C definitions at reference points', () => {
    const f = blendFunctions;
    expect(f.multiply(0.5, 0.5)).toBeCloseTo(0.25);
    expect(f.screen(0.5, 0.5)).toBeCloseTo(0.75);
    expect(f.overlay(0.25, 0.8)).toBeCloseTo(2 * 0.25 * 0.8); // Cb ≤ .5: multiply(Cs, 2Cb)
    expect(f.overlay(0.75, 0.2)).toBeCloseTo(0.2 + 0.5 - 0.2 * 0.5); // Cb > .5: screen(Cs, 2Cb − 1)
    expect(f['hard-light'](0.8, 0.25)).toBeCloseTo(0.8 * 0.5);
    expect(f['hard-light'](0.2, 0.75)).toBeCloseTo(0.2 + 0.5 - 0.2 * 0.5);
    expect(f['soft-light'](0.5, 0.25)).toBeCloseTo(0.5 - 0.5 * 0.5 * 0.5);
    expect(f['soft-light'](0.64, 1)).toBeCloseTo(0.8); // sqrt branch: D(.64) = .8
    expect(f['soft-light'](0.125, 1)).toBeCloseTo(((16 * 0.125 - 12) * 0.125 + 4) * 0.125);
    expect(f.difference(0.2, 0.7)).toBeCloseTo(0.5);
    expect(f.add(0.7, 0.6)).toBe(1);
    expect(f.subtract(0.3, 0.6)).toBe(0);
    expect(f.darken(0.3, 0.6)).toBe(0.3);
    expect(f.lighten(0.3, 0.6)).toBe(0.6);
  });

  it('stay within 0..1 and are neutral where the spec says so', () => {
    for (const mode of blendModes) {
      const t = blendTable(mode);
      expect(Math.min(...t), mode).toBeGreaterThanOrEqual(0);
      expect(Math.max(...t), mode).toBeLessThanOrEqual(255);
    }
    // Multiply by white, screen with black, soft-light with mid grey leave the base alone.
    for (let b = 0; b < 256; b += 17) {
      expect(blendFunctions.multiply(b / 255, 1)).toBeCloseTo(b / 255);
      expect(blendFunctions.screen(b / 255, 0)).toBeCloseTo(b / 255);
      expect(blendFunctions['soft-light'](b / 255, 0.5)).toBeCloseTo(b / 255);
    }
  });
});

describe('blendImages', () => {
  it('mixes every pixel and keeps base alpha', () => {
    const base = createImage(2, 1, 4, Buffer.from([255, 0, 128, 10, 0, 255, 64, 200]));
    const top = createImage(2, 1, 1, Buffer.from([128, 255]));
    const out = blendImages(base, top, { mode: 'multiply', opacity: 1 });
    expect(out.channels).toBe(4);
    expect([...out.data]).toEqual([128, 0, 64, 10, 0, 255, 64, 200]);
  });

  it('refuses mismatched sizes and a mask of the wrong shape', () => {
    const a = createImage(2, 2, 3);
    expect(() => blendImages(a, createImage(1, 2, 3), { mode: 'normal', opacity: 1 })).toThrow(RangeError);
    expect(() => blendImages(a, a, { mode: 'normal', opacity: 1, mask: createImage(2, 1, 1) })).toThrow(RangeError);
  });

  it('stops when the signal is aborted', () => {
    const a = createImage(4, 4, 3);
    const controller = new AbortController();
    controller.abort();
    expect(() => blendImages(a, a, { mode: 'normal', opacity: 1, signal: controller.signal })).toThrow();
  });
});
