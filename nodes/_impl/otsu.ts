import { createImage, toGrey, type PixelImage } from './pixel-image';

/** 256-bin histogram of an image's luma (Rec. 601; alpha ignored). */
export function lumaHistogram(image: PixelImage): Uint32Array {
  const grey = toGrey(image).data;
  const hist = new Uint32Array(256);
  for (let i = 0; i < grey.length; i++) hist[grey[i]!]!++;
  return hist;
}

/**
 * Otsu's threshold: the level t that maximises the between-class variance of
 * the classes [0, t] and [t + 1, 255]. Pixels above t are foreground.
 * When a run of levels ties (an empty gap between two modes) the middle of the
 * run is returned. A histogram with a single populated level returns that level;
 * an empty histogram returns 0.
 */
export function otsuThreshold(hist: ArrayLike<number>): number {
  if (hist.length !== 256) throw new RangeError(`histogram needs 256 bins, got ${hist.length}`);
  let total = 0;
  let sum = 0;
  for (let i = 0; i < 256; i++) {
    total += hist[i]!;
    sum += i * hist[i]!;
  }
  if (total === 0) return 0;
  // N² · σ²_B(t) = (N · S0 − W0 · S)² / (W0 · W1); the factor N² does not move the maximum.
  const variance = new Float64Array(256).fill(-1);
  let w0 = 0;
  let s0 = 0;
  let best = -1;
  for (let t = 0; t < 255; t++) {
    w0 += hist[t]!;
    s0 += t * hist[t]!;
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const d = total * s0 - w0 * sum;
    const v = (d * d) / (w0 * w1);
    variance[t] = v;
    if (v > best) best = v;
  }
  if (best < 0) {
    // One populated level: nothing to separate.
    for (let i = 0; i < 256; i++) if (hist[i]! > 0) return i;
  }
  const tie = best * (1 - 1e-12);
  let first = 0;
  while (variance[first]! < tie) first++;
  let last = first;
  while (last < 254 && variance[last + 1]! >= tie) last++;
  return Math.floor((first + last) / 2);
}

/** One-channel 0/255 mask: 255 where luma > level (or <= level when inverted). */
export function thresholdMask(image: PixelImage, level: number, invert = false): PixelImage {
  const grey = toGrey(image).data;
  const out = Buffer.allocUnsafe(grey.length);
  const above = invert ? 0 : 255;
  const below = 255 - above;
  for (let i = 0; i < grey.length; i++) out[i] = grey[i]! > level ? above : below;
  return createImage(image.width, image.height, 1, out);
}
