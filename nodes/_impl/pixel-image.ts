import sharp, { type Sharp } from 'sharp';

/**
 * An image as it travels between nodes: interleaved 8-bit samples plus the
 * geometry needed to read them. Nodes never re-encode between hops.
 * channels: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.
 */
export interface PixelImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 2 | 3 | 4;
  readonly data: Buffer;
}

export type Channels = PixelImage['channels'];

export function isChannels(n: number): n is Channels {
  return n === 1 || n === 2 || n === 3 || n === 4;
}

export function createImage(width: number, height: number, channels: Channels, data?: Buffer): PixelImage {
  const expected = width * height * channels;
  const buffer = data ?? Buffer.alloc(expected);
  if (buffer.length !== expected) {
    throw new RangeError(`pixel buffer has ${buffer.length} bytes, expected ${expected} for ${width}x${height}x${channels}`);
  }
  return { width, height, channels, data: buffer };
}

/**
 * A sharp pipeline reading the raw pixels of an image. Grey images stay grey
 * on output (libvips would otherwise widen them to sRGB); grey+alpha widens to RGBA.
 */
export function toSharp(image: PixelImage): Sharp {
  const pipeline = sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
    limitInputPixels: false,
  });
  return image.channels === 1 ? pipeline.toColourspace('b-w') : pipeline;
}

/** Runs a sharp pipeline to raw pixels. Grey+alpha results are widened to RGBA. */
export async function fromSharp(pipeline: Sharp): Promise<PixelImage> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (!isChannels(info.channels)) throw new RangeError(`unsupported channel count ${info.channels}`);
  const image = createImage(info.width, info.height, info.channels, data);
  return image.channels === 2 ? greyAlphaToRgba(image) : image;
}

function greyAlphaToRgba(image: PixelImage): PixelImage {
  const n = image.width * image.height;
  const out = Buffer.allocUnsafe(n * 4);
  const src = image.data;
  for (let i = 0; i < n; i++) {
    const v = src[i * 2]!;
    out[i * 4] = v;
    out[i * 4 + 1] = v;
    out[i * 4 + 2] = v;
    out[i * 4 + 3] = src[i * 2 + 1]!;
  }
  return createImage(image.width, image.height, 4, out);
}

export function hasAlpha(image: PixelImage): boolean {
  return image.channels === 2 || image.channels === 4;
}

/** Colour channels only (1 or 3), alpha split off when present. */
export function splitAlpha(image: PixelImage): { colour: PixelImage; alpha: Buffer | undefined } {
  if (!hasAlpha(image)) return { colour: image, alpha: undefined };
  const c = image.channels - 1;
  const n = image.width * image.height;
  const colour = Buffer.allocUnsafe(n * c);
  const alpha = Buffer.allocUnsafe(n);
  const src = image.data;
  for (let i = 0, s = 0, d = 0; i < n; i++) {
    for (let k = 0; k < c; k++) colour[d++] = src[s++]!;
    alpha[i] = src[s++]!;
  }
  return { colour: createImage(image.width, image.height, c as Channels, colour), alpha };
}

/** Re-attaches an alpha plane split off by splitAlpha. */
export function joinAlpha(colour: PixelImage, alpha: Buffer | undefined): PixelImage {
  if (!alpha) return colour;
  const c = colour.channels;
  const n = colour.width * colour.height;
  const out = Buffer.allocUnsafe(n * (c + 1));
  const src = colour.data;
  for (let i = 0, s = 0, d = 0; i < n; i++) {
    for (let k = 0; k < c; k++) out[d++] = src[s++]!;
    out[d++] = alpha[i]!;
  }
  return createImage(colour.width, colour.height, (c + 1) as Channels, out);
}

/** Luma (Rec. 601) as a one-channel image; alpha is dropped. */
export function toGrey(image: PixelImage): PixelImage {
  if (image.channels === 1) return image;
  const n = image.width * image.height;
  const out = Buffer.allocUnsafe(n);
  const src = image.data;
  const c = image.channels;
  if (c === 2) {
    for (let i = 0; i < n; i++) out[i] = src[i * 2]!;
  } else {
    for (let i = 0, s = 0; i < n; i++, s += c) {
      out[i] = (src[s]! * 299 + src[s + 1]! * 587 + src[s + 2]! * 114 + 500) / 1000;
    }
  }
  return createImage(image.width, image.height, 1, out);
}

/** RGB (3 channels) view of any image; grey is replicated, alpha dropped. */
export function toRgb(image: PixelImage): PixelImage {
  if (image.channels === 3) return image;
  if (image.channels === 4) return splitAlpha(image).colour;
  const n = image.width * image.height;
  const out = Buffer.allocUnsafe(n * 3);
  const src = image.data;
  const step = image.channels;
  for (let i = 0, s = 0, d = 0; i < n; i++, s += step) {
    const v = src[s]!;
    out[d++] = v;
    out[d++] = v;
    out[d++] = v;
  }
  return createImage(image.width, image.height, 3, out);
}

export function clampByte(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}
