import { z } from 'zod';
import { defineNode } from '../define';
import { port } from '../ports';
import { getModelRuntime } from '../_impl/models/model-runtime';
import { modelFingerprint } from '../_impl/models/model-fingerprint';
import { boxOfQuad, detectText } from '../_impl/ocr/pipeline';
import { ocrFilePath } from '../_impl/ocr/models';
import { ocrParams } from './ocr-params';

export const ocrDetectNode = defineNode({
  type: 'ocr.detect',
  version: 2,
  title: 'Detect text',
  category: 'ocr',
  description: 'Finds lines of text (PP-OCRv4 detection, DB post-processing) and returns their rotated boxes in reading order.',
  inputs: { image: port.image() },
  params: z.object({
    maxSide: ocrParams.maxSide,
    detection: ocrParams.detection,
    boxThreshold: ocrParams.boxThreshold,
    unclipRatio: ocrParams.unclipRatio,
  }),
  outputs: { boxes: port.boxes() },
  fingerprint: () => modelFingerprint([ocrFilePath('detect')]),
  async run({ inputs, params, ctx }) {
    const regions = await getModelRuntime().inference(ctx.signal, () =>
      detectText(
        inputs.image,
        { maxSide: params.maxSide, mode: params.detection, db: { boxThreshold: params.boxThreshold, unclipRatio: params.unclipRatio } },
        ctx,
      ),
    );
    ctx.progress(1);
    return { boxes: regions.map((r) => boxOfQuad(r.quad, { score: r.score })) };
  },
});
