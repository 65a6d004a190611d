import { z } from 'zod';
import { defineNode } from '../define';
import { port } from '../ports';
import { createImage, fromSharp, joinAlpha, splitAlpha, toGrey, toRgb, toSharp } from '../_impl/pixel-image';
import { adaptiveEdges, quantiseWithEdges } from '../_impl/style/cartoon';

export const cartoonNode = defineNode({
  type: 'style.cartoon',
  version: 1,
  title: 'Cartoon',
  category: 'style',
  description: 'Edge-preserving smoothing (repeated median) and colour quantisation, with dark outlines from an adaptive threshold.',
  inputs: { image: port.image() },
  params: z.object({
    smoothing: z.number().int().min(0).max(10).default(3).describe('Median-filter passes'),
    smoothingSize: z.number().int().min(3).max(15).default(5).describe('Median window, pixels (odd)'),
    levels: z.number().int().min(2).max(32).default(6).describe('Colour levels per channel'),
    edgeBlock: z.number().int().min(1).max(50).default(4).describe('Adaptive threshold neighbourhood radius'),
    edgeOffset: z.number().min(0).max(255).default(8).describe('How far below the local mean a pixel must be to be an edge'),
  }),
  outputs: { image: port.image() },
  async run({ inputs, params, ctx }) {
    const { colour, alpha } = splitAlpha(inputs.image);
    const rgb = toRgb(colour);
    const size = params.smoothingSize | 1;
    let smooth = rgb;
    for (let i = 0; i < params.smoothing; i++) {
      ctx.signal.throwIfAborted();
      smooth = await fromSharp(toSharp(smooth).median(size));
      ctx.progress((i + 1) / (params.smoothing + 1));
    }
    ctx.signal.throwIfAborted();
    // Edges from a lightly de-noised luma so texture does not turn into outlines.
    const grey = await fromSharp(toSharp(toGrey(rgb)).median(size));
    const edges = adaptiveEdges(grey.data, grey.width, grey.height, params.edgeBlock, params.edgeOffset);
    const out = quantiseWithEdges(createImage(smooth.width, smooth.height, 3, smooth.data), edges, params.levels);
    ctx.progress(1);
    return { image: joinAlpha(colour.channels === 1 ? toGrey(out) : out, alpha) };
  },
});
