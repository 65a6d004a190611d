import { z } from 'zod';
import { defineNode } from '../define';
import { NodeError } from '../errors';
import { port } from '../ports';
import { joinAlpha, splitAlpha, toRgb } from '../_impl/pixel-image';
import { getModelRuntime } from '../_impl/models/model-runtime';
import { modelFingerprint } from '../_impl/models/model-fingerprint';
import { modelsMetaKey } from '../_impl/models/model-meta';
import { modelNamePattern, modelPath } from '../_impl/models/models-dir';
import { keepChroma, mix, styliseTiled } from '../_impl/style/fast-style';

export const fastStyleGetFrom = 'the ONNX Model Zoo (validated/vision/style_transfer/fast_neural_style)';

export const fastStyleNode = defineNode({
  type: 'style.fast',
  version: 1,
  title: 'Fast neural style',
  category: 'style',
  description:
    'Johnson et al. fast style transfer with an ONNX model from <models>/style (candy, mosaic, pointilism, rain-princess, udnie). ' +
    'Large images run in overlapping tiles so memory stays bounded.',
  inputs: { image: port.image() },
  params: z.object({
    model: z
      .string()
      .regex(modelNamePattern, 'a model file name without .onnx')
      .default('candy')
      .describe('Model file name under <models>/style, without .onnx')
      .meta({ [modelsMetaKey]: 'style' }),
    strength: z.number().min(0).max(1).default(1).describe('Blend with the input: 0 input, 1 fully stylised'),
    keepColours: z.boolean().default(false).describe("Transfer luminance only: stylised Y with the input's Cb/Cr"),
    tileSize: z.number().int().min(64).max(4096).default(512).describe('Largest tile side in pixels'),
    overlap: z.number().int().min(0).max(256).default(32).describe('Pixels shared by neighbouring tiles, cross-faded'),
  }),
  outputs: { image: port.image() },
  fingerprint: (params) => modelFingerprint([modelPath('style', `${params.model}.onnx`)]),
  async run({ inputs, params, ctx }) {
    const { colour, alpha } = splitAlpha(inputs.image);
    const rgb = toRgb(colour);
    const path = modelPath('style', `${params.model}.onnx`);
    const { session, provider } = await getModelRuntime().load(path, {
      what: `fast style model '${params.model}'`,
      getFrom: fastStyleGetFrom,
    });
    ctx.progress(0, `onnxruntime: ${provider}`);
    if (params.strength === 0) return { image: joinAlpha(rgb, alpha) };
    let stylised;
    try {
      stylised = await getModelRuntime().inference(ctx.signal, () =>
        styliseTiled(session, rgb, {
          tileSize: params.tileSize,
          overlap: params.overlap,
          signal: ctx.signal,
          onTile: (done, total) => ctx.progress(done / total, `tile ${done}/${total}`),
        }),
      );
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new NodeError('model_invalid', `fast style model '${params.model}' at ${path} failed to run: ${reason}`, { cause: error });
    }
    if (params.keepColours) stylised = keepChroma(rgb, stylised);
    return { image: joinAlpha(mix(rgb, stylised, params.strength), alpha) };
  },
});
