/** sRGB (0..255) ↔ CIE L*a*b* (D65), as planar Float64Arrays. */

const Xn = 0.95047;
const Zn = 1.08883;

function toLinear(v: number): number {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}
function fromLinear(c: number): number {
  const v = c <= 0.0031308 ? 12.92 * c : 1.055 * Math.max(0, c) ** (1 / 2.4) - 0.055;
  return v * 255;
}
const f = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
const finv = (t: number): number => (t ** 3 > 216 / 24389 ? t ** 3 : (116 * t - 16) / (24389 / 27));

const lut = new Float64Array(256).map((_, i) => toLinear(i));

/** Interleaved RGB bytes (stride 3) → L, a, b planes. */
export function rgbToLab(rgb: Buffer, n: number): [Float64Array, Float64Array, Float64Array] {
  const L = new Float64Array(n);
  const A = new Float64Array(n);
  const B = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = lut[rgb[i * 3]!]!;
    const g = lut[rgb[i * 3 + 1]!]!;
    const b = lut[rgb[i * 3 + 2]!]!;
    const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / Xn;
    const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
    const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / Zn;
    const fx = f(x), fy = f(y), fz = f(z);
    L[i] = 116 * fy - 16;
    A[i] = 500 * (fx - fy);
    B[i] = 200 * (fy - fz);
  }
  return [L, A, B];
}

/** L, a, b at index i → sRGB floats 0..255 (unclamped). */
export function labToRgb(L: number, a: number, b: number): [number, number, number] {
  const fy = (L + 16) / 116;
  const x = finv(fy + a / 500) * Xn;
  const y = finv(fy);
  const z = finv(fy - b / 200) * Zn;
  const r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
  const g = -0.969266 * x + 1.8760108 * y + 0.041556 * z;
  const bl = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
  return [fromLinear(r), fromLinear(g), fromLinear(bl)];
}

export function meanStd(values: Float64Array): { mean: number; std: number } {
  let s = 0;
  for (const v of values) s += v;
  const mean = s / values.length;
  let q = 0;
  for (const v of values) q += (v - mean) ** 2;
  return { mean, std: Math.sqrt(q / values.length) };
}
