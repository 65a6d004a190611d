import { toSharp, type PixelImage } from './pixel-image';
import { embedPngText } from './png-text';

export const imageFormats = ['png', 'jpeg', 'webp'] as const;
export type ImageFormat = (typeof imageFormats)[number];

export const mediaTypes: Record<ImageFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

export interface EncodeOptions {
  format: ImageFormat;
  /** 1–100 for JPEG and WebP; ignored for PNG. */
  quality?: number;
  /** PNG only: tEXt/iTXt entries to embed (e.g. the graph document). */
  pngText?: Record<string, string>;
}

export async function encodeImage(image: PixelImage, options: EncodeOptions): Promise<Buffer> {
  const pipeline = toSharp(image);
  switch (options.format) {
    case 'png': {
      const png = await pipeline.png({ compressionLevel: 6 }).toBuffer();
      return options.pngText ? embedPngText(png, options.pngText) : png;
    }
    case 'jpeg':
      return pipeline.jpeg({ quality: options.quality ?? 90, mozjpeg: false }).toBuffer();
    case 'webp':
      return pipeline.webp({ quality: options.quality ?? 90 }).toBuffer();
  }
}
