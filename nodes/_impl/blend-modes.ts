import { createImage, type PixelImage } from './pixel-image';

export const blendModes = [
  'normal',
  'multiply',
  'screen',
  'overlay',
  'darken',
  'lighten',
  'add',
  'subtract',
  'difference',
  'soft-light',
  'hard-light',
] as const;
export type BlendMode = (typeof blendModes)[number];

const multiply = (b: number, s: number) => b * s;
const screen = (b: number, s: number) => b + s - b * s;
const hardLight = (b: number, s: number) => (s <= 0.5 ? multiply(b, 2 * s) : screen(b, 2 * s - 1));
function softLight(b: number, s: number): number {
  if (s <= 0.5) return b - (1 - 2 * s) * b * (1 - b);
  const d = b <= 0.25 ? ((16 * b - 12) * b + 4) * b : Math.sqrt(b);
  return b + (2 * s - 1) * (d - b);
}

/**
 * Separable blend functions B(Cb, Cs) on 0..1 values, as in W3C Compositing and
 * Blending Level 1 §10; `add` (linear dodge) and `subtract` clamp to 0..1.
 */
export const blendFunctions: Record<BlendMode, (b: number, s: number) => number> = {
  normal: (_b, s) => s,
  multiply,
  screen,
  overlay: (b, s) => hardLight(s, b),
  darken: Math.min,
  lighten: Math.max,
  add: (b, s) => Math.min(1, b + s),
  subtract: (b, s) => Math.max(0, b - s),
  difference: (b, s) => Math.abs(b - s),
  'soft-light': softLight,
  'hard-light': hardLight,
};

/** B(cb, cs) for every pair of 8-bit samples, in 0..255 units, indexed `cb << 8 | cs`. */
export function blendTable(mode: BlendMode): Float32Array {
  const f = blendFunctions[mode];
  const table = new Float32Array(65536);
  for (let b = 0; b < 256; b++) {
    for (let s = 0; s < 256; s++) table[(b << 8) | s] = f(b / 255, s / 255) * 255;
  }
  return table;
}

export interface BlendOptions {
  mode: BlendMode;
  /** 0..1, scales the whole effect. */
  opacity: number;
  /** One channel, same size as base; 0..255 scales opacity per pixel. */
  mask?: PixelImage;
  signal?: AbortSignal;
}

/**
 * Blends `top` over `base` (same size) per pixel: out = Cb + (B(Cb, Cs) − Cb) · opacity · mask · αs.
 * Colour is mixed as if the base were opaque; the base's alpha is kept as the output alpha.
 * Grey inputs widen to RGB, so the result is RGB, or RGBA when the base has alpha.
 */
export function blendImages(base: PixelImage, top: PixelImage, options: BlendOptions): PixelImage {
  const { width, height } = base;
  if (top.width !== width || top.height !== height) throw new RangeError('blend: base and top sizes differ');
  const mask = options.mask;
  if (mask && (mask.channels !== 1 || mask.width !== width || mask.height !== height)) {
    throw new RangeError('blend: mask must be one channel, the size of base');
  }
  options.signal?.throwIfAborted();
  const table = blendTable(options.mode);
  const bc = base.channels;
  const tc = top.channels;
  const oc = bc === 2 || bc === 4 ? 4 : 3;
  // Offsets of G and B within a pixel (0 for grey, which replicates), and of alpha (-1: none).
  const bg = bc >= 3 ? 1 : 0;
  const bb = bc >= 3 ? 2 : 0;
  const ba = bc === 2 ? 1 : bc === 4 ? 3 : -1;
  const tg = tc >= 3 ? 1 : 0;
  const tb = tc >= 3 ? 2 : 0;
  const ta = tc === 2 ? 1 : tc === 4 ? 3 : -1;
  const src = base.data;
  const ovr = top.data;
  const m = mask?.data;
  const out = Buffer.allocUnsafe(width * height * oc);
  const opacity = Math.min(1, Math.max(0, options.opacity));
  if (!m && bc === 3 && tc === 3) return blendUniformRgb(base, top, table, opacity);
  // Per-pixel weight = opacity · mask/255 · alpha/255, folded into one factor.
  const k = opacity / (m ? 255 : 1) / (ta >= 0 ? 255 : 1);
  let i = 0;
  let s = 0;
  let t = 0;
  let d = 0;
  for (let y = 0; y < height; y++) {
    if ((y & 63) === 0) options.signal?.throwIfAborted();
    for (let x = 0; x < width; x++, i++, s += bc, t += tc, d += oc) {
      let w = k;
      if (m) w *= m[i]!;
      if (ta >= 0) w *= ovr[t + ta]!;
      const r = src[s]!;
      const g = src[s + bg]!;
      const b = src[s + bb]!;
      const vr = r + (table[(r << 8) | ovr[t]!]! - r) * w;
      const vg = g + (table[(g << 8) | ovr[t + tg]!]! - g) * w;
      const vb = b + (table[(b << 8) | ovr[t + tb]!]! - b) * w;
      // Values stay within 0..255 (convex mix of two 0..255 values), so rounding is enough.
      out[d] = vr + 0.5;
      out[d + 1] = vg + 0.5;
      out[d + 2] = vb + 0.5;
      if (oc === 4) out[d + 3] = src[s + ba]!;
    }
  }
  return createImage(width, height, oc, out);
}

/** Fast path: RGB over RGB with one weight everywhere, so each output sample is one table lookup. */
function blendUniformRgb(base: PixelImage, top: PixelImage, table: Float32Array, opacity: number): PixelImage {
  const lut = new Uint8Array(65536);
  for (let i = 0; i < 65536; i++) {
    const b = i >> 8;
    lut[i] = b + (table[i]! - b) * opacity + 0.5;
  }
  const src = base.data;
  const ovr = top.data;
  const out = Buffer.allocUnsafe(src.length);
  for (let i = 0, n = src.length; i < n; i++) out[i] = lut[(src[i]! << 8) | ovr[i]!]!;
  return createImage(base.width, base.height, 3, out);
}
