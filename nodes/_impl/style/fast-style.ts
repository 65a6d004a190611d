import * as ort from 'onnxruntime-node';
import { clampByte, createImage, type PixelImage } from '../pixel-image';
import type { ModelSession } from '../models/threaded-session';

export interface TileOptions {
  /** Largest tile side fed to the network, in pixels. */
  tileSize: number;
  /** Pixels shared by neighbouring tiles, cross-faded with linear ramps. */
  overlap: number;
  signal?: AbortSignal;
  /** Called after each tile with (done, total). */
  onTile?: (done: number, total: number) => void;
}

/** Start offsets of tiles of `size` covering [0, length) with at least `overlap` shared pixels. */
export function tileStarts(length: number, size: number, overlap: number): number[] {
  if (length <= size) return [0];
  const step = Math.max(1, size - overlap);
  const starts: number[] = [];
  for (let s = 0; ; s += step) {
    if (s + size >= length) {
      starts.push(length - size);
      break;
    }
    starts.push(s);
  }
  return starts;
}

/** Weight of local position i in a tile of length len: linear ramps over `overlap` at sides shared with a neighbour. */
function rampWeight(i: number, len: number, overlap: number, before: boolean, after: boolean): number {
  let w = 1;
  if (overlap > 0) {
    if (before) w = Math.min(w, (i + 0.5) / overlap);
    if (after) w = Math.min(w, (len - i - 0.5) / overlap);
  }
  return w;
}

function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - m;
}

/**
 * Runs a fast-style network (input `[1,3,H,W]` RGB 0..255) over an RGB image tile by tile.
 * Each tile is reflect-padded to multiples of 4; overlapping tiles are blended with linear ramps.
 * Returns the stylised RGB image, clamped to 0..255.
 */
export async function styliseTiled(session: ModelSession, rgb: PixelImage, options: TileOptions): Promise<PixelImage> {
  const { width: W, height: H } = rgb;
  const size = Math.max(16, options.tileSize);
  const overlap = Math.min(Math.max(0, options.overlap), Math.floor(size / 2));
  const xs = tileStarts(W, size, overlap);
  const ys = tileStarts(H, size, overlap);
  const total = xs.length * ys.length;
  const single = total === 1;
  const acc = single ? undefined : new Float32Array(W * H * 3);
  const wsum = single ? undefined : new Float32Array(W * H);
  const out = Buffer.allocUnsafe(W * H * 3);
  const inputName = session.inputNames[0] ?? 'input1';
  const outputName = session.outputNames[0] ?? 'output1';
  const src = rgb.data;
  let done = 0;
  for (const y0 of ys) {
    for (const x0 of xs) {
      options.signal?.throwIfAborted();
      const tw = Math.min(size, W);
      const th = Math.min(size, H);
      const pw = Math.ceil(tw / 4) * 4;
      const ph = Math.ceil(th / 4) * 4;
      const plane = pw * ph;
      const input = new Float32Array(plane * 3);
      for (let y = 0; y < ph; y++) {
        const sy = y0 + reflect(y, th);
        for (let x = 0; x < pw; x++) {
          const s = (sy * W + x0 + reflect(x, tw)) * 3;
          const d = y * pw + x;
          input[d] = src[s]!;
          input[plane + d] = src[s + 1]!;
          input[2 * plane + d] = src[s + 2]!;
        }
      }
      const feeds = { [inputName]: new ort.Tensor('float32', input, [1, 3, ph, pw]) };
      const result = await session.run(feeds);
      const tensor = result[outputName];
      if (!tensor) throw new Error(`model produced no output "${outputName}"`);
      const o = tensor.data as Float32Array;
      const [, , oh, ow] = tensor.dims as number[];
      if (oh !== ph || ow !== pw) throw new Error(`model output is ${ow}x${oh}, expected ${pw}x${ph}`);
      for (let y = 0; y < th; y++) {
        const wy = rampWeight(y, th, overlap, y0 > 0, y0 + th < H);
        for (let x = 0; x < tw; x++) {
          const s = y * pw + x;
          const p = (y0 + y) * W + x0 + x;
          const r = Math.min(255, Math.max(0, o[s]!));
          const g = Math.min(255, Math.max(0, o[plane + s]!));
          const b = Math.min(255, Math.max(0, o[2 * plane + s]!));
          if (single) {
            out[p * 3] = Math.round(r);
            out[p * 3 + 1] = Math.round(g);
            out[p * 3 + 2] = Math.round(b);
          } else {
            const w = wy * rampWeight(x, tw, overlap, x0 > 0, x0 + tw < W);
            acc![p * 3] = acc![p * 3]! + r * w;
            acc![p * 3 + 1] = acc![p * 3 + 1]! + g * w;
            acc![p * 3 + 2] = acc![p * 3 + 2]! + b * w;
            wsum![p] = wsum![p]! + w;
          }
        }
      }
      done++;
      options.onTile?.(done, total);
    }
  }
  if (!single) {
    for (let p = 0; p < W * H; p++) {
      const w = wsum![p]! || 1;
      out[p * 3] = clampByte(acc![p * 3]! / w);
      out[p * 3 + 1] = clampByte(acc![p * 3 + 1]! / w);
      out[p * 3 + 2] = clampByte(acc![p * 3 + 2]! / w);
    }
  }
  return createImage(W, H, 3, out);
}

/** Takes the stylised image's luma (Y) and keeps the original's chroma (Cb, Cr), BT.601 full range. */
export function keepChroma(original: PixelImage, stylised: PixelImage): PixelImage {
  const n = original.width * original.height;
  const out = Buffer.allocUnsafe(n * 3);
  const a = original.data;
  const b = stylised.data;
  for (let i = 0; i < n * 3; i += 3) {
    const r0 = a[i]!, g0 = a[i + 1]!, b0 = a[i + 2]!;
    const y = 0.299 * b[i]! + 0.587 * b[i + 1]! + 0.114 * b[i + 2]!;
    const cb = -0.168736 * r0 - 0.331264 * g0 + 0.5 * b0;
    const cr = 0.5 * r0 - 0.418688 * g0 - 0.081312 * b0;
    out[i] = clampByte(y + 1.402 * cr);
    out[i + 1] = clampByte(y - 0.344136 * cb - 0.714136 * cr);
    out[i + 2] = clampByte(y + 1.772 * cb);
  }
  return createImage(original.width, original.height, 3, out);
}

/** original·(1−t) + stylised·t, per sample. */
export function mix(original: PixelImage, stylised: PixelImage, t: number): PixelImage {
  if (t >= 1) return stylised;
  const a = original.data;
  const b = stylised.data;
  const out = Buffer.allocUnsafe(a.length);
  for (let i = 0; i < a.length; i++) out[i] = clampByte(a[i]! + (b[i]! - a[i]!) * t);
  return createImage(original.width, original.height, original.channels, out);
}
