import { clampByte, createImage, toGrey, type PixelImage } from './pixel-image';

/*
 * Edge detectors on an image's luma. Borders replicate the edge pixels, so a flat
 * image has no edges anywhere. Gradients use the Sobel kernels divided by 4, which
 * puts a sharp 0→255 step at magnitude 255 on the two columns beside it.
 */

/** Sobel gradient magnitude, clamped to 0..255. One channel out. */
export function sobel(image: PixelImage): PixelImage {
  const { width: w, height: h } = image;
  const { mag } = gradient(lumaFloat(image), w, h);
  const out = Buffer.allocUnsafe(w * h);
  for (let i = 0; i < out.length; i++) out[i] = clampByte(mag[i]!);
  return createImage(w, h, 1, out);
}

/** Absolute 4-neighbour Laplacian, clamped to 0..255. One channel out. */
export function laplacian(image: PixelImage): PixelImage {
  const { width: w, height: h } = image;
  const src = toGrey(image).data;
  const out = Buffer.allocUnsafe(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const up = (y > 0 ? y - 1 : y) * w;
    const down = (y < h - 1 ? y + 1 : y) * w;
    for (let x = 0; x < w; x++) {
      const left = x > 0 ? x - 1 : x;
      const right = x < w - 1 ? x + 1 : x;
      const v = src[up + x]! + src[down + x]! + src[row + left]! + src[row + right]! - 4 * src[row + x]!;
      out[row + x] = v < 0 ? (v < -255 ? 255 : -v) : v > 255 ? 255 : v;
    }
  }
  return createImage(w, h, 1, out);
}

export interface CannyOptions {
  /** Gaussian pre-blur; 0 skips it. */
  sigma: number;
  /** Hysteresis thresholds on the gradient magnitude (same scale as `sobel`). */
  low: number;
  high: number;
  signal?: AbortSignal;
  progress?: (fraction: number) => void;
}

/** Canny: blur → Sobel gradient → non-maximum suppression → hysteresis. 0/255 out, 1-pixel border left black. */
export function canny(image: PixelImage, options: CannyOptions): PixelImage {
  const { width: w, height: h } = image;
  const { sigma, low, high, signal, progress } = options;
  let src = lumaFloat(image);
  if (sigma > 0) src = gaussianFloat(src, w, h, sigma);
  signal?.throwIfAborted();
  progress?.(0.3);
  const { gx, gy, mag } = gradient(src, w, h);
  signal?.throwIfAborted();
  progress?.(0.5);
  // 0 none, 1 weak, 2 strong; borders stay 0.
  const state = new Uint8Array(w * h);
  const stack = new Int32Array(w * h);
  let top = 0;
  const tan22 = Math.SQRT2 - 1;
  const tan67 = Math.SQRT2 + 1;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1, i = y * w + 1; x < w - 1; x++, i++) {
      const m = mag[i]!;
      if (m < low || m === 0) continue;
      const ax = Math.abs(gx[i]!);
      const ay = Math.abs(gy[i]!);
      // Neighbour offset along the gradient direction.
      const d = ay <= ax * tan22 ? 1 : ay >= ax * tan67 ? w : gx[i]! * gy[i]! > 0 ? w + 1 : w - 1;
      // Strict on one side, not the other: a plateau of two equal maxima keeps one pixel.
      if (!(m > mag[i - d]! && m >= mag[i + d]!)) continue;
      if (m >= high) {
        state[i] = 2;
        stack[top++] = i;
      } else state[i] = 1;
    }
  }
  signal?.throwIfAborted();
  progress?.(0.8);
  while (top > 0) {
    const i = stack[--top]!;
    for (let dy = -w; dy <= w; dy += w) {
      for (let dx = -1; dx <= 1; dx++) {
        const j = i + dy + dx;
        if (state[j] === 1) {
          state[j] = 2;
          stack[top++] = j;
        }
      }
    }
  }
  const out = Buffer.allocUnsafe(w * h);
  for (let i = 0; i < out.length; i++) out[i] = state[i] === 2 ? 255 : 0;
  progress?.(1);
  return createImage(w, h, 1, out);
}

function lumaFloat(image: PixelImage): Float32Array {
  return Float32Array.from(toGrey(image).data);
}

/** Sobel/4 gradients and magnitude with replicated borders. */
function gradient(src: Float32Array, w: number, h: number): { gx: Float32Array; gy: Float32Array; mag: Float32Array } {
  const gx = new Float32Array(w * h);
  const gy = new Float32Array(w * h);
  const mag = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const r0 = (y > 0 ? y - 1 : y) * w;
    const r1 = y * w;
    const r2 = (y < h - 1 ? y + 1 : y) * w;
    for (let x = 0; x < w; x++) {
      const xl = x > 0 ? x - 1 : x;
      const xr = x < w - 1 ? x + 1 : x;
      const a = src[r0 + xl]!, b = src[r0 + x]!, c = src[r0 + xr]!;
      const d = src[r1 + xl]!, f = src[r1 + xr]!;
      const g = src[r2 + xl]!, k = src[r2 + x]!, l = src[r2 + xr]!;
      const dx = (c + 2 * f + l - a - 2 * d - g) / 4;
      const dy = (g + 2 * k + l - a - 2 * b - c) / 4;
      gx[r1 + x] = dx;
      gy[r1 + x] = dy;
      mag[r1 + x] = Math.sqrt(dx * dx + dy * dy);
    }
  }
  return { gx, gy, mag };
}

/** Separable Gaussian (radius ⌈3σ⌉, replicated borders) in float. */
export function gaussianFloat(src: Float32Array, w: number, h: number, sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * r + 1);
  let total = 0;
  for (let i = -r; i <= r; i++) total += kernel[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < kernel.length; i++) kernel[i] = kernel[i]! / total;
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) {
        const sx = x + k < 0 ? 0 : x + k >= w ? w - 1 : x + k;
        s += kernel[k + r]! * src[row + sx]!;
      }
      tmp[row + x] = s;
    }
  }
  for (let y = 0; y < h; y++) {
    const drow = y * w;
    for (let k = -r; k <= r; k++) {
      const sy = y + k < 0 ? 0 : y + k >= h ? h - 1 : y + k;
      const kv = kernel[k + r]!;
      const srow = sy * w;
      for (let x = 0; x < w; x++) out[drow + x] = out[drow + x]! + kv * tmp[srow + x]!;
    }
  }
  return out;
}
