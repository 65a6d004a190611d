import { describe, expect, it } from 'vitest';
import { createImage } from '../pixel-image';
import { cropQuad } from './crop-rotate';
import { dbPostprocess, defaultDbOptions } from './db-postprocess';
import { detectSize } from './detect-preprocess';
import { minAreaRect, rectCorners, type Quad } from './geometry';
import { resolveLookalikes, type DecodedChar } from './lookalikes';
import { readingOrder } from './reading-order';
import { ctcChars, ctcDecode } from './recognise';

/** Decoded characters from a string; `alt` gives look-alikes as [char, p, other reading, its p]. */
function decoded(text: string, alt: Record<number, [string, number, string, number]> = {}): DecodedChar[] {
  return [...text].map((char, i) => {
    const a = alt[i];
    if (!a) return { char, p: 0.99 };
    const [mine, p, other, q] = a;
    const reading = (c: string, pr: number) => ({ char: c, p: pr });
    const isDigit = /[0-9]/.test(mine);
    return { char: mine, p, letter: isDigit ? reading(other, q) : reading(mine, p), digit: isDigit ? reading(mine, p) : reading(other, q) };
  });
}
const text = (chars: DecodedChar[]) => chars.map((c) => c.char).join('');

describe('OCR algorithms', () => {
  it('sizes the detector input to multiples of 32 within the max side', () => {
    expect(detectSize(700, 260, 1536)).toEqual({ width: 704, height: 256 });
    expect(detectSize(4000, 3000, 1536)).toEqual({ width: 1536, height: 1152 });
    expect(detectSize(10, 10, 1536)).toEqual({ width: 32, height: 32 });
  });

  it('fits a minimum-area rectangle to rotated points', () => {
    const a = Math.PI / 6;
    const pts: [number, number][] = [];
    for (let u = 0; u <= 40; u += 2) for (let v = 0; v <= 10; v += 2) pts.push([50 + u * Math.cos(a) - v * Math.sin(a), 50 + u * Math.sin(a) + v * Math.cos(a)]);
    const r = minAreaRect(pts);
    expect(Math.max(r.width, r.height)).toBeCloseTo(40, 5);
    expect(Math.min(r.width, r.height)).toBeCloseTo(10, 5);
    const [tl, tr, br, bl] = rectCorners(r);
    expect(tl[0]).toBeLessThan(tr[0]);
    expect(bl[1]).toBeGreaterThan(tl[1]);
    expect(br[0]).toBeGreaterThan(bl[0]);
  });

  it('turns a probability blob into a grown, scored, rescaled box', () => {
    const w = 64, h = 32;
    const prob = new Float32Array(w * h);
    for (let y = 10; y < 20; y++) for (let x = 8; x < 48; x++) prob[y * w + x] = 0.9;
    const [found, ...rest] = dbPostprocess(prob, w, h, 128, 64, defaultDbOptions);
    expect(rest).toHaveLength(0);
    expect(found!.score).toBeCloseTo(0.9, 5);
    // 40×10 grown by d = 400·1.5/100 = 6 on each side → 52×22, then scaled ×2.
    const xs = found!.quad.map((p) => p[0]), ys = found!.quad.map((p) => p[1]);
    expect(Math.min(...xs)).toBeCloseTo(4, 5);
    expect(Math.max(...xs)).toBeCloseTo(108, 5);
    expect(Math.min(...ys)).toBeCloseTo(8, 5);
    expect(Math.max(...ys)).toBeCloseTo(52, 5);
    // A faint blob (mean below 0.6) is dropped.
    prob.fill(0.4);
    expect(dbPostprocess(prob, w, h, w, h)).toEqual([]);
  });

  it('crops a quad to an upright strip and turns tall strips a quarter', () => {
    const img = createImage(4, 2, 3, Buffer.from([...Array(8).keys()].flatMap((i) => [i * 10, 0, 0])));
    const quad: Quad = [[0, 0], [4, 0], [4, 2], [0, 2]];
    expect([...cropQuad(img, quad).data]).toEqual([...img.data]);
    const tall: Quad = [[0, 0], [1, 0], [1, 2], [0, 2]];
    const strip = cropQuad(img, tall);
    expect([strip.width, strip.height]).toEqual([2, 1]);
    expect([strip.data[0], strip.data[3]]).toEqual([0, 40]); // as numpy.rot90
  });

  it('decodes CTC greedily: repeats merged, blanks dropped, confidence the mean', () => {
    const dict = ['', 'a', 'b', ' '];
    const steps = [1, 1, 0, 1, 2, 3, 2];
    const probs = new Float32Array(steps.length * 4);
    steps.forEach((k, t) => {
      probs.fill(0.1, t * 4, t * 4 + 3);
      probs[t * 4 + 3] = 0.02; // the space is unlikely where it is not the best class
      probs[t * 4 + k] = 0.7;
    });
    probs[4 * 4 + 2] = 0.9;
    const { text, confidence } = ctcDecode(probs, 0, steps.length, 4, dict);
    expect(text).toBe('aab b');
    expect(confidence).toBeCloseTo((0.7 + 0.7 + 0.9 + 0.7 + 0.7) / 5, 5);
  });

  describe('spaces the blank won over', () => {
    const dict = ['', 'a', 'b', '中', '文', ' '];
    /** One row per step: [best class, space probability]; the best class gets 0.6. */
    const decode = (rows: [number, number][], spaceThreshold?: number) => {
      const probs = new Float32Array(rows.length * dict.length);
      rows.forEach(([k, space], t) => {
        probs[t * dict.length + k] = 0.6;
        if (k !== 5) probs[t * dict.length + 5] = space;
      });
      return ctcDecode(probs, 0, rows.length, dict.length, dict, { spaceThreshold });
    };

    it('reads a word gap whose space probability is clear as a space, kept out of the confidence', () => {
      const read = decode([[1, 0], [0, 0.3], [0, 0.2], [2, 0]]);
      expect(read.text).toBe('a b');
      expect(read.confidence).toBeCloseTo(0.6, 5);
      expect(decode([[1, 0], [0, 0.05], [2, 0]]).text).toBe('ab');
    });

    it('adds none between CJK characters, none next to a space the model read, and none when turned off', () => {
      expect(decode([[3, 0], [0, 0.4], [4, 0]]).text).toBe('中文');
      expect(decode([[1, 0], [0, 0.4], [5, 0], [0, 0.4], [2, 0]]).text).toBe('a b');
      expect(decode([[1, 0], [0, 0.4], [2, 0]], 1.01).text).toBe('ab');
    });
  });

  it('orders lines top to bottom and a row left to right despite small y offsets', () => {
    const box = (x: number, y: number, id: string) => ({ id, quad: [[x, y], [x + 50, y], [x + 50, y + 20], [x, y + 20]] as Quad });
    const items = [box(200, 3, 'c'), box(0, 60, 'd'), box(0, 0, 'a'), box(100, 6, 'b')];
    expect(readingOrder(items, (i) => i.quad).map((i) => i.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps look-alike alternatives per decoded character, over the steps of its run', () => {
    const dict = ['', 'r', '0', 'o', 'O', 'm'];
    const rows = [
      [0.1, 0.9, 0, 0, 0, 0], // r
      [0.1, 0, 0.6, 0.2, 0.1, 0], // 0 (o 0.2)
      [0.1, 0, 0.5, 0.35, 0.05, 0], // 0 again, merged (o 0.35)
      [0.1, 0, 0, 0, 0, 0.9], // m
    ];
    const chars = ctcChars(Float32Array.from(rows.flat()), 0, rows.length, dict.length, dict);
    expect(text(chars)).toBe('r0m');
    expect(chars[0]!.letter).toBeUndefined();
    expect(chars[1]).toMatchObject({ char: '0', digit: { char: '0' }, letter: { char: 'o' } });
    expect(chars[1]!.p).toBeCloseTo(0.6, 5);
    expect(chars[1]!.letter!.p).toBeCloseTo(0.35, 5);
    expect(ctcDecode(Float32Array.from(rows.flat()), 0, rows.length, dict.length, dict, { lookalikes: true }).text).toBe('rom');
  });

  it('reads look-alikes as letters among letters and as digits among digits', () => {
    // "r00m": each zero reads "o" with some probability; between letters the word wins.
    expect(text(resolveLookalikes(decoded('r00m', { 1: ['0', 0.8, 'o', 0.2], 2: ['0', 0.7, 'o', 0.3] })))).toBe('room');
    expect(text(resolveLookalikes(decoded('c0ol', { 1: ['0', 0.9, 'o', 0.1], 2: ['o', 0.91, '0', 0.09] })))).toBe('cool');
    // "1oo%": after a digit, the o's are zeros; "7:o0" — a colon joins the two sides.
    expect(text(resolveLookalikes(decoded('1oo%', { 1: ['o', 0.6, '0', 0.4], 2: ['o', 0.6, '0', 0.4] })))).toBe('100%');
    expect(text(resolveLookalikes(decoded('7:o0', { 2: ['o', 0.86, '0', 0.14], 3: ['0', 0.7, 'o', 0.3] })))).toBe('7:00');
    // Case comes from the model: the likelier letter is kept.
    expect(text(resolveLookalikes(decoded('0xford', { 0: ['0', 0.6, 'O', 0.4] })))).toBe('Oxford');
  });

  it('keeps confident mixed readings and look-alikes without context', () => {
    // Codes mix letters and digits; a confident digit stays even next to letters.
    expect(text(resolveLookalikes(decoded('Win10', { 3: ['1', 0.88, 'l', 0.12], 4: ['0', 0.99, 'o', 0.01] })))).toBe('Win10');
    expect(text(resolveLookalikes(decoded('AB-1007', { 3: ['1', 0.97, 'l', 0.03], 4: ['0', 0.98, 'o', 0.02] })))).toBe('AB-1007');
    expect(text(resolveLookalikes(decoded('30 km', { 1: ['0', 0.9, 'o', 0.09] })))).toBe('30 km');
    // A lone character has no context: the model's reading stands.
    expect(text(resolveLookalikes(decoded('Floor o is', { 6: ['o', 0.55, '0', 0.45] })))).toBe('Floor o is');
    // Spaces and non-ASCII characters end a run.
    expect(text(resolveLookalikes(decoded('ab 0 号0', { 3: ['0', 0.6, 'o', 0.4], 6: ['0', 0.6, 'o', 0.4] })))).toBe('ab 0 号0');
  });
});
