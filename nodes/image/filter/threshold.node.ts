import { z } from 'zod';
import { defineNode } from '../../define';
import { port } from '../../ports';
import { lumaHistogram, otsuThreshold, thresholdMask } from '../../_impl/otsu';
import { paramUi, when } from '../../param-ui';

export const thresholdNode = defineNode({
  type: 'image.threshold',
  version: 1,
  title: 'Threshold',
  category: 'image/filter',
  description:
    'Turns an image into a 0/255 mask by its luma: white where luma > level. ' +
    "The level is fixed or found by Otsu's method; alpha is ignored.",
  inputs: { image: port.image() },
  params: z.object({
    method: z.enum(['fixed', 'otsu']).default('fixed').describe('Fixed level, or Otsu (computed from the histogram)'),
    level: paramUi(z.number().int().min(0).max(255).default(128).describe('Luma above this is white (method fixed only)'), { visibleWhen: when.param('method', 'fixed') }),
    invert: z.boolean().default(false).describe('White where luma <= level instead'),
  }),
  outputs: {
    mask: port.mask({ description: 'One channel, 0 or 255' }),
    level: port.number({ description: 'The level used (the computed one for Otsu)' }),
  },
  run({ inputs, params, ctx }) {
    const level = params.method === 'otsu' ? otsuThreshold(lumaHistogram(inputs.image)) : params.level;
    ctx.signal.throwIfAborted();
    return { mask: thresholdMask(inputs.image, level, params.invert), level };
  },
});
