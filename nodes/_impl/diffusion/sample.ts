import { NodeError } from '../../errors';
import { predictEps, type DiffusionModel } from './model';
import { createRng, type Rng } from './rng';
import { spacedTimesteps, type TimestepSpacing } from './schedule';
import { makeScheduler, predictX0, type SchedulerName } from './schedulers';

export interface SampleOptions {
  scheduler: SchedulerName;
  steps: number;
  guidance: number;
  seed: number;
  cls: number;
  eta: number;
  clip: boolean;
  spacing: TimestepSpacing;
  signal?: AbortSignal;
  /** Called after every step with the step count and the current x₀ prediction. */
  onStep?: (done: number, total: number, x0: Float32Array) => void;
}

export function sampleSize(model: DiffusionModel): number {
  const { channels, imageSize } = model.manifest;
  return channels * imageSize * imageSize;
}

/** Initial noise for a seed: the first draws of the seed's RNG, as the sampler uses them. */
export function initialNoise(model: DiffusionModel, rng: Rng): Float32Array {
  return rng.normals(sampleSize(model));
}

/** The whole sampling loop, from the seed's noise at t = T to a clean sample at t = 0. */
export async function sample(model: DiffusionModel, options: SampleOptions): Promise<Float32Array> {
  const rng = createRng(options.seed);
  let x = initialNoise(model, rng);
  const ts = spacedTimesteps(model.schedule.T, options.steps, options.spacing);
  const scheduler = makeScheduler(options.scheduler, model.schedule, { eta: options.eta, clip: options.clip });
  for (let i = 0; i + 1 < ts.length; i++) {
    options.signal?.throwIfAborted();
    const t = ts[i]!;
    const eps = await predictEps(model, x, t, options.cls, options.guidance);
    options.onStep?.(i + 1, options.steps, predictX0(model.schedule, x, eps, t, true));
    x = scheduler.step(x, eps, t, ts[i + 1]!, rng);
    if (x.some((v) => !Number.isFinite(v))) throw new NodeError('model_invalid', `diffusion model '${model.name}' produced non-finite values at t=${t}`);
  }
  return x;
}
