import type { ArtifactStore } from '../../nodes/context';
import { hasAlpha, toSharp, type PixelImage } from '../../nodes/_impl/pixel-image';
import type { PreviewFormat } from './run-job';
import type { PreviewRef } from './wire-events';

export interface PreviewOptions {
  /** Longest side of the preview in pixels; smaller images keep their size. */
  maxSide?: number;
  format?: PreviewFormat;
  /** 1–100. */
  quality?: number;
}

const mediaTypes = { webp: 'image/webp', jpeg: 'image/jpeg' } as const satisfies Record<PreviewFormat, string>;

/** Size of an image scaled so its longest side is at most maxSide (never enlarged, never below 1 px). */
export function previewSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Encodes a downscaled copy of an image (raw pixels straight into libvips) and stores it. */
export async function storePreview(image: PixelImage, artifacts: ArtifactStore, options: PreviewOptions = {}): Promise<PreviewRef> {
  const format = options.format ?? 'webp';
  const quality = options.quality ?? 80;
  const size = previewSize(image.width, image.height, options.maxSide ?? 512);
  let pipeline = toSharp(image);
  if (size.width !== image.width || size.height !== image.height) {
    pipeline = pipeline.resize(size.width, size.height, { fit: 'fill' });
  }
  // JPEG has no alpha: composite over white rather than let transparent pixels turn black.
  if (format === 'jpeg' && hasAlpha(image)) pipeline = pipeline.flatten({ background: '#ffffff' });
  const bytes = await (format === 'jpeg' ? pipeline.jpeg({ quality }) : pipeline.webp({ quality })).toBuffer();
  const mediaType = mediaTypes[format];
  const meta = await artifacts.put(bytes, { mediaType, ...size });
  return { artifactId: meta.id, mediaType, ...size };
}
