import { z } from 'zod';
import { defineNode } from '../../define';
import { port } from '../../ports';
import { fromSharp, toSharp } from '../../_impl/pixel-image';

export const gaussianBlurNode = defineNode({
  type: 'image.blur',
  version: 1,
  title: 'Gaussian blur',
  category: 'image/filter',
  description: 'Blurs with a Gaussian kernel of the given standard deviation (libvips).',
  inputs: { image: port.image() },
  params: z.object({
    sigma: z.number().min(0.3).max(100).default(2).describe('Standard deviation in pixels'),
  }),
  outputs: { image: port.image() },
  async run({ inputs, params }) {
    return { image: await fromSharp(toSharp(inputs.image).blur(params.sigma)) };
  },
});
