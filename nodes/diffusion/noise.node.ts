import { z } from 'zod';
import { defineNode } from '../define';
import { port } from '../ports';
import { latentJson, makeLatent } from '../_impl/diffusion/latent';
import { loadDiffusionModel } from '../_impl/diffusion/load-model';
import { modelFingerprint } from '../_impl/models/model-fingerprint';
import { modelPath } from '../_impl/models/models-dir';
import { createRng } from '../_impl/diffusion/rng';
import { initialNoise } from '../_impl/diffusion/sample';
import { modelName } from './model-input';
import { zHeight, zModelNameUnlessWired, zSeed, zWidth } from './params';

export const diffusionNoiseNode = defineNode({
  type: 'diffusion.noise',
  version: 1,
  title: 'Diffusion noise',
  category: 'diffusion',
  description: 'Gaussian noise for a seed, at t = T: the start of a diffusion chain (the same noise diffusion.sample starts from).',
  inputs: { model: port.json({ optional: true, description: 'From diffusion.load-model; overrides the modelName param' }) },
  params: z.object({ modelName: zModelNameUnlessWired, seed: zSeed, width: zWidth, height: zHeight }),
  outputs: { latent: port.json() },
  fingerprint: (params) => modelFingerprint([modelPath('diffusion', params.modelName)]),
  async run({ inputs, params }) {
    const model = await loadDiffusionModel(modelName(inputs.model, params.modelName));
    const shape = model.sampleShape(params.width, params.height);
    const x = initialNoise(shape, createRng(params.seed));
    return { latent: latentJson(makeLatent(x, [1, ...shape], model.schedule.T, model.name)) };
  },
});
