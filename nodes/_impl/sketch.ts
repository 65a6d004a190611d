import { createImage, type PixelImage } from './pixel-image';

/** 255 − v for every sample of a one-channel image. */
export function invertGrey(grey: PixelImage): PixelImage {
  if (grey.channels !== 1) throw new RangeError(`invertGrey needs one channel, got ${grey.channels}`);
  const src = grey.data;
  const out = Buffer.allocUnsafe(src.length);
  for (let i = 0; i < src.length; i++) out[i] = 255 - src[i]!;
  return createImage(grey.width, grey.height, 1, out);
}

/**
 * Pencil-sketch colour dodge: grey · 255 / (255 − blurredInverse), clamped to 255
 * (255 where the divisor is 0). With `shade` in 0..1 the result is multiplied by
 * the grey image to that degree: out = dodge · (1 − shade + shade · grey / 255),
 * which adds tone to the line drawing (shade 0 = lines only).
 */
export function colourDodgeSketch(grey: PixelImage, blurredInverse: PixelImage, shade = 0): PixelImage {
  const { width, height } = grey;
  if (grey.channels !== 1 || blurredInverse.channels !== 1 || blurredInverse.width !== width || blurredInverse.height !== height) {
    throw new RangeError('colourDodgeSketch needs two one-channel images of the same size');
  }
  if (!(shade >= 0 && shade <= 1)) throw new RangeError(`shade must be in 0..1, got ${shade}`);
  const g = grey.data;
  const b = blurredInverse.data;
  const out = Buffer.allocUnsafe(g.length);
  const keep = 1 - shade;
  const tone = shade / 255;
  for (let i = 0; i < g.length; i++) {
    const gv = g[i]!;
    const den = 255 - b[i]!;
    const dodge = den === 0 ? 255 : Math.min(255, (gv * 255) / den);
    out[i] = Math.round(dodge * (keep + tone * gv));
  }
  return createImage(width, height, 1, out);
}
