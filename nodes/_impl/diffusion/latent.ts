import { z } from 'zod';
import { NodeError } from '../../errors';
import type { JsonValue } from '../../ports';
import { createImage, fromSharp, toSharp, type PixelImage } from '../pixel-image';

/**
 * A diffusion sample as it travels along a json edge. `t` is the 1-based timestep the
 * sample is at (T: pure noise, 0: clean); data is row-major [N, C, H, W].
 */
export const zLatent = z.object({
  kind: z.literal('diffusion.latent'),
  shape: z.tuple([z.literal(1), z.number().int().min(1).max(4), z.number().int().positive(), z.number().int().positive()]),
  data: z.array(z.number()),
  t: z.number().int().min(0),
  model: z.string(),
});
export type Latent = z.infer<typeof zLatent>;

export function parseLatent(value: unknown, port = 'latent'): Latent {
  const parsed = zLatent.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NodeError('invalid_input', `not a diffusion latent: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`, { port });
  }
  const { shape, data } = parsed.data;
  if (data.length !== shape[1] * shape[2] * shape[3]) {
    throw new NodeError('invalid_input', `latent data has ${data.length} values, shape ${shape.join('x')} needs ${shape[1] * shape[2] * shape[3]}`, { port });
  }
  return parsed.data;
}

export function makeLatent(x: Float32Array, shape: Latent['shape'], t: number, model: string): Latent {
  return { kind: 'diffusion.latent', shape, data: Array.from(x), t, model };
}

/** A latent as a json port value. */
export function latentJson(latent: Latent): JsonValue {
  return { kind: latent.kind, shape: [...latent.shape], data: latent.data, t: latent.t, model: latent.model };
}

/** Pixel-space sample in [-1, 1] → 8-bit image (grey for one channel, RGB for three). */
export function pixelsToImage(x: ArrayLike<number>, channels: number, height: number, width: number): PixelImage {
  if (channels !== 1 && channels !== 3) throw new NodeError('invalid_input', `cannot show a ${channels}-channel sample as an image`, { port: 'latent' });
  const plane = width * height;
  const out = Buffer.alloc(plane * channels);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < plane; i++) {
      const v = Math.round(((x[c * plane + i]! + 1) / 2) * 255);
      out[i * channels + c] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return createImage(width, height, channels, out);
}

/**
 * An 8-bit image → a pixel-space sample in [-1, 1] of `channels` (1: grey, 3: RGB) and
 * width × height, stretched to that size (alpha is flattened onto black). The inverse of pixelsToImage.
 */
export async function imageToPixels(image: PixelImage, channels: number, height: number, width: number): Promise<Float32Array> {
  if (channels !== 1 && channels !== 3) throw new NodeError('invalid_input', `cannot make a ${channels}-channel sample from an image`, { port: 'image' });
  let pipeline = toSharp(image).flatten({ background: '#000000' });
  if (image.width !== width || image.height !== height) pipeline = pipeline.resize(width, height, { fit: 'fill', kernel: 'lanczos3' });
  pipeline = channels === 1 ? pipeline.toColourspace('b-w') : pipeline.toColourspace('srgb');
  const resized = await fromSharp(pipeline);
  if (resized.channels !== channels || resized.width !== width || resized.height !== height) {
    throw new RangeError(`resize gave ${resized.width}x${resized.height}x${resized.channels}, expected ${width}x${height}x${channels}`);
  }
  const plane = width * height;
  const x = new Float32Array(plane * channels);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < plane; i++) x[c * plane + i] = resized.data[i * channels + c]! / 127.5 - 1;
  }
  return x;
}
