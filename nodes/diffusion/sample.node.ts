import { z } from 'zod';
import { defineNode } from '../define';
import { port } from '../ports';
import { NodeError } from '../errors';
import { latentJson, makeLatent, parseLatent } from '../_impl/diffusion/latent';
import { loadDiffusionModel } from '../_impl/diffusion/load-model';
import { modelFingerprint } from '../_impl/models/model-fingerprint';
import { modelPath } from '../_impl/models/models-dir';
import { getModelRuntime } from '../_impl/models/model-runtime';
import { sample } from '../_impl/diffusion/sample';
import { conditionFrom } from './condition';
import { latentShapeFor } from './model-latent';
import { modelName } from './model-input';
import { zClassLabel, zClip, zEta, zGuidance, zHeight, zModelName, zNegativePrompt, zPrompt, zSchedulerName, zSeed, zSpacing, zWidth } from './params';
import { paramUi, when } from '../param-ui';

/** A wired model, or else a wired latent (which remembers its model and sets the size), decides: the params are hidden then. */
const unlessWired = [when.unconnected('model'), when.unconnected('latent')];

export const diffusionSampleNode = defineNode({
  type: 'diffusion.sample',
  version: 1,
  title: 'Diffusion sample',
  category: 'diffusion',
  description:
    'Generates an image with a diffusion model: seeded noise, then `steps` scheduler steps with classifier-free guidance (class label or text prompt, as the model is conditioned). Streams the predicted image after each step; latent models are decoded by their VAE. Image-to-image: given a latent at t (diffusion.add-noise), it starts from that instead, its steps spaced over 1..t as they would be over 1..T.',
  inputs: {
    model: port.json({ optional: true, description: 'From diffusion.load-model; overrides the modelName param' }),
    latent: port.json({ optional: true, description: "Start here instead of fresh noise (image-to-image; from diffusion.add-noise): sets the size, and its model is used unless model is wired; steps must be at most its t" }),
  },
  params: z.object({
    modelName: paramUi(zModelName, { visibleWhen: unlessWired }),
    scheduler: zSchedulerName,
    steps: z.number().int().min(1).max(1000).default(25).describe('Model evaluations'),
    guidance: zGuidance,
    seed: zSeed,
    classLabel: zClassLabel,
    prompt: zPrompt,
    negativePrompt: zNegativePrompt,
    width: paramUi(zWidth, { visibleWhen: [when.model('latent-space'), when.unconnected('latent')] }),
    height: paramUi(zHeight, { visibleWhen: [when.model('latent-space'), when.unconnected('latent')] }),
    eta: zEta,
    clip: zClip,
    spacing: zSpacing,
  }),
  outputs: { image: port.image(), latent: port.json() },
  fingerprint: (params) => modelFingerprint([modelPath('diffusion', params.modelName)]),
  async run({ inputs, params, ctx }) {
    const start = inputs.latent === undefined ? undefined : parseLatent(inputs.latent);
    const model = await loadDiffusionModel(modelName(inputs.model, start?.model ?? params.modelName));
    const shape = start ? latentShapeFor(model, start) : model.sampleShape(params.width, params.height);
    if (start && (start.t < 1 || start.t > model.schedule.T)) throw new NodeError('invalid_input', `latent is at t=${start.t}: sampling starts from 1..${model.schedule.T} (add noise to a clean latent first)`, { port: 'latent' });
    if (start && params.steps > start.t) throw new NodeError('invalid_param', `steps (${params.steps}) must be at most the latent's t (${start.t})`, { param: 'steps' });
    ctx.progress(0, `onnxruntime: ${model.provider}`);
    return getModelRuntime().inference(ctx.signal, async () => {
      const cond = await conditionFrom(model, params);
      const x = await sample(model, {
        ...params,
        shape,
        cond,
        start: start && { x: Float32Array.from(start.data), t: start.t },
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
    });
  },
});
