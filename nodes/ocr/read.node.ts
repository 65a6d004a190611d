import { z } from 'zod';
import { defineNode } from '../define';
import { port } from '../ports';
import { boxesSvg } from '../_impl/box-svg';
import { rgbCopy } from '../_impl/alpha-over';
import { svgPaint, zHexColour } from '../_impl/colour';
import { getModelRuntime } from '../_impl/models/model-runtime';
import { modelFingerprint } from '../_impl/models/model-fingerprint';
import { boxOfQuad, detectText, recogniseRegions } from '../_impl/ocr/pipeline';
import { ocrFilePath } from '../_impl/ocr/models';
import { drawSvg } from '../_impl/svg-overlay';
import { linesJson } from './ocr-output';
import { ocrParams } from './ocr-params';

export const ocrReadNode = defineNode({
  type: 'ocr.read',
  version: 2,
  title: 'Read text (OCR)',
  category: 'ocr',
  description:
    'Finds and reads text (PP-OCRv4, Chinese and English). Lines come in reading order; text joins them with newlines. ' +
    'An image without text gives empty outputs.',
  inputs: { image: port.image() },
  params: z.object({
    ...ocrParams,
    colour: zHexColour('#ff0000').describe('Colour of the boxes drawn on the annotated image'),
  }),
  outputs: { text: port.text(), lines: port.json(), boxes: port.boxes(), annotated: port.image() },
  fingerprint: () => modelFingerprint([ocrFilePath('detect'), ocrFilePath('recognise'), ocrFilePath('classify'), ocrFilePath('dictionary')]),
  async run({ inputs, params, ctx }) {
    const { image } = inputs;
    const lines = await getModelRuntime().inference(ctx.signal, async () => {
      const regions = await detectText(
        image,
        { maxSide: params.maxSide, mode: params.detection, db: { boxThreshold: params.boxThreshold, unclipRatio: params.unclipRatio } },
        ctx,
      );
      return recogniseRegions(image, regions, params, ctx);
    });
    const boxes = lines.map((l) => boxOfQuad(l.quad, { score: Math.round(l.confidence * 1000) / 1000, label: l.text }));
    const { body, bounds } = boxesSvg(boxes, {
      stroke: svgPaint('stroke', params.colour),
      fill: svgPaint('fill', params.colour),
      lineWidth: Math.max(2, Math.round(Math.max(image.width, image.height) / 500)),
      showLabels: false,
      fontSize: 14,
      fontFamily: 'DejaVu Sans',
    });
    const region = bounds.clip(image.width, image.height);
    const annotated = region && body ? await drawSvg(image, region, body, ctx.signal) : image.channels >= 3 ? image : rgbCopy(image);
    ctx.progress(1);
    return { text: lines.map((l) => l.text).join('\n'), lines: linesJson(lines), boxes, annotated };
  },
});
