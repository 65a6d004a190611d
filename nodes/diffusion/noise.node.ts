import { z } from 'zod';
import { defineNode } from '../define';
import { port } from '../ports';
import { latentJson, makeLatent } from '../_impl/diffusion/latent';
import { loadDiffusionModel } from '../_impl/diffusion/model';
import { createRng } from '../_impl/diffusion/rng';
import { initialNoise } from '../_impl/diffusion/sample';
import { modelName } from './model-input';
import { zModelName, zSeed } from './params';

export const diffusionNoiseNode = defineNode({
  type: 'diffusion.noise',
  version: 1,
  title: 'Diffusion noise',
  category: 'diffusion',
  description: "Gaussian noise for a seed, at t = T: the start of a diffusion chain (the same noise diffusion.sample starts from).",
  inputs: { model: port.json({ optional: true, description: 'From diffusion.load-model; overrides the modelName param' }) },
  params: z.object({ modelName: zModelName, seed: zSeed }),
  outputs: { latent: port.json() },
  async run({ inputs, params }) {
    const model = await loadDiffusionModel(modelName(inputs.model, params.modelName));
    const { channels, imageSize } = model.manifest;
    const x = initialNoise(model, createRng(params.seed));
    return { latent: latentJson(makeLatent(x, [1, channels, imageSize, imageSize], model.schedule.T, model.name)) };
  },
});
