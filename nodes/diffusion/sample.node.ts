import { z } from 'zod';
import { defineNode } from '../define';
import { port } from '../ports';
import { latentJson, makeLatent, pixelsToImage } from '../_impl/diffusion/latent';
import { classId, loadDiffusionModel } from '../_impl/diffusion/model';
import { sample } from '../_impl/diffusion/sample';
import { modelName } from './model-input';
import { zClassLabel, zClip, zEta, zGuidance, zModelName, zSchedulerName, zSeed, zSpacing } from './params';

export const diffusionSampleNode = defineNode({
  type: 'diffusion.sample',
  version: 1,
  title: 'Diffusion sample',
  category: 'diffusion',
  description: 'Generates an image with a diffusion model: seeded noise, then `steps` scheduler steps with classifier-free guidance. Streams the predicted image after each step.',
  inputs: { model: port.json({ optional: true, description: 'From diffusion.load-model; overrides the modelName param' }) },
  params: z.object({
    modelName: zModelName,
    scheduler: zSchedulerName,
    steps: z.number().int().min(1).max(1000).default(25).describe('Model evaluations'),
    guidance: zGuidance,
    seed: zSeed,
    classLabel: zClassLabel,
    eta: zEta,
    clip: zClip,
    spacing: zSpacing,
  }),
  outputs: { image: port.image(), latent: port.json() },
  async run({ inputs, params, ctx }) {
    const model = await loadDiffusionModel(modelName(inputs.model, params.modelName));
    const { channels, imageSize } = model.manifest;
    const x = await sample(model, {
      ...params,
      cls: classId(model.manifest, params.classLabel),
      signal: ctx.signal,
      onStep: (done, total, x0) => {
        ctx.progress(done / total, `step ${done}/${total}`);
        ctx.preview(pixelsToImage(x0, channels, imageSize, imageSize), `step ${done}/${total}`);
      },
    });
    return {
      image: pixelsToImage(x, channels, imageSize, imageSize),
      latent: latentJson(makeLatent(x, [1, channels, imageSize, imageSize], 0, model.name)),
    };
  },
});
