import sharp, { type Metadata } from 'sharp';
import { NodeError } from '../errors';
import type { ImageLimits } from '../context';
import { fromSharp, type PixelImage } from './pixel-image';

/**
 * Decodes an encoded image (PNG, JPEG, WebP, GIF, TIFF, AVIF/HEIF) to raw pixels,
 * refusing empty, oversized, corrupt or non-image input with a NodeError.
 * The pixel limit is checked from the header before any pixel is decoded,
 * so a decompression bomb costs nothing.
 */
export async function decodeImage(bytes: Buffer, limits: ImageLimits, what = 'image'): Promise<PixelImage> {
  if (bytes.length === 0) throw new NodeError('image_empty', `${what} is empty (0 bytes)`);
  if (bytes.length > limits.maxInputBytes) {
    throw new NodeError('image_too_large', `${what} is ${bytes.length} bytes; the limit is ${limits.maxInputBytes}`);
  }
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (cause) {
    throw new NodeError('image_decode_failed', `${what} is not a readable image (${reason(cause)})`, { cause });
  }
  const { width, height } = meta;
  if (!width || !height) throw new NodeError('image_decode_failed', `${what} has no dimensions`);
  const pixels = width * height;
  if (pixels > limits.maxPixels) {
    throw new NodeError(
      'image_too_large',
      `${what} is ${width}x${height} (${pixels} pixels); the limit is ${limits.maxPixels} pixels`,
    );
  }
  try {
    // autoOrient applies EXIF orientation so pixels match what viewers show.
    return await fromSharp(sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'error' }).autoOrient());
  } catch (cause) {
    throw new NodeError('image_decode_failed', `${what} could not be decoded (${reason(cause)})`, { cause });
  }
}

function reason(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  return text.split('\n')[0]!.replace(/^Input buffer /, '').slice(0, 200);
}
