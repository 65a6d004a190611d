import { z } from 'zod';
import { defineNode } from '../../define';
import { NodeError } from '../../errors';
import { port } from '../../ports';
import { blendImages, blendModes } from '../../_impl/blend-modes';
import { fromSharp, toSharp, type PixelImage } from '../../_impl/pixel-image';

/** Resizes an image to exactly width × height (no aspect kept); returns it as is when it already fits. */
async function fitTo(image: PixelImage, width: number, height: number): Promise<PixelImage> {
  if (image.width === width && image.height === height) return image;
  return fromSharp(toSharp(image).resize(width, height, { fit: 'fill' }));
}

export const blendNode = defineNode({
  type: 'image.blend',
  version: 1,
  title: 'Blend',
  category: 'image/composite',
  description:
    'Blends top onto base with a W3C blend mode. Opacity, an optional mask and top\'s alpha ' +
    'scale the effect per pixel; the output is RGB (RGBA when base has alpha, which is kept).',
  inputs: {
    base: port.image(),
    top: port.image(),
    mask: port.mask({ optional: true, description: 'Where to blend (255 = full); resized to base when sizes differ' }),
  },
  params: z.object({
    mode: z.enum(blendModes).default('normal').describe('Blend mode'),
    opacity: z.number().min(0).max(1).default(1).describe('Strength of the blend, 0..1'),
    resizeTop: z
      .enum(['stretch', 'none'])
      .default('stretch')
      .describe('When sizes differ: stretch top to base, or fail (none)'),
  }),
  outputs: { image: port.image() },
  async run({ inputs, params, ctx }) {
    const { base, mask } = inputs;
    const { width, height } = base;
    let top = inputs.top;
    if (top.width !== width || top.height !== height) {
      if (params.resizeTop === 'none') {
        throw new NodeError(
          'size_mismatch',
          `top is ${top.width}x${top.height} but base is ${width}x${height}; set resizeTop to 'stretch' to resize it`,
          { port: 'top' },
        );
      }
      top = await fitTo(top, width, height);
    }
    const fittedMask = mask ? await fitTo(mask, width, height) : undefined;
    const { mode, opacity } = params;
    return { image: blendImages(base, top, { mode, opacity, mask: fittedMask, signal: ctx.signal }) };
  },
});
