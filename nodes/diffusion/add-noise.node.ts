import { z } from 'zod';
import { defineNode } from '../define';
import { NodeError } from '../errors';
import { port } from '../ports';
import { latentJson, makeLatent, parseLatent } from '../_impl/diffusion/latent';
import { loadDiffusionModel } from '../_impl/diffusion/load-model';
import { addNoise } from '../_impl/diffusion/sample';
import { latentShapeFor } from './model-latent';
import { modelName } from './model-input';
import { zSeed } from './params';

export const diffusionAddNoiseNode = defineNode({
  type: 'diffusion.add-noise',
  version: 1,
  title: 'Add diffusion noise',
  category: 'diffusion',
  description:
    "Forward diffusion: the latent at its t (usually 0, from diffusion.encode) goes to the noisier t with the seed's noise, x_t = √(ᾱ_t/ᾱ_t0)·x + √(1 − ᾱ_t/ᾱ_t0)·ε. The larger t, the less of the image survives (t/T is ComfyUI's denoise strength); diffusion.sample then denoises it.",
  inputs: {
    latent: port.json(),
    model: port.json({ optional: true, description: "From diffusion.load-model; default: the latent's model" }),
  },
  params: z.object({
    t: z.number().int().min(1).default(500).meta({ title: 'Timestep' }).describe("Timestep to noise to: greater than the latent's t, at most the model's T (T: pure noise)"),
    seed: zSeed,
  }),
  outputs: { latent: port.json() },
  async run({ inputs, params }) {
    const latent = parseLatent(inputs.latent);
    const model = await loadDiffusionModel(modelName(inputs.model, latent.model));
    latentShapeFor(model, latent);
    const { T } = model.schedule;
    if (latent.t > T) throw new NodeError('invalid_input', `latent is at t=${latent.t}, beyond diffusion model '${model.name}''s T=${T}`, { port: 'latent' });
    if (params.t <= latent.t || params.t > T) throw new NodeError('invalid_param', `t (${params.t}) must be greater than the latent's t (${latent.t}) and at most ${T}`, { param: 't' });
    const x = addNoise(model.schedule, Float32Array.from(latent.data), latent.t, params.t, params.seed);
    return { latent: latentJson(makeLatent(x, latent.shape, params.t, model.name)) };
  },
});
