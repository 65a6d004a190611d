import sharp from 'sharp';
import type { PixelImage } from '../pixel-image';

/** ImageNet statistics, in the model's channel order (PaddleOCR feeds BGR). */
const mean = [0.406, 0.456, 0.485];
const std = [0.225, 0.224, 0.229];

export interface DetectInput {
  /** NCHW, N = 1, C = 3 (BGR). */
  data: Float32Array;
  width: number;
  height: number;
}

/** Size the detector sees: longest side at most maxSide, both sides multiples of 32. */
export function detectSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const round = (v: number) => Math.max(32, Math.round((v * scale) / 32) * 32);
  return { width: round(width), height: round(height) };
}

/** Resizes an RGB image to the detector's size and normalises it with the ImageNet mean and std. */
export async function detectPreprocess(rgb: PixelImage, maxSide: number): Promise<DetectInput> {
  const { width, height } = detectSize(rgb.width, rgb.height, maxSide);
  const resized =
    width === rgb.width && height === rgb.height
      ? rgb.data
      : await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 }, limitInputPixels: false })
          .resize(width, height, { fit: 'fill', kernel: 'linear' })
          .raw()
          .toBuffer();
  const plane = width * height;
  const data = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    // (v / 255 − mean) / std as one multiply-add; channel c of the tensor is BGR, i.e. RGB channel 2 − c.
    const scale = 1 / (255 * std[c]!);
    const shift = -mean[c]! / std[c]!;
    const out = c * plane;
    for (let i = 0, s = 2 - c; i < plane; i++, s += 3) data[out + i] = resized[s]! * scale + shift;
  }
  return { data, width, height };
}
