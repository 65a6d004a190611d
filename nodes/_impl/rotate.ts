import type { Rgba } from './colour';
import { clampByte, createImage, hasAlpha, type Channels, type PixelImage } from './pixel-image';

/**
 * Mirrors (flip: top↔bottom, flop: left↔right), then turns clockwise by
 * `quarterTurns` × 90°. Exact: pixels only move; channels are kept.
 */
export function orient(image: PixelImage, options: { flip?: boolean; flop?: boolean; quarterTurns?: number }): PixelImage {
  const q = (((options.quarterTurns ?? 0) % 4) + 4) % 4;
  const { flip = false, flop = false } = options;
  if (!flip && !flop && q === 0) return image;
  const { width: w, height: h, channels: c, data } = image;
  const ow = q % 2 === 0 ? w : h;
  const out = Buffer.allocUnsafe(data.length);
  for (let y = 0; y < h; y++) {
    const my = flip ? h - 1 - y : y;
    for (let x = 0; x < w; x++) {
      const mx = flop ? w - 1 - x : x;
      let dx = mx;
      let dy = my;
      if (q === 1) [dx, dy] = [h - 1 - my, mx];
      else if (q === 2) [dx, dy] = [w - 1 - mx, h - 1 - my];
      else if (q === 3) [dx, dy] = [my, w - 1 - mx];
      data.copy(out, (dy * ow + dx) * c, (y * w + x) * c, (y * w + x + 1) * c);
    }
  }
  return createImage(ow, q % 2 === 0 ? h : w, c, out);
}

/** Canvas size of an image turned by `degrees`: the rotated bounding box, rounded. */
export function rotatedSize(width: number, height: number, degrees: number): { width: number; height: number } {
  const rad = (degrees * Math.PI) / 180;
  const cos = Math.abs(Math.cos(rad));
  const sin = Math.abs(Math.sin(rad));
  return {
    width: Math.max(1, Math.round(width * cos + height * sin)),
    height: Math.max(1, Math.round(width * sin + height * cos)),
  };
}

/**
 * Turns an image clockwise by any angle about its centre, onto a canvas the size
 * of the rotated bounding box (see rotatedSize). Bilinear sampling with
 * alpha-weighted blending, so transparent pixels do not darken edges; samples
 * outside the source read as `background`. Grey stays grey (the background is
 * reduced to its Rec. 601 luma); an alpha channel is added when the background
 * is not opaque.
 */
export function rotateArbitrary(image: PixelImage, degrees: number, background: Rgba, signal?: AbortSignal): PixelImage {
  const { width: w, height: h, channels: sc, data } = image;
  const { width: ow, height: oh } = rotatedSize(w, h, degrees);
  const rad = (degrees * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const cc = sc <= 2 ? 1 : 3;
  const srcAlpha = hasAlpha(image);
  const outAlpha = srcAlpha || background.a < 255;
  const oc: Channels = cc === 1 ? (outAlpha ? 2 : 1) : outAlpha ? 4 : 3;
  const bgColour =
    cc === 1 ? [0.299 * background.r + 0.587 * background.g + 0.114 * background.b] : [background.r, background.g, background.b];
  const out = Buffer.allocUnsafe(ow * oh * oc);
  const bgA = background.a;
  const [bg0 = 0, bg1 = 0, bg2 = 0] = bgColour;
  for (let v = 0; v < oh; v++) {
    if ((v & 63) === 0) signal?.throwIfAborted();
    const dy = v + 0.5 - oh / 2;
    const dx0 = 0.5 - ow / 2;
    let sx = cos * dx0 + sin * dy + w / 2 - 0.5;
    let sy = -sin * dx0 + cos * dy + h / 2 - 0.5;
    for (let u = 0, d = v * ow * oc; u < ow; u++, d += oc, sx += cos, sy -= sin) {
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      // Alpha-weighted sums over the four neighbours (premultiplied bilinear).
      let c0 = 0;
      let c1 = 0;
      let c2 = 0;
      let accA = 0;
      for (let j = 0; j < 4; j++) {
        const x = x0 + (j & 1);
        const y = y0 + (j >> 1);
        const wt = (j & 1 ? fx : 1 - fx) * (j >> 1 ? fy : 1 - fy);
        if (wt === 0) continue;
        if (x >= 0 && x < w && y >= 0 && y < h) {
          const s = (y * w + x) * sc;
          const wa = wt * (srcAlpha ? data[s + cc]! : 255);
          c0 += wa * data[s]!;
          if (cc === 3) {
            c1 += wa * data[s + 1]!;
            c2 += wa * data[s + 2]!;
          }
          accA += wa;
        } else {
          const wa = wt * bgA;
          c0 += wa * bg0;
          c1 += wa * bg1;
          c2 += wa * bg2;
          accA += wa;
        }
      }
      out[d] = clampByte(accA > 0 ? c0 / accA : bg0);
      if (cc === 3) {
        out[d + 1] = clampByte(accA > 0 ? c1 / accA : bg1);
        out[d + 2] = clampByte(accA > 0 ? c2 / accA : bg2);
      }
      if (outAlpha) out[d + cc] = clampByte(accA);
    }
  }
  return createImage(ow, oh, oc, out);
}
