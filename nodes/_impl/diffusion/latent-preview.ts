import { createImage, type PixelImage } from '../pixel-image';

/**
 * A live preview of a Stable Diffusion latent without running the VAE: each latent
 * pixel's 4 channels projected to RGB by a fixed linear map fitted to the SD 1.x VAE
 * (the approximation ComfyUI and A1111 use for fast previews). One preview pixel per
 * latent pixel, i.e. 1/8 of the output size. Other channel counts show channel 0 as grey.
 */
const sd1LatentToRgb = [
  [0.3512, 0.2297, 0.3227],
  [0.325, 0.4974, 0.235],
  [-0.2829, 0.1762, 0.2721],
  [-0.212, -0.2616, -0.6306],
] as const;

/** x is an unscaled latent (as the sampler holds it: VAE latent × scaling factor), [C, H, W]. */
export function latentPreview(x: ArrayLike<number>, channels: number, height: number, width: number): PixelImage {
  const plane = width * height;
  if (channels !== 4) {
    const grey = Buffer.alloc(plane);
    for (let i = 0; i < plane; i++) grey[i] = clampByte(((x[i]! + 1) / 2) * 255);
    return createImage(width, height, 1, grey);
  }
  const out = Buffer.alloc(plane * 3);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      let v = 0;
      for (let k = 0; k < 4; k++) v += x[k * plane + i]! * sd1LatentToRgb[k]![c]!;
      out[i * 3 + c] = clampByte(((v + 1) / 2) * 255);
    }
  }
  return createImage(width, height, 3, out);
}

function clampByte(v: number): number {
  const r = Math.round(v);
  return r < 0 ? 0 : r > 255 ? 255 : r;
}
