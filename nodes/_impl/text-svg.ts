import { alphaOverInPlace, fillRectInPlace, rgbCopy } from './alpha-over';
import { parseHexColour, svgPaint } from './colour';
import type { PixelImage } from './pixel-image';
import { Bounds, escapeXml, fontAscent, inkBounds, lineHeight, rasteriseSvg, svgNum } from './svg-overlay';

export interface TextStyle {
  /** Top-left of the first line, in image pixels. */
  x: number;
  y: number;
  fontSize: number;
  fontFamily: string;
  /** #RRGGBB or #RRGGBBAA. */
  colour: string;
}

/**
 * SVG text for one or more lines (split at newlines) whose first line's top-left is at (x, y),
 * generous bounds that contain its ink, and the bottom of the lines' metric box.
 */
export function textSvg(text: string, style: TextStyle): { body: string; bounds: Bounds; bottom: number } {
  const { x, y, fontSize: fs } = style;
  const lines = text.split(/\r\n|\r|\n/);
  const attrs =
    `font-family="${escapeXml(style.fontFamily)}" font-size="${svgNum(fs)}" ` +
    `${svgPaint('fill', style.colour)} xml:space="preserve"`;
  const bounds = new Bounds();
  const parts: string[] = [];
  lines.forEach((line, i) => {
    const chars = [...line].length;
    if (chars === 0) return;
    const top = y + i * fs * lineHeight;
    parts.push(`<text x="${svgNum(x)}" y="${svgNum(top + fs * fontAscent)}" ${attrs}>${escapeXml(line)}</text>`);
    // No common glyph is wider than 1.2 em or reaches past half an em around its line.
    bounds.add(x - fs * 0.5, top - fs * 0.5, x + (chars + 1) * fs * 1.2, top + fs * (lineHeight + 0.5));
  });
  return { body: parts.join(''), bounds, bottom: y + lines.length * fs * lineHeight };
}

export interface TextBackground {
  colour: string;
  padding: number;
}

/**
 * Draws text onto an image with librsvg, optionally over a filled box around it.
 * Returns RGB, or RGBA when the image has alpha; when nothing would be drawn, the
 * image itself (grey widened to RGB).
 */
export async function drawText(
  image: PixelImage,
  text: string,
  style: TextStyle,
  background?: TextBackground,
  signal?: AbortSignal,
): Promise<PixelImage> {
  const unchanged = () => (image.channels >= 3 ? image : rgbCopy(image));
  if (!text.trim()) return unchanged();
  const { body, bounds, bottom } = textSvg(text, style);
  const region = bounds.clip(image.width, image.height);
  if (!region) return unchanged();
  const layer = await rasteriseSvg(region, body);
  const ink = inkBounds(layer);
  if (!ink) return unchanged();
  const out = rgbCopy(image);
  if (background) {
    const pad = background.padding;
    const x0 = Math.min(style.x, region.x + ink.x) - pad;
    const y0 = Math.min(style.y, region.y + ink.y) - pad;
    const x1 = region.x + ink.x + ink.width + pad;
    const y1 = Math.max(bottom, region.y + ink.y + ink.height) + pad;
    fillRectInPlace(out, { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, parseHexColour(background.colour));
  }
  alphaOverInPlace(out, layer, { x: region.x, y: region.y, opacity: 1, signal });
  return out;
}
