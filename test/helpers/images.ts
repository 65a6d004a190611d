import { createImage, type Channels, type PixelImage } from '../../nodes/_impl/pixel-image';

/** A solid image of one colour (1, 3 or 4 samples). */
export function solid(width: number, height: number, colour: number[]): PixelImage {
  const channels = colour.length as Channels;
  const data = Buffer.alloc(width * height * channels);
  for (let i = 0; i < width * height; i++) for (let c = 0; c < channels; c++) data[i * channels + c] = colour[c]!;
  return createImage(width, height, channels, data);
}

/** Horizontal RGB gradient: red rises left→right, green top→bottom, blue constant 64. */
export function gradient(width: number, height: number): PixelImage {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = Math.round((x / Math.max(1, width - 1)) * 255);
      data[i + 1] = Math.round((y / Math.max(1, height - 1)) * 255);
      data[i + 2] = 64;
    }
  }
  return createImage(width, height, 3, data);
}

/** Grey checkerboard of `cell`-pixel squares, values lo and hi. */
export function checkerboard(width: number, height: number, cell: number, lo = 0, hi = 255): PixelImage {
  const data = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data[y * width + x] = (Math.floor(x / cell) + Math.floor(y / cell)) % 2 === 0 ? lo : hi;
    }
  }
  return createImage(width, height, 1, data);
}

/** The samples of pixel (x, y). */
export function pixel(image: PixelImage, x: number, y: number): number[] {
  const i = (y * image.width + x) * image.channels;
  return [...image.data.subarray(i, i + image.channels)];
}

/** Mean of every sample of one channel. */
export function channelMean(image: PixelImage, channel = 0): number {
  let sum = 0;
  const n = image.width * image.height;
  for (let i = 0; i < n; i++) sum += image.data[i * image.channels + channel]!;
  return sum / n;
}
