import { z } from 'zod';
import { defineNode } from '../define';
import { port } from '../ports';
import { loadDiffusionModel } from '../_impl/diffusion/load-model';
import { modelFingerprint } from '../_impl/models/model-fingerprint';
import { modelPath } from '../_impl/models/models-dir';
import { zModelName } from './params';

export const diffusionLoadModelNode = defineNode({
  type: 'diffusion.load-model',
  version: 1,
  title: 'Load diffusion model',
  category: 'diffusion',
  description:
    'Checks and loads a diffusion model from <models>/diffusion/<name> — a Pixelwire model (manifest.json + ONNX) or a Stable Diffusion ONNX export (model_index.json, tokenizer, text encoder, UNet, VAE decoder) — and outputs its description.',
  inputs: {},
  params: z.object({ modelName: zModelName }),
  outputs: { model: port.json() },
  fingerprint: (params) => modelFingerprint([modelPath('diffusion', params.modelName)]),
  async run({ params, ctx }) {
    const model = await loadDiffusionModel(params.modelName);
    ctx.progress(1, `onnxruntime: ${model.provider}`);
    return { model: model.describe() };
  },
});
