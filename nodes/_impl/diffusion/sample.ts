import { NodeError } from '../../errors';
import { predictEps, sampleLength, type Conditioning, type DiffusionModel, type SampleShape } from './model';
import { createRng, type Rng } from './rng';
import { spacedTimesteps, type TimestepSpacing } from './schedule';
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

/** The whole sampling loop, from the seed's noise at t = T to a clean sample at t = 0. */
export async function sample(model: DiffusionModel, options: SampleOptions): Promise<Float32Array> {
  const rng = createRng(options.seed);
  let x = initialNoise(options.shape, rng);
  const ts = spacedTimesteps(model.schedule.T, options.steps, options.spacing);
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
