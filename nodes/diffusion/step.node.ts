import { z } from 'zod';
import { defineNode } from '../define';
import { NodeError } from '../errors';
import { port } from '../ports';
import { latentJson, makeLatent, parseLatent, pixelsToImage } from '../_impl/diffusion/latent';
import { classId, loadDiffusionModel, predictEps } from '../_impl/diffusion/model';
import { createRng, stepSeed } from '../_impl/diffusion/rng';
import { makeScheduler, predictX0 } from '../_impl/diffusion/schedulers';
import { modelName } from './model-input';
import { zClassLabel, zClip, zEta, zGuidance, zSchedulerName, zSeed } from './params';

export const diffusionStepNode = defineNode({
  type: 'diffusion.step',
  version: 1,
  title: 'Diffusion step',
  category: 'diffusion',
  description: "One denoising step: the latent at its t goes to tPrev (0: clean). Chains of steps build custom samplers; noise for ancestral steps is seeded by (seed, t).",
  inputs: {
    latent: port.json(),
    model: port.json({ optional: true, description: "From diffusion.load-model; default: the latent's model" }),
  },
  params: z.object({
    scheduler: zSchedulerName,
    classLabel: zClassLabel,
    guidance: zGuidance,
    tPrev: z.number().int().min(0).default(0).describe('Timestep to step to (less than the latent\'s t; 0 is clean)'),
    eta: zEta,
    seed: zSeed,
    clip: zClip,
  }),
  outputs: { latent: port.json(), preview: port.image() },
  async run({ inputs, params, ctx }) {
    const latent = parseLatent(inputs.latent);
    const model = await loadDiffusionModel(modelName(inputs.model, latent.model));
    const { channels, imageSize } = model.manifest;
    if (latent.shape[1] !== channels || latent.shape[2] !== imageSize || latent.shape[3] !== imageSize) {
      throw new NodeError('invalid_input', `latent shape ${latent.shape.join('x')} does not fit model '${model.name}' (${channels}x${imageSize}x${imageSize})`, { port: 'latent' });
    }
    if (latent.t < 1 || latent.t > model.schedule.T) throw new NodeError('invalid_input', `latent is at t=${latent.t}: nothing to denoise`, { port: 'latent' });
    if (params.tPrev >= latent.t) throw new NodeError('invalid_param', `tPrev (${params.tPrev}) must be less than the latent's t (${latent.t})`, { param: 'tPrev' });
    const x = Float32Array.from(latent.data);
    const eps = await predictEps(model, x, latent.t, classId(model.manifest, params.classLabel), params.guidance);
    const scheduler = makeScheduler(params.scheduler, model.schedule, { eta: params.eta, clip: params.clip });
    const next = scheduler.step(x, eps, latent.t, params.tPrev, createRng(stepSeed(params.seed, latent.t)));
    const preview = pixelsToImage(predictX0(model.schedule, x, eps, latent.t, true), channels, imageSize, imageSize);
    ctx.preview(preview, `x0 at t=${latent.t}`);
    return { latent: latentJson(makeLatent(next, latent.shape, params.tPrev, model.name)), preview };
  },
});
