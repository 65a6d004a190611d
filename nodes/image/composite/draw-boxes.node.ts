import { z } from 'zod';
import { defineNode } from '../../define';
import { port } from '../../ports';
import { boxesSvg } from '../../_impl/box-svg';
import { svgPaint, zHexColour } from '../../_impl/colour';
import { rgbCopy } from '../../_impl/alpha-over';
import { drawSvg } from '../../_impl/svg-overlay';
import { paramUi, when } from '../../param-ui';

export const drawBoxesNode = defineNode({
  type: 'image.draw-boxes',
  version: 1,
  title: 'Draw boxes',
  category: 'image/draw',
  description:
    'Outlines each box (or its polygon) in one colour, optionally with its label and score above it. ' +
    'Output is RGB, or RGBA when the image has alpha.',
  inputs: {
    image: port.image(),
    boxes: port.boxes(),
  },
  params: z.object({
    colour: zHexColour('#ff0000').describe('Line and label colour, #RRGGBB or #RRGGBBAA'),
    lineWidth: z.number().min(1).max(32).default(2).describe('Line width in pixels'),
    showLabels: z.boolean().default(true).describe('Draw each box\'s label and score above it'),
    fontSize: paramUi(z.number().min(4).max(256).default(14).describe('Label font size in pixels'), { visibleWhen: when.param('showLabels', true) }),
  }),
  outputs: { image: port.image() },
  async run({ inputs, params, ctx }) {
    const { image, boxes } = inputs;
    const { body, bounds } = boxesSvg(boxes, {
      stroke: svgPaint('stroke', params.colour),
      fill: svgPaint('fill', params.colour),
      lineWidth: params.lineWidth,
      showLabels: params.showLabels,
      fontSize: params.fontSize,
      fontFamily: 'DejaVu Sans',
    });
    const region = bounds.clip(image.width, image.height);
    if (!region || !body) return { image: image.channels >= 3 ? image : rgbCopy(image) };
    return { image: await drawSvg(image, region, body, ctx.signal) };
  },
});
