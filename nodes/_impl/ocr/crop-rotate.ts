import { createImage, type PixelImage } from '../pixel-image';
import { distance, type Quad } from './geometry';

/** Solves the 3×3 homography taking the unit corners of a w×h rectangle onto a quad. */
function homography(w: number, h: number, quad: Quad): number[] {
  const src: [number, number][] = [[0, 0], [w, 0], [w, h], [0, h]];
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = src[i]!;
    const [u, v] = quad[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gaussian elimination with partial pivoting on the 8×9 augmented matrix.
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const p = a[col]![col]!;
    if (Math.abs(p) < 1e-12) return [1, 0, quad[0][0], 0, 1, quad[0][1], 0, 0, 1];
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / p;
      if (f === 0) continue;
      for (let k = col; k < 9; k++) a[r]![k]! -= f * a[col]![k]!;
    }
  }
  return [...a.map((row, i) => row[8]! / row[i]!), 1];
}

/** Bilinear sample of an RGB image at (x, y) (pixel centres at integer + 0.5), edges replicated. */
function sample(img: PixelImage, x: number, y: number, out: Buffer, o: number): void {
  const fx = Math.min(img.width - 1, Math.max(0, x - 0.5));
  const fy = Math.min(img.height - 1, Math.max(0, y - 0.5));
  const x0 = Math.floor(fx), y0 = Math.floor(fy);
  const x1 = Math.min(img.width - 1, x0 + 1), y1 = Math.min(img.height - 1, y0 + 1);
  const ax = fx - x0, ay = fy - y0;
  const d = img.data;
  const i00 = (y0 * img.width + x0) * 3, i10 = (y0 * img.width + x1) * 3;
  const i01 = (y1 * img.width + x0) * 3, i11 = (y1 * img.width + x1) * 3;
  for (let c = 0; c < 3; c++) {
    const top = d[i00 + c]! + (d[i10 + c]! - d[i00 + c]!) * ax;
    const bottom = d[i01 + c]! + (d[i11 + c]! - d[i01 + c]!) * ax;
    out[o + c] = Math.round(top + (bottom - top) * ay);
  }
}

/**
 * Cuts the quad (clockwise from top-left) out of an RGB image as an upright strip,
 * by perspective warp. Strips at least 1.5 times taller than wide are turned a quarter
 * (counter-clockwise, as PaddleOCR does) so vertical text reads horizontally.
 */
export function cropQuad(rgb: PixelImage, quad: Quad): PixelImage {
  const w = Math.max(1, Math.round(Math.max(distance(quad[0], quad[1]), distance(quad[3], quad[2]))));
  const h = Math.max(1, Math.round(Math.max(distance(quad[0], quad[3]), distance(quad[1], quad[2]))));
  const m = homography(w, h, quad);
  const out = Buffer.allocUnsafe(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const px = x + 0.5, py = y + 0.5;
      const z = m[6]! * px + m[7]! * py + m[8]!;
      sample(rgb, (m[0]! * px + m[1]! * py + m[2]!) / z, (m[3]! * px + m[4]! * py + m[5]!) / z, out, (y * w + x) * 3);
    }
  }
  const strip = createImage(w, h, 3, out);
  return h >= w * 1.5 ? rotateQuarterCcw(strip) : strip;
}

export function rotateQuarterCcw(img: PixelImage): PixelImage {
  const { width: w, height: h } = img;
  const out = Buffer.allocUnsafe(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // (x, y) → (y, w - 1 - x) in an h×w image.
      img.data.copy(out, ((w - 1 - x) * h + y) * 3, (y * w + x) * 3, (y * w + x) * 3 + 3);
    }
  }
  return createImage(h, w, 3, out);
}

export function rotateHalf(img: PixelImage): PixelImage {
  const n = img.width * img.height;
  const out = Buffer.allocUnsafe(n * 3);
  for (let i = 0; i < n; i++) img.data.copy(out, (n - 1 - i) * 3, i * 3, i * 3 + 3);
  return createImage(img.width, img.height, 3, out);
}

/** Bilinear resize of an RGB image (as cv2.resize does for the PaddleOCR models). */
export function resizeRgb(img: PixelImage, width: number, height: number): PixelImage {
  const out = Buffer.allocUnsafe(width * height * 3);
  const sx = img.width / width, sy = img.height / height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) sample(img, (x + 0.5) * sx, (y + 0.5) * sy, out, (y * width + x) * 3);
  }
  return createImage(width, height, 3, out);
}

/**
 * Writes a strip resized to height×width into a batch tensor at `offset` (CHW, BGR,
 * (x/255 − 0.5)/0.5), leaving the padding columns up to `padWidth` at zero.
 */
export function writeStrip(strip: PixelImage, height: number, width: number, padWidth: number, tensor: Float32Array, offset: number): void {
  const img = resizeRgb(strip, width, height);
  const plane = height * padWidth;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) tensor[offset + c * plane + y * padWidth + x] = img.data[s + 2 - c]! / 127.5 - 1;
    }
  }
}
