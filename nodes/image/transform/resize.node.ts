import { z } from 'zod';
import { defineNode } from '../../define';
import { NodeError } from '../../errors';
import { port } from '../../ports';
import { parseHexColour, zHexColour } from '../../_impl/colour';
import { fromSharp, hasAlpha, joinAlpha, toSharp, type PixelImage } from '../../_impl/pixel-image';
import { paramUi, when } from '../../param-ui';

const fits = ['cover', 'contain', 'fill', 'inside', 'outside'] as const;
type Fit = (typeof fits)[number];

const side = (name: string) =>
  z.number().int().min(1).max(65535).optional().describe(`Target ${name} in pixels; empty follows the aspect ratio`);

/** The output size sharp will produce (to check limits before allocating). */
function targetSize(image: PixelImage, width: number | undefined, height: number | undefined, fit: Fit): [number, number] {
  const scaled = (s: number): [number, number] => [
    Math.max(1, Math.round(image.width * s)),
    Math.max(1, Math.round(image.height * s)),
  ];
  if (width === undefined) return scaled((height ?? image.height) / image.height);
  if (height === undefined) return scaled(width / image.width);
  if (fit === 'inside') return scaled(Math.min(width / image.width, height / image.height));
  if (fit === 'outside') return scaled(Math.max(width / image.width, height / image.height));
  return [width, height];
}

export const resizeNode = defineNode({
  type: 'image.resize',
  version: 1,
  title: 'Resize',
  category: 'image/transform',
  description:
    'Scales to a width, a height or both (libvips). With one side given the other keeps the aspect ratio; ' +
    'with both, fit decides: cover crops the overflow (centred), contain letterboxes with the background colour, ' +
    'fill stretches, inside/outside keep the aspect ratio within/around the box.',
  inputs: { image: port.image() },
  params: z.object({
    width: side('width'),
    height: side('height'),
    fit: z.enum(fits).default('cover').describe('How to fit the image when both width and height are given'),
    kernel: z.enum(['nearest', 'linear', 'cubic', 'lanczos3']).default('lanczos3').describe('Resampling kernel'),
    background: paramUi(zHexColour('#000000').describe('Letterbox colour for fit "contain" (alpha below ff adds transparency)'), { visibleWhen: when.param('fit', 'contain') }),
  }),
  outputs: { image: port.image() },
  async run({ inputs, params, ctx }) {
    const { width, height, fit, kernel } = params;
    if (width === undefined && height === undefined) {
      throw new NodeError('missing_size', 'resize needs a width, a height or both', { param: 'width' });
    }
    const [w, h] = targetSize(inputs.image, width, height, fit);
    if (w * h > ctx.limits.maxPixels) {
      throw new NodeError('image_too_large', `resizing to ${w}x${h} exceeds the limit of ${ctx.limits.maxPixels} pixels`, {
        param: width === undefined ? 'height' : 'width',
      });
    }
    const { r, g, b, a } = parseHexColour(params.background);
    const luma = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    // Grey stays grey: the letterbox colour is reduced to its Rec. 601 luma.
    const grey = inputs.image.channels === 1;
    const background = grey ? { r: luma, g: luma, b: luma, alpha: a / 255 } : { r, g, b, alpha: a / 255 };
    let image = inputs.image;
    if (fit === 'contain' && width !== undefined && height !== undefined && a < 255 && !hasAlpha(image)) {
      // A see-through letterbox needs an alpha channel (grey widens to RGBA through sharp).
      image = joinAlpha(image, Buffer.alloc(image.width * image.height, 255));
    }
    const pipeline = toSharp(image).resize(width ?? null, height ?? null, { fit, kernel, background });
    return { image: await fromSharp(pipeline) };
  },
});
