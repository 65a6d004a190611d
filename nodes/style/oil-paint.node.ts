import { z } from 'zod';
import { defineNode } from '../define';
import { port } from '../ports';
import { joinAlpha, splitAlpha } from '../_impl/pixel-image';
import { kuwahara } from '../_impl/style/kuwahara';

export const oilPaintNode = defineNode({
  type: 'style.oil-paint',
  version: 1,
  title: 'Oil paint (Kuwahara)',
  category: 'style',
  description: 'Kuwahara filter: flattens texture into painterly patches while keeping edges sharp. O(1) per pixel at any radius.',
  inputs: { image: port.image() },
  params: z.object({
    radius: z.number().int().min(1).max(50).default(4).describe('Quadrant size in pixels'),
  }),
  outputs: { image: port.image() },
  run({ inputs, params, ctx }) {
    ctx.signal.throwIfAborted();
    const { colour, alpha } = splitAlpha(inputs.image);
    return { image: joinAlpha(kuwahara(colour, params.radius, ctx.signal), alpha) };
  },
});
