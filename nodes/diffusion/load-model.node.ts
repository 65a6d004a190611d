import { z } from 'zod';
import { defineNode } from '../define';
import { port } from '../ports';
import { loadDiffusionModel } from '../_impl/diffusion/model';
import { zModelName } from './params';

export const diffusionLoadModelNode = defineNode({
  type: 'diffusion.load-model',
  version: 1,
  title: 'Load diffusion model',
  category: 'diffusion',
  description: 'Checks and loads a diffusion model from <models>/diffusion/<name> (manifest.json + ONNX) and outputs its description.',
  inputs: {},
  params: z.object({ modelName: zModelName }),
  outputs: { model: port.json() },
  async run({ params, ctx }) {
    const { manifest, provider } = await loadDiffusionModel(params.modelName);
    ctx.progress(1, `onnxruntime: ${provider}`);
    return {
      model: {
        kind: 'diffusion.model',
        name: params.modelName,
        type: manifest.kind,
        imageSize: manifest.imageSize,
        channels: manifest.channels,
        T: manifest.schedule.T,
        schedule: manifest.schedule.type,
        prediction: manifest.prediction,
        classes: manifest.classes,
        nullClass: manifest.nullClass,
        guidanceDefault: manifest.guidanceDefault,
        licence: manifest.licence ?? null,
      },
    };
  },
});
