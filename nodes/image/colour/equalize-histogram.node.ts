import { z } from 'zod';
import { defineNode } from '../../define';
import { port } from '../../ports';
import { equalize } from '../../_impl/histogram';

export const equalizeHistogramNode = defineNode({
  type: 'image.equalize',
  version: 1,
  title: 'Equalize histogram',
  category: 'image/colour',
  description:
    'Histogram equalisation: maps values through their cumulative distribution so they spread over 0–255. ' +
    'Grey images are mapped directly; colour images on luma only (Cb/Cr kept, so hues are kept). Alpha is kept.',
  inputs: { image: port.image() },
  params: z.object({}),
  outputs: { image: port.image() },
  run({ inputs, ctx }) {
    ctx.signal.throwIfAborted();
    return { image: equalize(inputs.image) };
  },
});
