import { z } from 'zod';
import { defineNode } from '../define';
import { port } from '../ports';
import { latentJson, makeLatent } from '../_impl/diffusion/latent';
import { loadDiffusionModel } from '../_impl/diffusion/load-model';
import { modelFingerprint } from '../_impl/models/model-fingerprint';
import { modelPath } from '../_impl/models/models-dir';
import { getModelRuntime } from '../_impl/models/model-runtime';
import { modelName } from './model-input';
import { zModelNameUnlessWired } from './params';

export const diffusionEncodeNode = defineNode({
  type: 'diffusion.encode',
  version: 1,
  title: 'Encode image',
  category: 'diffusion',
  description:
    "Turns an image into a clean diffusion sample (t = 0), the start of image-to-image: latent models (Stable Diffusion) run their VAE encoder (vae_encoder/) on the image with its sides rounded down to multiples of 8, at most 2048; pixel-space models stretch it to their size and channels (grey for one) and scale 0..255 → [-1, 1].",
  inputs: {
    image: port.image(),
    model: port.json({ optional: true, description: 'From diffusion.load-model; overrides the modelName param' }),
  },
  params: z.object({ modelName: zModelNameUnlessWired }),
  outputs: { latent: port.json() },
  fingerprint: (params) => modelFingerprint([modelPath('diffusion', params.modelName)]),
  async run({ inputs, params, ctx }) {
    const model = await loadDiffusionModel(modelName(inputs.model, params.modelName));
    ctx.progress(0.1, model.kind === 'latent' ? `VAE encoder on ${model.provider}` : 'rescaling');
    const { x, shape } = await getModelRuntime().inference(ctx.signal, () => model.fromImage(inputs.image));
    return { latent: latentJson(makeLatent(x, [1, ...shape], 0, model.name)) };
  },
});
