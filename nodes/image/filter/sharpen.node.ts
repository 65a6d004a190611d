import { z } from 'zod';
import { defineNode } from '../../define';
import { port } from '../../ports';
import { fromSharp, joinAlpha, splitAlpha, toSharp } from '../../_impl/pixel-image';
import { paramUi } from '../../param-ui';

export const sharpenNode = defineNode({
  type: 'image.sharpen',
  version: 1,
  title: 'Sharpen',
  category: 'image/filter',
  description:
    'Unsharp-mask sharpening of lightness (libvips), with separate strengths for flat and jagged areas. ' +
    'Alpha passes through untouched.',
  inputs: { image: port.image() },
  params: z.object({
    sigma: z.number().min(0.3).max(100).default(1).describe('Gaussian mask sigma in pixels (about 1 + radius / 2)'),
    m1: paramUi(z.number().min(0).max(1000).default(1).describe('Sharpening applied to flat areas'), { title: 'Flat areas' }),
    m2: paramUi(z.number().min(0).max(1000).default(2).describe('Sharpening applied to jagged areas'), { title: 'Jagged areas' }),
  }),
  outputs: { image: port.image() },
  async run({ inputs, params, ctx }) {
    const { colour, alpha } = splitAlpha(inputs.image);
    const sharpened = await fromSharp(toSharp(colour).sharpen({ sigma: params.sigma, m1: params.m1, m2: params.m2 }));
    ctx.signal.throwIfAborted();
    return { image: joinAlpha(sharpened, alpha) };
  },
});
