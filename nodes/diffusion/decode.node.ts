import { z } from 'zod';
import { defineNode } from '../define';
import { NodeError } from '../errors';
import { port } from '../ports';
import { parseLatent } from '../_impl/diffusion/latent';
import { loadDiffusionModel } from '../_impl/diffusion/load-model';
import { getModelRuntime } from '../_impl/models/model-runtime';
import type { SampleShape } from '../_impl/diffusion/model';
import { modelName } from './model-input';

export const diffusionDecodeNode = defineNode({
  type: 'diffusion.decode',
  version: 1,
  title: 'Decode latent',
  category: 'diffusion',
  description:
    "Turns a diffusion sample into an image with its model: latent models (Stable Diffusion) run their VAE decoder; pixel-space models rescale [-1, 1] → 0..255 (one channel grey, three RGB).",
  inputs: {
    latent: port.json(),
    model: port.json({ optional: true, description: "From diffusion.load-model; default: the latent's model" }),
  },
  params: z.object({}),
  outputs: { image: port.image() },
  async run({ inputs, ctx }) {
    const latent = parseLatent(inputs.latent);
    const model = await loadDiffusionModel(modelName(inputs.model, latent.model));
    const shape: SampleShape = [latent.shape[1], latent.shape[2], latent.shape[3]];
    if (!model.fitsShape(shape)) throw new NodeError('invalid_input', `latent shape ${latent.shape.join('x')} does not fit diffusion model '${model.name}'`, { port: 'latent' });
    ctx.progress(0.1, model.kind === 'latent' ? `VAE decoder on ${model.provider}` : 'rescaling');
    return { image: await getModelRuntime().inference(ctx.signal, () => model.toImage(Float32Array.from(latent.data), shape)) };
  },
});
