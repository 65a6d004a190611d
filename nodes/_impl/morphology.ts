import { createImage, toGrey, type PixelImage } from './pixel-image';

export type MorphologyOperation = 'dilate' | 'erode' | 'open' | 'close';
export type StructuringShape = 'square' | 'disc';

export interface MorphologyOptions {
  radius: number;
  shape: StructuringShape;
  /** Each elementary pass repeats this often: open = erode × n then dilate × n (as OpenCV). */
  iterations: number;
  /** Checked between passes. */
  signal?: AbortSignal;
  /** Called at most ~20 times with the fraction done. */
  progress?: (fraction: number) => void;
}

/**
 * Grey-level morphology with a square ((2r+1)²) or disc (x² + y² <= r²) element.
 * Colour input is reduced to luma first; the result is one channel. Pixels outside
 * the image never win (the window is clipped at the border).
 */
export function morphology(image: PixelImage, operation: MorphologyOperation, options: MorphologyOptions): PixelImage {
  const { width, height } = image;
  const { radius, shape, iterations, signal, progress } = options;
  if (!Number.isInteger(radius) || radius < 0) throw new RangeError(`radius must be a non-negative integer, got ${radius}`);
  const order: ('dilate' | 'erode')[] =
    operation === 'open' ? ['erode', 'dilate'] : operation === 'close' ? ['dilate', 'erode'] : [operation];
  const steps = order.flatMap((op) => Array<'dilate' | 'erode'>(iterations).fill(op));
  const every = Math.max(1, Math.ceil(steps.length / 20));
  let a = Buffer.from(toGrey(image).data);
  let b = Buffer.allocUnsafe(a.length);
  let inverted = false;
  for (let s = 0; s < steps.length; s++) {
    signal?.throwIfAborted();
    // Erosion is dilation of the negative (both shapes are symmetric; the clipped border stays neutral).
    if ((steps[s] === 'erode') !== inverted) {
      invert(a);
      inverted = !inverted;
    }
    if (shape === 'square') dilateSquare(a, b, width, height, radius);
    else dilateDisc(a, b, width, height, radius);
    [a, b] = [b, a];
    if ((s + 1) % every === 0 || s + 1 === steps.length) progress?.((s + 1) / steps.length);
  }
  if (inverted) invert(a);
  return createImage(width, height, 1, a);
}

function invert(buf: Buffer): void {
  for (let i = 0; i < buf.length; i++) buf[i] = 255 - buf[i]!;
}

/** Separable square max filter: van Herk / Gil-Werman along rows, then columns. */
function dilateSquare(src: Buffer, dst: Buffer, w: number, h: number, r: number): void {
  const n = Math.max(w, h);
  const line = new Uint8Array(n + 2 * r);
  const g = new Uint8Array(n + 2 * r);
  const hb = new Uint8Array(n + 2 * r);
  const out = new Uint8Array(n);
  for (let y = 0; y < h; y++) {
    line.fill(0);
    line.set(src.subarray(y * w, y * w + w), r);
    vanHerkMax(line, w + 2 * r, r, g, hb, out);
    dst.set(out.subarray(0, w), y * w);
  }
  for (let x = 0; x < w; x++) {
    line.fill(0);
    for (let y = 0, i = x; y < h; y++, i += w) line[y + r] = dst[i]!;
    vanHerkMax(line, h + 2 * r, r, g, hb, out);
    for (let y = 0, i = x; y < h; y++, i += w) dst[i] = out[y]!;
  }
}

/** out[i] = max(p[i .. i + 2r]) for i < len - 2r, in three comparisons per sample. */
function vanHerkMax(p: Uint8Array, len: number, r: number, g: Uint8Array, h: Uint8Array, out: Uint8Array): void {
  const k = 2 * r + 1;
  for (let i = 0; i < len; i++) {
    const v = p[i]!;
    g[i] = i % k === 0 || v > g[i - 1]! ? v : g[i - 1]!;
  }
  for (let i = len - 1; i >= 0; i--) {
    const v = p[i]!;
    h[i] = i === len - 1 || i % k === k - 1 || v > h[i + 1]! ? v : h[i + 1]!;
  }
  for (let i = 0, m = len - 2 * r; i < m; i++) {
    const a = h[i]!;
    const b = g[i + k - 1]!;
    out[i] = a > b ? a : b;
  }
}

/**
 * Disc max filter. Each source row gets its running maxima of half-widths 0..r
 * (level q from level q-1 by a 3-wide max), kept in a ring of 2r+1 rows; an output
 * row takes, for each dy, the level that equals the disc's half-width at that dy.
 */
function dilateDisc(src: Buffer, dst: Buffer, w: number, h: number, r: number): void {
  const span = 2 * r + 1;
  const levels = r + 1;
  const half = new Int32Array(levels);
  for (let d = 0; d <= r; d++) half[d] = Math.floor(Math.sqrt(r * r - d * d) + 1e-9);
  const ring = new Uint8Array(span * levels * w);
  const fillRow = (sy: number): void => {
    const base = (sy % span) * levels * w;
    ring.set(src.subarray(sy * w, sy * w + w), base);
    for (let q = 1; q < levels; q++) {
      const prev = base + (q - 1) * w;
      const cur = prev + w;
      for (let x = 0; x < w; x++) {
        const l = ring[prev + (x > 0 ? x - 1 : 0)]!;
        const c = ring[prev + x]!;
        const rr = ring[prev + (x < w - 1 ? x + 1 : x)]!;
        const m = l > c ? l : c;
        ring[cur + x] = m > rr ? m : rr;
      }
    }
  };
  for (let sy = 0; sy < Math.min(r, h); sy++) fillRow(sy);
  for (let y = 0; y < h; y++) {
    if (y + r < h) fillRow(y + r);
    const row = y * w;
    dst.fill(0, row, row + w);
    for (let dy = -r; dy <= r; dy++) {
      const sy = y + dy;
      if (sy < 0 || sy >= h) continue;
      const off = ((sy % span) * levels + half[dy < 0 ? -dy : dy]!) * w;
      for (let x = 0; x < w; x++) {
        const v = ring[off + x]!;
        if (v > dst[row + x]!) dst[row + x] = v;
      }
    }
  }
}
