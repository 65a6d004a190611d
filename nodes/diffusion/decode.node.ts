import { z } from 'zod';
import { defineNode } from '../define';
import { port } from '../ports';
import { parseLatent, pixelsToImage } from '../_impl/diffusion/latent';

export const diffusionDecodeNode = defineNode({
  type: 'diffusion.decode',
  version: 1,
  title: 'Decode latent',
  category: 'diffusion',
  description: 'Turns a diffusion sample into an image. Pixel-space models: [-1, 1] → 0..255 (one channel grey, three RGB). VAE decoding for latent models is not implemented yet.',
  inputs: { latent: port.json() },
  params: z.object({}),
  outputs: { image: port.image() },
  run({ inputs }) {
    const latent = parseLatent(inputs.latent);
    const [, channels, height, width] = latent.shape;
    return { image: pixelsToImage(latent.data, channels, height, width) };
  },
});
