import type { Box } from '../ports';
import { Bounds, escapeXml, fontAscent, lineHeight, svgNum } from './svg-overlay';

export interface BoxStyle {
  /** SVG paint attributes (see svgPaint) for outlines and for text / filled tiny boxes. */
  stroke: string;
  fill: string;
  lineWidth: number;
  showLabels: boolean;
  fontSize: number;
  fontFamily: string;
}

/** The caption drawn above a box: its label and score, either of which may be missing. */
export function boxCaption(box: Box): string {
  return [box.label?.trim(), box.score === undefined ? undefined : box.score.toFixed(2)].filter(Boolean).join(' ');
}

/**
 * SVG shapes outlining each box (image coordinates) and the bounds they cover.
 * Rectangles are stroked inside the box so a box's outer pixels carry the colour exactly;
 * polygons are stroked centred on their outline.
 */
export function boxesSvg(boxes: readonly Box[], style: BoxStyle): { body: string; bounds: Bounds } {
  const { lineWidth: lw, fontSize: fs } = style;
  const bounds = new Bounds();
  const parts: string[] = [];
  const textAttrs = `font-family="${escapeXml(style.fontFamily)}" font-size="${svgNum(fs)}" ${style.fill} xml:space="preserve"`;
  for (const box of boxes) {
    const { x, y, width: w, height: h } = box;
    const poly = box.polygon && box.polygon.length >= 2 ? box.polygon : undefined;
    if (poly) {
      const points = poly.map(([px, py]) => `${svgNum(px)},${svgNum(py)}`).join(' ');
      parts.push(`<polygon points="${points}" fill="none" ${style.stroke} stroke-width="${lw}" stroke-linejoin="round"/>`);
      for (const [px, py] of poly) bounds.add(px - lw, py - lw, px + lw, py + lw);
    } else if (w > 0 && h > 0) {
      if (w <= lw || h <= lw) {
        parts.push(`<rect x="${svgNum(x)}" y="${svgNum(y)}" width="${svgNum(w)}" height="${svgNum(h)}" ${style.fill}/>`);
      } else {
        const half = lw / 2;
        parts.push(
          `<rect x="${svgNum(x + half)}" y="${svgNum(y + half)}" width="${svgNum(w - lw)}" height="${svgNum(h - lw)}" ` +
            `fill="none" ${style.stroke} stroke-width="${lw}"/>`,
        );
      }
      bounds.add(x, y, x + w, y + h);
    }
    const caption = style.showLabels ? boxCaption(box) : '';
    if (!caption) continue;
    // Above the box when there is room, else just inside its top edge.
    const top = y - fs * lineHeight >= 0 ? y - fs * lineHeight : y + lw;
    const baseline = top + fs * fontAscent;
    parts.push(`<text x="${svgNum(x)}" y="${svgNum(baseline)}" ${textAttrs}>${escapeXml(caption)}</text>`);
    bounds.add(x - fs * 0.5, top - fs * 0.2, x + ([...caption].length + 1) * fs * 1.2, top + fs * (lineHeight + 0.2));
  }
  return { body: parts.join(''), bounds };
}
