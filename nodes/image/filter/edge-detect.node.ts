import { z } from 'zod';
import { defineNode } from '../../define';
import { port } from '../../ports';
import { canny, laplacian, sobel } from '../../_impl/edges';
import { paramUi, when } from '../../param-ui';

/** low, high and sigma are Canny's. */
const cannyOnly = when.param('method', 'canny');

export const edgeDetectNode = defineNode({
  type: 'image.edges',
  version: 1,
  title: 'Edge detect',
  category: 'image/filter',
  description:
    'Edges of the luma: Sobel gradient magnitude, absolute Laplacian, or Canny (0/255 thin edges). ' +
    'Gradients are scaled so a sharp 0→255 step reads 255. One channel out; alpha dropped.',
  inputs: { image: port.image() },
  params: z
    .object({
      method: z.enum(['sobel', 'laplacian', 'canny']).default('sobel').describe('Edge operator'),
      low: paramUi(z.number().min(0).max(1000).default(20).describe('Canny: weak-edge gradient threshold'), { title: 'Low threshold', visibleWhen: cannyOnly }),
      high: paramUi(z.number().min(0).max(1000).default(50).describe('Canny: strong-edge gradient threshold'), { title: 'High threshold', visibleWhen: cannyOnly }),
      sigma: paramUi(z.number().min(0).max(20).default(1.4).describe('Canny: Gaussian pre-blur in pixels (0 = none)'), { visibleWhen: cannyOnly }),
    })
    .refine((p) => p.low <= p.high, { path: ['low'], message: 'low must not exceed high' }),
  outputs: { image: port.image({ description: 'One-channel edge map' }) },
  run({ inputs, params, ctx }) {
    const { method, low, high, sigma } = params;
    ctx.signal.throwIfAborted();
    if (method === 'sobel') return { image: sobel(inputs.image) };
    if (method === 'laplacian') return { image: laplacian(inputs.image) };
    const progress = (fraction: number) => ctx.progress(fraction);
    return { image: canny(inputs.image, { low, high, sigma, signal: ctx.signal, progress }) };
  },
});
