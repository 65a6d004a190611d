import { createImage, type PixelImage } from './pixel-image';

/**
 * A writable RGB copy of an image: RGB (3) stays RGB, RGBA (4) stays RGBA,
 * grey (1) widens to RGB and grey+alpha (2) to RGBA. Always a fresh buffer.
 */
export function rgbCopy(image: PixelImage): PixelImage {
  const { width, height, channels } = image;
  if (channels === 3 || channels === 4) return createImage(width, height, channels, Buffer.from(image.data));
  const oc = channels === 2 ? 4 : 3;
  const n = width * height;
  const src = image.data;
  const out = Buffer.allocUnsafe(n * oc);
  for (let i = 0, s = 0, d = 0; i < n; i++, s += channels, d += oc) {
    const v = src[s]!;
    out[d] = v;
    out[d + 1] = v;
    out[d + 2] = v;
    if (oc === 4) out[d + 3] = src[s + 1]!;
  }
  return createImage(width, height, oc, out);
}

export interface AlphaOverOptions {
  /** Where top's top-left pixel lands on the base; may be negative or past the edge (clipped). */
  x: number;
  y: number;
  /** 0..1, scales top's alpha. */
  opacity: number;
  /** One channel, the size of top; 0..255 scales top's alpha per pixel. */
  mask?: PixelImage;
  signal?: AbortSignal;
}

/**
 * Porter–Duff source-over of `top` onto `base` at (x, y), written in place into `base`,
 * which must be RGB or RGBA (see rgbCopy). Top may have 1–4 channels; grey replicates.
 * Over an opaque base: C = Cb + (Cs − Cb)·αs. Over a base with alpha:
 * αo = αs + αb(1 − αs), Co = (Cs·αs + Cb·αb(1 − αs)) / αo.
 */
export function alphaOverInPlace(base: PixelImage, top: PixelImage, options: AlphaOverOptions): void {
  const bc = base.channels;
  if (bc !== 3 && bc !== 4) throw new RangeError('alphaOver: base must be RGB or RGBA');
  const mask = options.mask;
  if (mask && (mask.channels !== 1 || mask.width !== top.width || mask.height !== top.height)) {
    throw new RangeError('alphaOver: mask must be one channel, the size of top');
  }
  const ox = Math.round(options.x);
  const oy = Math.round(options.y);
  const x0 = Math.max(0, ox);
  const y0 = Math.max(0, oy);
  const x1 = Math.min(base.width, ox + top.width);
  const y1 = Math.min(base.height, oy + top.height);
  if (x0 >= x1 || y0 >= y1) return;
  const tc = top.channels;
  const tg = tc >= 3 ? 1 : 0;
  const tb = tc >= 3 ? 2 : 0;
  const ta = tc === 2 ? 1 : tc === 4 ? 3 : -1;
  const dst = base.data;
  const src = top.data;
  const m = mask?.data;
  const opacity = Math.min(1, Math.max(0, options.opacity));
  if (!m && ta < 0 && opacity === 1 && bc === tc) {
    // Opaque RGB onto RGB: a straight copy of each row.
    for (let y = y0; y < y1; y++) {
      const from = ((y - oy) * top.width + (x0 - ox)) * tc;
      src.copy(dst, (y * base.width + x0) * bc, from, from + (x1 - x0) * tc);
    }
    return;
  }
  const k = opacity / (m ? 255 : 1) / (ta >= 0 ? 255 : 1);
  for (let y = y0; y < y1; y++) {
    if (((y - y0) & 63) === 0) options.signal?.throwIfAborted();
    let i = (y - oy) * top.width + (x0 - ox);
    let t = i * tc;
    let d = (y * base.width + x0) * bc;
    for (let x = x0; x < x1; x++, i++, t += tc, d += bc) {
      let sa = k;
      if (m) sa *= m[i]!;
      if (ta >= 0) sa *= src[t + ta]!;
      if (sa <= 0) continue;
      const r = dst[d]!;
      const g = dst[d + 1]!;
      const b = dst[d + 2]!;
      if (bc === 3) {
        dst[d] = r + (src[t]! - r) * sa + 0.5;
        dst[d + 1] = g + (src[t + tg]! - g) * sa + 0.5;
        dst[d + 2] = b + (src[t + tb]! - b) * sa + 0.5;
        continue;
      }
      const ab = dst[d + 3]! / 255;
      const wb = ab * (1 - sa);
      const ao = sa + wb;
      const inv = 1 / ao;
      dst[d] = (src[t]! * sa + r * wb) * inv + 0.5;
      dst[d + 1] = (src[t + tg]! * sa + g * wb) * inv + 0.5;
      dst[d + 2] = (src[t + tb]! * sa + b * wb) * inv + 0.5;
      dst[d + 3] = ao * 255 + 0.5;
    }
  }
}

/** Alpha-blends a solid colour (alpha 0..255) over a rectangle of an RGB/RGBA image, in place, clipped to it. */
export function fillRectInPlace(
  base: PixelImage,
  rect: { x: number; y: number; width: number; height: number },
  colour: { r: number; g: number; b: number; a: number },
): void {
  const bc = base.channels;
  if (bc !== 3 && bc !== 4) throw new RangeError('fillRect: base must be RGB or RGBA');
  const x0 = Math.max(0, Math.round(rect.x));
  const y0 = Math.max(0, Math.round(rect.y));
  const x1 = Math.min(base.width, Math.round(rect.x + rect.width));
  const y1 = Math.min(base.height, Math.round(rect.y + rect.height));
  const sa = colour.a / 255;
  if (x0 >= x1 || y0 >= y1 || sa <= 0) return;
  const dst = base.data;
  const r = colour.r * sa;
  const g = colour.g * sa;
  const b = colour.b * sa;
  for (let y = y0; y < y1; y++) {
    for (let d = (y * base.width + x0) * bc, end = d + (x1 - x0) * bc; d < end; d += bc) {
      const ab = bc === 4 ? dst[d + 3]! / 255 : 1;
      const wb = ab * (1 - sa);
      const ao = sa + wb;
      dst[d] = (r + dst[d]! * wb) / ao + 0.5;
      dst[d + 1] = (g + dst[d + 1]! * wb) / ao + 0.5;
      dst[d + 2] = (b + dst[d + 2]! * wb) / ao + 0.5;
      if (bc === 4) dst[d + 3] = ao * 255 + 0.5;
    }
  }
}
