import { z } from 'zod';
import { defineNode } from '../../define';
import { port } from '../../ports';
import { fromSharp, toGrey, toSharp } from '../../_impl/pixel-image';
import { colourDodgeSketch, invertGrey } from '../../_impl/sketch';

export const pencilSketchNode = defineNode({
  type: 'image.pencil-sketch',
  version: 1,
  title: 'Pencil sketch',
  category: 'image/filter',
  description:
    'Classic pencil sketch: luma → invert → Gaussian blur → colour-dodge the luma by the blurred inverse. ' +
    'Flat areas turn white, edges dark. Shade multiplies the luma back in for tone. One channel out.',
  inputs: { image: port.image() },
  params: z.object({
    sigma: z.number().min(0.3).max(100).default(5).describe('Blur of the inverted image in pixels; larger = broader strokes'),
    shade: z.number().min(0).max(1).default(0).describe('How much of the grey image to multiply in (0 = lines only)'),
  }),
  outputs: { image: port.image({ description: 'One-channel sketch' }) },
  async run({ inputs, params, ctx }) {
    const grey = toGrey(inputs.image);
    const blurred = await fromSharp(toSharp(invertGrey(grey)).blur(params.sigma));
    ctx.signal.throwIfAborted();
    return { image: colourDodgeSketch(grey, blurred, params.shade) };
  },
});
