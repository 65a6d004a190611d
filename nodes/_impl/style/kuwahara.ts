import { createImage, type PixelImage } from '../pixel-image';

/**
 * Kuwahara filter: each pixel takes the mean colour of whichever of its four
 * (radius+1)² quadrants has the smallest luma variance. Sums come from summed-area
 * tables, so the cost per pixel is O(1) whatever the radius. Works on 1 or 3 channels.
 */
export function kuwahara(image: PixelImage, radius: number, signal?: AbortSignal): PixelImage {
  const { width: W, height: H, channels: C } = image;
  if (C !== 1 && C !== 3) throw new RangeError('kuwahara expects 1 or 3 channels');
  const src = image.data;
  const S = W + 1;
  const sums: Float64Array[] = [];
  for (let c = 0; c < C; c++) sums.push(new Float64Array(S * (H + 1)));
  const lum = new Float64Array(S * (H + 1));
  const lum2 = new Float64Array(S * (H + 1));
  for (let y = 0; y < H; y++) {
    const rowSums = new Float64Array(C);
    let rl = 0;
    let rl2 = 0;
    for (let x = 0; x < W; x++) {
      const p = (y * W + x) * C;
      const l = C === 1 ? src[p]! : 0.299 * src[p]! + 0.587 * src[p + 1]! + 0.114 * src[p + 2]!;
      rl += l;
      rl2 += l * l;
      const i = (y + 1) * S + x + 1;
      const up = y * S + x + 1;
      for (let c = 0; c < C; c++) {
        rowSums[c] = rowSums[c]! + src[p + c]!;
        sums[c]![i] = sums[c]![up]! + rowSums[c]!;
      }
      lum[i] = lum[up]! + rl;
      lum2[i] = lum2[up]! + rl2;
    }
  }
  const box = (t: Float64Array, x0: number, y0: number, x1: number, y1: number): number =>
    t[y1 * S + x1]! - t[y0 * S + x1]! - t[y1 * S + x0]! + t[y0 * S + x0]!;
  const out = Buffer.allocUnsafe(W * H * C);
  for (let y = 0; y < H; y++) {
    if ((y & 63) === 0) signal?.throwIfAborted();
    const ya = Math.max(0, y - radius);
    const yb = Math.min(H, y + radius + 1);
    for (let x = 0; x < W; x++) {
      const xa = Math.max(0, x - radius);
      const xb = Math.min(W, x + radius + 1);
      // Quadrants as half-open [x0,x1)×[y0,y1), each including the centre pixel.
      const quads = [
        [xa, ya, x + 1, y + 1],
        [x, ya, xb, y + 1],
        [xa, y, x + 1, yb],
        [x, y, xb, yb],
      ] as const;
      let best = 0;
      let bestVar = Infinity;
      for (let q = 0; q < 4; q++) {
        const [x0, y0, x1, y1] = quads[q]!;
        const n = (x1 - x0) * (y1 - y0);
        const m = box(lum, x0, y0, x1, y1) / n;
        const v = box(lum2, x0, y0, x1, y1) / n - m * m;
        if (v < bestVar) {
          bestVar = v;
          best = q;
        }
      }
      const [x0, y0, x1, y1] = quads[best]!;
      const n = (x1 - x0) * (y1 - y0);
      const o = (y * W + x) * C;
      for (let c = 0; c < C; c++) out[o + c] = Math.round(box(sums[c]!, x0, y0, x1, y1) / n);
    }
  }
  return createImage(W, H, C, out);
}
