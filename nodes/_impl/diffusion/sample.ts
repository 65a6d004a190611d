import { NodeError } from '../../errors';
import { predictEps, sampleLength, type Conditioning, type DiffusionModel, type SampleShape } from './model';
import { createRng, type Rng } from './rng';
import { alphaBar, spacedTimesteps, type NoiseSchedule, type TimestepSpacing } from './schedule';
import { makeScheduler, predictX0, type SchedulerName } from './schedulers';

export interface SampleOptions {
  shape: SampleShape;
  cond: Conditioning;
  scheduler: SchedulerName;
  steps: number;
  guidance: number;
  seed: number;
  eta: number;
  /** Clip predicted x₀ to [-1, 1]; only pixel-space models are clipped (latents are not bounded). */
  clip: boolean;
  spacing: TimestepSpacing;
  signal?: AbortSignal;
  /**
   * Start from this sample at 1-based timestep t (image-to-image) instead of the seed's
   * noise at T: the steps are spaced over 1..t as they would be over 1..T, so a start at
   * T is the noise case. The seed's noise is still drawn (and dropped) so ancestral
   * schedulers get the same random stream either way.
   */
  start?: { x: Float32Array; t: number };
  /** Called after every step with the step count and the current x₀ prediction. */
  onStep?: (done: number, total: number, x0: Float32Array) => void;
}

/** Whether x₀ clipping applies to this model. */
export function clips(model: DiffusionModel, clip: boolean): boolean {
  return clip && model.kind === 'pixel';
}

/** Initial noise for a seed: the first draws of the seed's RNG, as the sampler uses them. */
export function initialNoise(shape: SampleShape, rng: Rng): Float32Array {
  return rng.normals(sampleLength(shape));
}

/**
 * Forward diffusion from timestep t0 to t > t0: x_t = √(ᾱ_t/ᾱ_t0)·x + √(1 − ᾱ_t/ᾱ_t0)·ε, with
 * ε the first draws of the seed's RNG (the noise diffusion.noise gives for that seed). From
 * t0 = 0 this is q(x_t | x_0).
 */
export function addNoise(schedule: NoiseSchedule, x: Float32Array, t0: number, t: number, seed: number): Float32Array {
  if (!(t > t0)) throw new RangeError(`t (${t}) must be greater than t0 (${t0})`);
  const ratio = alphaBar(schedule, t) / alphaBar(schedule, t0);
  const a = Math.sqrt(ratio);
  const b = Math.sqrt(1 - ratio);
  const eps = createRng(seed).normals(x.length);
  for (let i = 0; i < x.length; i++) eps[i] = a * x[i]! + b * eps[i]!;
  return eps;
}

/** The whole sampling loop, from the seed's noise at t = T (or options.start) to a clean sample at t = 0. */
export async function sample(model: DiffusionModel, options: SampleOptions): Promise<Float32Array> {
  const rng = createRng(options.seed);
  const noise = initialNoise(options.shape, rng);
  let x = options.start ? Float32Array.from(options.start.x) : noise;
  const ts = spacedTimesteps(options.start?.t ?? model.schedule.T, options.steps, options.spacing);
  const clip = clips(model, options.clip);
  const scheduler = makeScheduler(options.scheduler, model.schedule, { eta: options.eta, clip });
  for (let i = 0; i + 1 < ts.length; i++) {
    options.signal?.throwIfAborted();
    const t = ts[i]!;
    const eps = await predictEps(model, x, options.shape, t, options.cond, options.guidance);
    options.onStep?.(i + 1, options.steps, predictX0(model.schedule, x, eps, t, clip));
    x = scheduler.step(x, eps, t, ts[i + 1]!, rng);
    if (x.some((v) => !Number.isFinite(v))) throw new NodeError('model_invalid', `diffusion model '${model.name}' produced non-finite values at t=${t}`);
  }
  return x;
}
