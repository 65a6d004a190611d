import { z } from 'zod';
import { defineNode } from '../../define';
import { NodeError } from '../../errors';
import { port } from '../../ports';
import { createImage } from '../../_impl/pixel-image';

export const cropNode = defineNode({
  type: 'image.crop',
  version: 1,
  title: 'Crop',
  category: 'image/transform',
  description: 'Cuts out a rectangle. Width and height may be left empty to reach the right and bottom edges.',
  inputs: { image: port.image() },
  params: z.object({
    x: z.number().int().min(0).default(0).describe('Left edge of the region, in pixels'),
    y: z.number().int().min(0).default(0).describe('Top edge of the region, in pixels'),
    width: z.number().int().min(1).optional().describe('Region width in pixels; empty reaches the right edge'),
    height: z.number().int().min(1).optional().describe('Region height in pixels; empty reaches the bottom edge'),
  }),
  outputs: { image: port.image() },
  run({ inputs, params }) {
    const { image } = inputs;
    const { x, y } = params;
    const width = params.width ?? image.width - x;
    const height = params.height ?? image.height - y;
    const offending =
      x >= image.width ? 'x' : y >= image.height ? 'y' : x + width > image.width ? 'width' : y + height > image.height ? 'height' : undefined;
    if (offending) {
      throw new NodeError(
        'crop_out_of_bounds',
        `crop of ${Math.max(width, 0)}x${Math.max(height, 0)} at (${x}, ${y}) does not fit inside the ${image.width}x${image.height} image`,
        { param: offending },
      );
    }
    const c = image.channels;
    const out = Buffer.allocUnsafe(width * height * c);
    for (let row = 0; row < height; row++) {
      const start = ((y + row) * image.width + x) * c;
      image.data.copy(out, row * width * c, start, start + width * c);
    }
    return { image: createImage(width, height, c, out) };
  },
});
