import type { JsonValue } from '../../ports';
import type { ExecutionProvider } from '../models/model-runtime';
import type { PixelImage } from '../pixel-image';
import { alphaBar, type NoiseSchedule } from './schedule';

/**
 * What every diffusion model looks like to the nodes, whatever its folder layout:
 * Pixelwire's own manifest format (pixel space, class labels) or the Stable Diffusion
 * ONNX layout (latent space, text prompts, VAE decoder).
 */

/** [channels, height, width] of one sample (batch 1). */
export type SampleShape = readonly [channels: number, height: number, width: number];

export type Prediction = 'epsilon' | 'v_prediction';

/** The conditioning for one run: a class id (with the model's null class) or prompt embeddings. */
export type Conditioning =
  | { kind: 'class'; id: number; nullId: number }
  | { kind: 'text'; cond: Float32Array; uncond: Float32Array; dims: readonly number[] };

export interface ConditionRequest {
  classLabel: string;
  prompt: string;
  negativePrompt: string;
}

export interface DiffusionModel {
  readonly name: string;
  /** pixel: samples are images in [-1, 1]; latent: samples are VAE latents. */
  readonly kind: 'pixel' | 'latent';
  readonly conditioning: 'class' | 'text';
  readonly schedule: NoiseSchedule;
  readonly prediction: Prediction;
  /** The provider the denoiser runs on. */
  readonly provider: ExecutionProvider;
  /** The model as diffusion.load-model outputs it. */
  describe(): { [key: string]: JsonValue };
  /** The sample shape for an output image size (0: the model's native size). Throws invalid_param for sizes it cannot make. */
  sampleShape(width: number, height: number): SampleShape;
  /** Whether a latent of this shape belongs to this model. */
  fitsShape(shape: SampleShape): boolean;
  condition(request: ConditionRequest): Promise<Conditioning>;
  /**
   * One network evaluation of `batch` copies of the sample (x holds them back to back)
   * at 1-based timestep t: batch 1 is conditional only, batch 2 is [conditional, unconditional].
   * Returns the raw output (ε or v, as `prediction` says), batch × sample values.
   */
  runNetwork(x: Float32Array, shape: SampleShape, batch: 1 | 2, t: number, cond: Conditioning): Promise<Float32Array>;
  /**
   * An image as a clean sample (t = 0), the inverse of toImage: pixel models resize it to their
   * size and channels and scale to [-1, 1]; latent models run the VAE encoder.
   */
  fromImage(image: PixelImage): Promise<{ x: Float32Array; shape: SampleShape }>;
  /** A clean sample as an image (pixel models: rescale; latent models: the VAE decoder). */
  toImage(x: Float32Array, shape: SampleShape): Promise<PixelImage>;
  /** A cheap image of a predicted x₀ for live previews. */
  previewImage(x0: Float32Array, shape: SampleShape): PixelImage;
}

/** Whether classifier-free guidance needs the unconditional pass. */
export function isGuided(cond: Conditioning, guidance: number): boolean {
  if (guidance === 1) return false;
  return cond.kind === 'text' || cond.id !== cond.nullId;
}

/**
 * The model's ε for x at 1-based timestep t, with classifier-free guidance: the
 * conditional and unconditional passes run as one batch of 2 in a single network call.
 * v-prediction outputs are turned into ε (ε = √ᾱ·v + √(1−ᾱ)·x).
 */
export async function predictEps(model: DiffusionModel, x: Float32Array, shape: SampleShape, t: number, cond: Conditioning, guidance: number): Promise<Float32Array> {
  const n = x.length;
  const guided = isGuided(cond, guidance);
  let input = x;
  if (guided) {
    input = new Float32Array(n * 2);
    input.set(x, 0);
    input.set(x, n);
  }
  const out = await model.runNetwork(input, shape, guided ? 2 : 1, t, cond);
  if (model.prediction === 'v_prediction') {
    const a = alphaBar(model.schedule, t);
    const sa = Math.sqrt(a);
    const sb = Math.sqrt(1 - a);
    for (let i = 0; i < out.length; i++) out[i] = sa * out[i]! + sb * input[i]!;
  }
  if (!guided) return out.length === n ? out : out.slice(0, n);
  const eps = new Float32Array(n);
  for (let i = 0; i < n; i++) eps[i] = out[n + i]! + guidance * (out[i]! - out[n + i]!);
  return eps;
}

/** The number of values in a sample of this shape. */
export function sampleLength(shape: SampleShape): number {
  return shape[0] * shape[1] * shape[2];
}
