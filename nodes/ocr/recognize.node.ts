import { z } from 'zod';
import { defineNode } from '../define';
import { port } from '../ports';
import { getModelRuntime } from '../_impl/models/model-runtime';
import { modelFingerprint } from '../_impl/models/model-fingerprint';
import { quadOfBox, recogniseRegions } from '../_impl/ocr/pipeline';
import { ocrFilePath } from '../_impl/ocr/models';
import { readingOrder } from '../_impl/ocr/reading-order';
import { linesJson } from './ocr-output';
import { ocrParams } from './ocr-params';

export const ocrRecognizeNode = defineNode({
  type: 'ocr.recognize',
  version: 2,
  title: 'Recognize text',
  category: 'ocr',
  description:
    'Reads the text inside each box (its polygon when it has one) with PP-OCRv4 recognition. ' +
    'Lines come in reading order; text joins them with newlines.',
  inputs: { image: port.image(), boxes: port.boxes() },
  params: z.object({
    classifyAngle: ocrParams.classifyAngle,
    lookalikes: ocrParams.lookalikes,
    minConfidence: ocrParams.minConfidence,
  }),
  outputs: { text: port.text(), lines: port.json() },
  fingerprint: () => modelFingerprint([ocrFilePath('recognise'), ocrFilePath('classify'), ocrFilePath('dictionary')]),
  async run({ inputs, params, ctx }) {
    const regions = readingOrder(
      inputs.boxes.filter((b) => b.width >= 1 && b.height >= 1).map((b) => ({ quad: quadOfBox(b) })),
      (r) => r.quad,
    );
    const lines = await getModelRuntime().inference(ctx.signal, () => recogniseRegions(inputs.image, regions, params, ctx));
    ctx.progress(1);
    return { text: lines.map((l) => l.text).join('\n'), lines: linesJson(lines) };
  },
});
