/**
 * npm run bench:diffusion — fashion-unet speed (per step against a bare session.run, samples/s)
 * and quality (per-class recognition of generated samples by the exported classifier).
 *   npx tsx bench/diffusion.bench.ts [--seeds 8] [--steps 20] [--guidance 3] [--scheduler ddim] [--rounds 60]
 */
import type { SchedulerName } from '../nodes/_impl/diffusion/schedulers';
import { diffusionQualityBench, diffusionSpeedBench } from './diffusion-parts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const steps = Number(arg('steps', '20'));
await diffusionSpeedBench({ steps, rounds: Number(arg('rounds', '60')) });
await diffusionQualityBench({ seeds: Number(arg('seeds', '8')), steps, guidance: Number(arg('guidance', '3')), scheduler: arg('scheduler', 'ddim') as SchedulerName });
