import sharp from 'sharp';
import { fromSharp, type PixelImage } from '../../nodes/_impl/pixel-image';

export interface TextLineSpec {
  text: string;
  x: number;
  /** Baseline. */
  y: number;
  size?: number;
  font?: string;
  /** Degrees, clockwise, about the line's start. */
  rotate?: number;
  colour?: string;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Renders lines of text (librsvg / pango) onto a plain background, RGB. */
export async function renderText(width: number, height: number, lines: TextLineSpec[], background = '#ffffff'): Promise<PixelImage> {
  const body = lines
    .map((l) => {
      const rotate = l.rotate ? ` transform="rotate(${l.rotate} ${l.x} ${l.y})"` : '';
      return `<text x="${l.x}" y="${l.y}" font-family="${l.font ?? 'DejaVu Sans'}" font-size="${l.size ?? 32}" fill="${l.colour ?? '#111111'}"${rotate}>${escape(l.text)}</text>`;
    })
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${background}"/>${body}</svg>`;
  return fromSharp(sharp(Buffer.from(svg)).removeAlpha());
}
