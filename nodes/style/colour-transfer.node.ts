import { z } from 'zod';
import { defineNode } from '../define';
import { port } from '../ports';
import { joinAlpha, splitAlpha, toRgb } from '../_impl/pixel-image';
import { colourTransfer } from '../_impl/style/colour-transfer';

export const colourTransferNode = defineNode({
  type: 'style.colour-transfer',
  version: 1,
  title: 'Colour transfer',
  category: 'style',
  description: "Reinhard et al.: matches the image's per-channel L*a*b* mean and spread to the reference's.",
  inputs: {
    image: port.image(),
    reference: port.image({ description: 'Image whose colours to take' }),
  },
  params: z.object({
    strength: z.number().min(0).max(1).default(1).describe('0 keeps the image, 1 takes the reference statistics fully'),
  }),
  outputs: { image: port.image() },
  run({ inputs, params, ctx }) {
    ctx.signal.throwIfAborted();
    const { colour, alpha } = splitAlpha(inputs.image);
    const reference = toRgb(inputs.reference);
    return { image: joinAlpha(colourTransfer(toRgb(colour), reference, params.strength, ctx.signal), alpha) };
  },
});
