import { z } from 'zod';
import { defineNode } from '../../define';
import { port } from '../../ports';
import { alphaOverInPlace, rgbCopy } from '../../_impl/alpha-over';
import { fromSharp, toSharp } from '../../_impl/pixel-image';

export const compositeNode = defineNode({
  type: 'image.composite',
  version: 1,
  title: 'Composite',
  category: 'image/composite',
  description:
    'Places top onto base with its top-left corner at (x, y), alpha-over; parts outside base are clipped. ' +
    'Output is RGB, or RGBA when base has alpha.',
  inputs: {
    base: port.image(),
    top: port.image(),
    mask: port.mask({ optional: true, description: 'Visibility of top (255 = opaque); resized to top when sizes differ' }),
  },
  params: z.object({
    x: z.number().int().min(-100_000).max(100_000).default(0).describe('Left edge of top on base, in pixels'),
    y: z.number().int().min(-100_000).max(100_000).default(0).describe('Top edge of top on base, in pixels'),
    opacity: z.number().min(0).max(1).default(1).describe('Opacity of top, 0..1'),
  }),
  outputs: { image: port.image() },
  async run({ inputs, params, ctx }) {
    const { base, top } = inputs;
    let mask = inputs.mask;
    if (mask && (mask.width !== top.width || mask.height !== top.height)) {
      mask = await fromSharp(toSharp(mask).resize(top.width, top.height, { fit: 'fill' }));
    }
    const image = rgbCopy(base);
    alphaOverInPlace(image, top, { x: params.x, y: params.y, opacity: params.opacity, mask, signal: ctx.signal });
    return { image };
  },
});
