import { clampByte, createImage, type PixelImage } from '../pixel-image';
import { labToRgb, meanStd, rgbToLab } from './lab';

/**
 * Reinhard et al. (2001) colour transfer, in CIE L*a*b*: each channel of the image is
 * shifted and scaled so its mean and standard deviation match the reference's.
 * `strength` blends the statistics (0 keeps the image's, 1 takes the reference's).
 */
export function colourTransfer(image: PixelImage, reference: PixelImage, strength = 1, signal?: AbortSignal): PixelImage {
  if (image.channels !== 3 || reference.channels !== 3) throw new RangeError('colour transfer expects RGB images');
  const n = image.width * image.height;
  const src = rgbToLab(image.data, n);
  const ref = rgbToLab(reference.data, reference.width * reference.height);
  signal?.throwIfAborted();
  const maps = src.map((plane, c) => {
    const s = meanStd(plane);
    const r = meanStd(ref[c]!);
    const targetMean = s.mean + (r.mean - s.mean) * strength;
    const targetStd = s.std + (r.std - s.std) * strength;
    const scale = s.std > 1e-6 ? targetStd / s.std : 1;
    return { from: s.mean, to: targetMean, scale };
  });
  const out = Buffer.allocUnsafe(n * 3);
  const [L, A, B] = src;
  const [mL, mA, mB] = maps as [(typeof maps)[0], (typeof maps)[0], (typeof maps)[0]];
  for (let i = 0; i < n; i++) {
    const [r, g, b] = labToRgb(
      (L[i]! - mL.from) * mL.scale + mL.to,
      (A[i]! - mA.from) * mA.scale + mA.to,
      (B[i]! - mB.from) * mB.scale + mB.to,
    );
    out[i * 3] = clampByte(r);
    out[i * 3 + 1] = clampByte(g);
    out[i * 3 + 2] = clampByte(b);
  }
  return createImage(image.width, image.height, 3, out);
}
