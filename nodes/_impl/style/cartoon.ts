import { createImage, type PixelImage } from '../pixel-image';

/** Mean of a one-channel plane over a (2r+1)² window (clamped at the border), via a summed-area table. */
export function boxMean(plane: Buffer | Float64Array, W: number, H: number, r: number): Float64Array {
  const S = W + 1;
  const t = new Float64Array(S * (H + 1));
  for (let y = 0; y < H; y++) {
    let row = 0;
    for (let x = 0; x < W; x++) {
      row += plane[y * W + x]!;
      t[(y + 1) * S + x + 1] = t[y * S + x + 1]! + row;
    }
  }
  const out = new Float64Array(W * H);
  for (let y = 0; y < H; y++) {
    const y0 = Math.max(0, y - r), y1 = Math.min(H, y + r + 1);
    for (let x = 0; x < W; x++) {
      const x0 = Math.max(0, x - r), x1 = Math.min(W, x + r + 1);
      const s = t[y1 * S + x1]! - t[y0 * S + x1]! - t[y1 * S + x0]! + t[y0 * S + x0]!;
      out[y * W + x] = s / ((x1 - x0) * (y1 - y0));
    }
  }
  return out;
}

/**
 * Dark-edge mask by adaptive mean threshold: a pixel is an edge (0) when its luma is
 * more than `offset` below the mean of its (2r+1)² neighbourhood, else 255.
 */
export function adaptiveEdges(grey: Buffer, W: number, H: number, r: number, offset: number): Buffer {
  const mean = boxMean(grey, W, H, r);
  const out = Buffer.allocUnsafe(W * H);
  for (let i = 0; i < W * H; i++) out[i] = grey[i]! < mean[i]! - offset ? 0 : 255;
  return out;
}

/** Quantises each sample to `levels` evenly spaced values and darkens where the edge mask is 0. */
export function quantiseWithEdges(smooth: PixelImage, edges: Buffer, levels: number): PixelImage {
  const { width: W, height: H, channels: C } = smooth;
  const step = 255 / (levels - 1);
  const out = Buffer.allocUnsafe(W * H * C);
  for (let i = 0; i < W * H; i++) {
    const edge = edges[i] === 0;
    for (let c = 0; c < C; c++) {
      out[i * C + c] = edge ? 0 : Math.round(Math.round(smooth.data[i * C + c]! / step) * step);
    }
  }
  return createImage(W, H, C, out);
}
