import { z } from 'zod';
import { defineNode } from '../../define';
import { port } from '../../ports';
import { zHexColour } from '../../_impl/colour';
import { drawText } from '../../_impl/text-svg';
import { paramUi, when } from '../../param-ui';

export const drawTextNode = defineNode({
  type: 'image.draw-text',
  version: 1,
  title: 'Draw text',
  category: 'image/draw',
  description:
    'Writes text (the text input when connected, else the defaultText param) with its top-left at (x, y); ' +
    'newlines start new lines. Output is RGB, or RGBA when the image has alpha.',
  inputs: {
    image: port.image(),
    text: port.text({ optional: true, description: 'Text to draw; overrides the defaultText param when connected' }),
  },
  params: z.object({
    defaultText: paramUi(z
      .string()
      .max(10_000)
      .default('')
      .describe('Text to draw when the text input is not connected; newlines start new lines'), { title: 'Text', visibleWhen: when.unconnected('text') }),
    x: z.number().min(-100_000).max(100_000).default(10).describe('Left edge of the text, in pixels'),
    y: z.number().min(-100_000).max(100_000).default(10).describe('Top edge of the first line, in pixels'),
    fontSize: z.number().min(4).max(1000).default(32).describe('Font size in pixels'),
    colour: zHexColour('#ffffff').describe('Text colour, #RRGGBB or #RRGGBBAA'),
    fontFamily: z.string().min(1).max(200).default('DejaVu Sans').describe('Font family (fontconfig name)'),
    background: z.boolean().default(false).describe('Draw a filled box behind the text'),
    backgroundColour: paramUi(zHexColour('#000000b0').describe('Colour of the background box'), { visibleWhen: when.param('background', true) }),
    padding: z.number().min(0).max(500).default(4).describe('Space between the text and its background box, in pixels'),
  }),
  outputs: { image: port.image() },
  async run({ inputs, params, ctx }) {
    const text = inputs.text ?? params.defaultText;
    const style = {
      x: params.x,
      y: params.y,
      fontSize: params.fontSize,
      fontFamily: params.fontFamily,
      colour: params.colour,
    };
    const background = params.background ? { colour: params.backgroundColour, padding: params.padding } : undefined;
    return { image: await drawText(inputs.image, text, style, background, ctx.signal) };
  },
});
