import { clampByte, createImage, type PixelImage } from './pixel-image';

/** Counts of each 8-bit value (0..255) in one channel of an image. */
export function histogram(image: PixelImage, channel = 0): Uint32Array {
  if (channel < 0 || channel >= image.channels) throw new RangeError(`channel ${channel} of a ${image.channels}-channel image`);
  const counts = new Uint32Array(256);
  const { data, channels } = image;
  for (let i = channel; i < data.length; i += channels) counts[data[i]!]!++;
  return counts;
}

/**
 * Histogram-equalisation lookup table: maps each value through the cumulative
 * distribution so that the lowest present value becomes 0 and the highest 255,
 * `lut[v] = round((cdf(v) - cdfMin) / (total - cdfMin) * 255)`.
 * A histogram with a single value (or none) gives the identity table.
 */
export function equalisationLut(counts: ArrayLike<number>): Uint8Array {
  const lut = new Uint8Array(256);
  let total = 0;
  let cdfMin = 0;
  for (let v = 0; v < 256; v++) {
    const n = counts[v] ?? 0;
    if (cdfMin === 0) cdfMin = n;
    total += n;
  }
  if (total === cdfMin) {
    for (let v = 0; v < 256; v++) lut[v] = v;
    return lut;
  }
  let cdf = 0;
  for (let v = 0; v < 256; v++) {
    cdf += counts[v] ?? 0;
    lut[v] = clampByte(((cdf - cdfMin) / (total - cdfMin)) * 255);
  }
  return lut;
}

/**
 * Histogram equalisation. Grey images (1 or 2 channels) are mapped on their grey
 * channel. Colour images are equalised on Rec. 601 luma only: each pixel's
 * R, G and B move by the same amount as its luma (Cb and Cr are kept, so hues
 * are kept except where a channel clips). Alpha is copied unchanged, and
 * every pixel counts towards the histogram whatever its alpha.
 */
export function equalize(image: PixelImage): PixelImage {
  const { width, height, channels, data } = image;
  const out = Buffer.from(data);
  const n = width * height;
  if (channels <= 2) {
    const lut = equalisationLut(histogram(image, 0));
    for (let i = 0; i < n; i++) out[i * channels] = lut[data[i * channels]!]!;
    return createImage(width, height, channels, out);
  }
  const luma = new Float32Array(n);
  const counts = new Uint32Array(256);
  for (let i = 0, s = 0; i < n; i++, s += channels) {
    const y = 0.299 * data[s]! + 0.587 * data[s + 1]! + 0.114 * data[s + 2]!;
    luma[i] = y;
    counts[Math.round(y)]!++;
  }
  const lut = equalisationLut(counts);
  for (let i = 0, s = 0; i < n; i++, s += channels) {
    const y = luma[i]!;
    const shift = lut[Math.round(y)]! - y;
    for (let k = 0; k < 3; k++) out[s + k] = clampByte(data[s + k]! + shift);
  }
  return createImage(width, height, channels, out);
}
