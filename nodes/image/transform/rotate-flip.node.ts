import { z } from 'zod';
import { defineNode } from '../../define';
import { NodeError } from '../../errors';
import { port } from '../../ports';
import { parseHexColour, zHexColour } from '../../_impl/colour';
import { orient, rotateArbitrary, rotatedSize } from '../../_impl/rotate';

export const rotateNode = defineNode({
  type: 'image.rotate',
  version: 1,
  title: 'Rotate / flip',
  category: 'image/transform',
  description:
    'Mirrors (flip: top↔bottom, flop: left↔right), then rotates clockwise. Multiples of 90° are exact; ' +
    'other angles are resampled onto a canvas the size of the rotated image, filled with the background colour.',
  inputs: { image: port.image() },
  params: z.object({
    angle: z.number().min(-360).max(360).default(0).describe('Clockwise rotation in degrees (negative turns anticlockwise)'),
    background: zHexColour('#000000').describe('Fill for the corners uncovered by angles that are not multiples of 90°'),
    flip: z.boolean().default(false).describe('Mirror vertically (top↔bottom), before rotating'),
    flop: z.boolean().default(false).describe('Mirror horizontally (left↔right), before rotating'),
  }),
  outputs: { image: port.image() },
  run({ inputs, params, ctx }) {
    const { angle, flip, flop } = params;
    if (angle % 90 === 0) return { image: orient(inputs.image, { flip, flop, quarterTurns: angle / 90 }) };
    const size = rotatedSize(inputs.image.width, inputs.image.height, angle);
    if (size.width * size.height > ctx.limits.maxPixels) {
      throw new NodeError(
        'image_too_large',
        `rotated image would be ${size.width}x${size.height}, over the limit of ${ctx.limits.maxPixels} pixels`,
        { param: 'angle' },
      );
    }
    const mirrored = orient(inputs.image, { flip, flop });
    return { image: rotateArbitrary(mirrored, angle, parseHexColour(params.background), ctx.signal) };
  },
});
