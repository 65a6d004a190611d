import sharp from 'sharp';
import { alphaOverInPlace, rgbCopy } from './alpha-over';
import { createImage, type PixelImage } from './pixel-image';

const xmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML content or a quoted attribute, dropping characters XML 1.0 cannot hold. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"']/g, (c) => xmlEntities[c] ?? c);
}

/** Ascent and line height of a typical sans font, in em (DejaVu Sans: 0.928 and 1.164). */
export const fontAscent = 0.93;
export const lineHeight = 1.2;

/** A number for an SVG attribute, short and never in exponent form. */
export function svgNum(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Grows a bounding box as shapes are added; `clip` gives the integer region inside an image. */
export class Bounds {
  private x0 = Infinity;
  private y0 = Infinity;
  private x1 = -Infinity;
  private y1 = -Infinity;

  add(x0: number, y0: number, x1: number, y1: number): void {
    this.x0 = Math.min(this.x0, x0);
    this.y0 = Math.min(this.y0, y0);
    this.x1 = Math.max(this.x1, x1);
    this.y1 = Math.max(this.y1, y1);
  }

  /** The covered pixels within width × height, or undefined when nothing is inside. */
  clip(width: number, height: number): Rect | undefined {
    const x0 = Math.max(0, Math.floor(this.x0));
    const y0 = Math.max(0, Math.floor(this.y0));
    const x1 = Math.min(width, Math.ceil(this.x1));
    const y1 = Math.min(height, Math.ceil(this.y1));
    return x0 < x1 && y0 < y1 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : undefined;
  }
}

/**
 * Rasterises SVG shapes (in image coordinates) over one region with librsvg,
 * returning an RGBA layer of exactly the region's size.
 */
export async function rasteriseSvg(region: Rect, body: string): Promise<PixelImage> {
  const { x, y, width, height } = region;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="${x} ${y} ${width} ${height}">${body}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg), { limitInputPixels: false })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height || info.channels !== 4) {
    throw new RangeError(`svg rendered as ${info.width}x${info.height}x${info.channels}, expected ${width}x${height}x4`);
  }
  return createImage(width, height, 4, data);
}

/**
 * Draws SVG shapes onto an image: rasterised by librsvg over `region` only, then
 * alpha-composited so pixels the shapes do not touch keep their exact values.
 * The result is RGB, or RGBA when the image has alpha (grey widens).
 */
export async function drawSvg(image: PixelImage, region: Rect, body: string, signal?: AbortSignal): Promise<PixelImage> {
  const layer = await rasteriseSvg(region, body);
  const out = rgbCopy(image);
  alphaOverInPlace(out, layer, { x: region.x, y: region.y, opacity: 1, signal });
  return out;
}

/** Bounding box (in the layer's pixels) of samples with alpha > 0, or undefined when empty. */
export function inkBounds(layer: PixelImage): Rect | undefined {
  if (layer.channels !== 4) throw new RangeError('inkBounds needs an RGBA layer');
  const { width, height, data } = layer;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0, a = 3; y < height; y++) {
    for (let x = 0; x < width; x++, a += 4) {
      if (data[a] === 0) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  return x1 < 0 ? undefined : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}
