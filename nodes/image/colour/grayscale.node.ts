import { z } from 'zod';
import { defineNode } from '../../define';
import { port } from '../../ports';
import { toGrey } from '../../_impl/pixel-image';

export const grayscaleNode = defineNode({
  type: 'image.grayscale',
  version: 1,
  title: 'Grayscale',
  category: 'image/colour',
  description: 'Converts to a one-channel image of Rec. 601 luma (0.299 R + 0.587 G + 0.114 B). Alpha is dropped.',
  inputs: { image: port.image() },
  params: z.object({}),
  outputs: { image: port.image() },
  run({ inputs }) {
    return { image: toGrey(inputs.image) };
  },
});
