import { z } from 'zod';
import { defineNode } from '../../define';
import { port } from '../../ports';
import { morphology } from '../../_impl/morphology';

export const morphologyNode = defineNode({
  type: 'image.morphology',
  version: 1,
  title: 'Morphology',
  category: 'image/filter',
  description:
    'Grey-level dilate, erode, open or close with a square or disc element. ' +
    'Colour input is reduced to luma (alpha dropped); the result is one channel, usable as a mask.',
  inputs: { image: port.image({ description: 'Mask, grey or colour image' }) },
  params: z.object({
    operation: z.enum(['dilate', 'erode', 'open', 'close']).default('dilate').describe('Open = erode then dilate; close = dilate then erode'),
    radius: z.number().int().min(1).max(32).default(1).describe('Element radius in pixels (square side 2r+1)'),
    shape: z.enum(['square', 'disc']).default('square').describe('Structuring element'),
    iterations: z.number().int().min(1).max(16).default(1).describe('Times each pass repeats (open: erode n times, then dilate n times)'),
  }),
  outputs: { image: port.mask({ description: 'One-channel result' }) },
  run({ inputs, params, ctx }) {
    const { operation, radius, shape, iterations } = params;
    const image = morphology(inputs.image, operation, {
      radius,
      shape,
      iterations,
      signal: ctx.signal,
      progress: (fraction) => ctx.progress(fraction),
    });
    return { image };
  },
});
