import { z } from 'zod';
import { defineNode } from '../define';
import { NodeError } from '../errors';
import { port } from '../ports';
import { latentJson, makeLatent, parseLatent } from '../_impl/diffusion/latent';
import { loadDiffusionModel } from '../_impl/diffusion/load-model';
import { getModelRuntime } from '../_impl/models/model-runtime';
import { predictEps, type SampleShape } from '../_impl/diffusion/model';
import { createRng, stepSeed } from '../_impl/diffusion/rng';
import { clips } from '../_impl/diffusion/sample';
import { makeScheduler, predictX0 } from '../_impl/diffusion/schedulers';
import { conditionFrom } from './condition';
import { modelName } from './model-input';
import { zClassLabel, zClip, zEta, zGuidance, zNegativePrompt, zPrompt, zSchedulerName, zSeed } from './params';
import { paramUi } from '../param-ui';

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
    prompt: zPrompt,
    negativePrompt: zNegativePrompt,
    guidance: zGuidance,
    tPrev: paramUi(z.number().int().min(0).default(0).describe('Timestep to step to (less than the latent\'s t; 0 is clean)'), { title: 'To timestep' }),
    eta: zEta,
    seed: zSeed,
    clip: zClip,
  }),
  outputs: { latent: port.json(), preview: port.image() },
  async run({ inputs, params, ctx }) {
    const latent = parseLatent(inputs.latent);
    const model = await loadDiffusionModel(modelName(inputs.model, latent.model));
    const shape: SampleShape = [latent.shape[1], latent.shape[2], latent.shape[3]];
    if (!model.fitsShape(shape)) throw new NodeError('invalid_input', `latent shape ${latent.shape.join('x')} does not fit diffusion model '${model.name}'`, { port: 'latent' });
    if (latent.t < 1 || latent.t > model.schedule.T) throw new NodeError('invalid_input', `latent is at t=${latent.t}: nothing to denoise`, { port: 'latent' });
    if (params.tPrev >= latent.t) throw new NodeError('invalid_param', `tPrev (${params.tPrev}) must be less than the latent's t (${latent.t})`, { param: 'tPrev' });
    ctx.progress(0, `onnxruntime: ${model.provider}`);
    const x = Float32Array.from(latent.data);
    const eps = await getModelRuntime().inference(ctx.signal, async () => predictEps(model, x, shape, latent.t, await conditionFrom(model, params), params.guidance));
    const clip = clips(model, params.clip);
    const scheduler = makeScheduler(params.scheduler, model.schedule, { eta: params.eta, clip });
    const next = scheduler.step(x, eps, latent.t, params.tPrev, createRng(stepSeed(params.seed, latent.t)));
    const preview = model.previewImage(predictX0(model.schedule, x, eps, latent.t, clip), shape);
    ctx.preview(preview, `x0 at t=${latent.t}`);
    return { latent: latentJson(makeLatent(next, latent.shape, params.tPrev, model.name)), preview };
  },
});
