import { z } from 'zod';
import { defineNode } from '../../define';
import { port } from '../../ports';
import { createImage, hasAlpha } from '../../_impl/pixel-image';

export const invertNode = defineNode({
  type: 'image.invert',
  version: 1,
  title: 'Invert',
  category: 'image/colour',
  description: 'Replaces every colour sample v by 255 − v. Alpha is kept as it is.',
  inputs: { image: port.image() },
  params: z.object({}),
  outputs: { image: port.image() },
  run({ inputs }) {
    const { width, height, channels, data } = inputs.image;
    const out = Buffer.allocUnsafe(data.length);
    const alphaAt = hasAlpha(inputs.image) ? channels - 1 : -1;
    for (let i = 0; i < data.length; i++) out[i] = i % channels === alphaAt ? data[i]! : 255 - data[i]!;
    return { image: createImage(width, height, channels, out) };
  },
});
