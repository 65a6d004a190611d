import { z } from 'zod';
import { defineNode } from '../../define';
import { port } from '../../ports';
import { clampByte, createImage, fromSharp, joinAlpha, splitAlpha, toSharp } from '../../_impl/pixel-image';

/** out = (clamp(v · brightness) − 128) · contrast + 128, clamped and rounded; one table for all channels. */
function toneTable(brightness: number, contrast: number): Uint8Array {
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = clampByte((Math.min(255, v * brightness) - 128) * contrast + 128);
  return lut;
}

export const adjustNode = defineNode({
  type: 'image.adjust',
  version: 1,
  title: 'Adjust colours',
  category: 'image/colour',
  description:
    'Brightness multiplies every colour sample, then contrast scales the distance from mid-grey 128; ' +
    'saturation (chroma multiplier) and hue (rotation) act in LCh through sharp modulate. ' +
    'Grey images stay grey (saturation and hue do not touch them); alpha is kept.',
  inputs: { image: port.image() },
  params: z.object({
    brightness: z.number().min(0).max(5).default(1).describe('Multiplier for every colour sample (1 = unchanged)'),
    contrast: z.number().min(0).max(5).default(1).describe('Multiplier for the distance from mid-grey 128 (1 = unchanged)'),
    saturation: z.number().min(0).max(5).default(1).describe('Chroma multiplier (0 = grey, 1 = unchanged)'),
    hue: z.number().int().min(-360).max(360).default(0).describe('Hue rotation in whole degrees'),
  }),
  outputs: { image: port.image() },
  async run({ inputs, params }) {
    const { brightness, contrast, saturation, hue } = params;
    const { colour, alpha } = splitAlpha(inputs.image);
    let result = colour;
    if (brightness !== 1 || contrast !== 1) {
      const lut = toneTable(brightness, contrast);
      const out = Buffer.allocUnsafe(colour.data.length);
      for (let i = 0; i < out.length; i++) out[i] = lut[colour.data[i]!]!;
      result = createImage(colour.width, colour.height, colour.channels, out);
    }
    if (colour.channels === 3 && (saturation !== 1 || hue % 360 !== 0)) {
      result = await fromSharp(toSharp(result).modulate({ saturation, hue }));
    }
    return { image: joinAlpha(result, alpha) };
  },
});
