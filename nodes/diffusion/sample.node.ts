import { z } from 'zod';
import { defineNode } from '../define';
import { port } from '../ports';
import { latentJson, makeLatent } from '../_impl/diffusion/latent';
import { loadDiffusionModel } from '../_impl/diffusion/load-model';
import { sample } from '../_impl/diffusion/sample';
import { conditionFrom } from './condition';
import { modelName } from './model-input';
import { zClassLabel, zClip, zEta, zGuidance, zHeight, zModelName, zNegativePrompt, zPrompt, zSchedulerName, zSeed, zSpacing, zWidth } from './params';

export const diffusionSampleNode = defineNode({
  type: 'diffusion.sample',
  version: 1,
  title: 'Diffusion sample',
  category: 'diffusion',
  description:
    'Generates an image with a diffusion model: seeded noise, then `steps` scheduler steps with classifier-free guidance (class label or text prompt, as the model is conditioned). Streams the predicted image after each step; latent models are decoded by their VAE.',
  inputs: { model: port.json({ optional: true, description: 'From diffusion.load-model; overrides the modelName param' }) },
  params: z.object({
    modelName: zModelName,
    scheduler: zSchedulerName,
    steps: z.number().int().min(1).max(1000).default(25).describe('Model evaluations'),
    guidance: zGuidance,
    seed: zSeed,
    classLabel: zClassLabel,
    prompt: zPrompt,
    negativePrompt: zNegativePrompt,
    width: zWidth,
    height: zHeight,
    eta: zEta,
    clip: zClip,
    spacing: zSpacing,
  }),
  outputs: { image: port.image(), latent: port.json() },
  async run({ inputs, params, ctx }) {
    const model = await loadDiffusionModel(modelName(inputs.model, params.modelName));
    const shape = model.sampleShape(params.width, params.height);
    ctx.progress(0, `onnxruntime: ${model.provider}`);
    const cond = await conditionFrom(model, params);
    const x = await sample(model, {
      ...params,
      shape,
      cond,
      signal: ctx.signal,
      onStep: (done, total, x0) => {
        ctx.progress(done / total, `step ${done}/${total}`);
        ctx.preview(model.previewImage(x0, shape), `step ${done}/${total}`);
      },
    });
    ctx.signal.throwIfAborted();
    return {
      image: await model.toImage(x, shape),
      latent: latentJson(makeLatent(x, [1, ...shape], 0, model.name)),
    };
  },
});
