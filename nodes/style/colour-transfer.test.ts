import sharp from 'sharp';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runNode } from '../../test/helpers/node-harness';
import { gradient } from '../../test/helpers/images';
import { createImage, type PixelImage } from '../_impl/pixel-image';
import { meanStd, rgbToLab } from '../_impl/style/lab';
import { colourTransferNode } from './colour-transfer.node';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

async function load(file: string, width: number, height: number): Promise<PixelImage> {
  const { data, info } = await sharp(join(repoRoot, file)).resize(width, height, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return createImage(info.width, info.height, 3, data);
}

function labStats(image: PixelImage) {
  return rgbToLab(image.data, image.width * image.height).map(meanStd);
}

/** A muted, warm-tinted version of a gradient: a plausible in-gamut reference. */
function warmReference(): PixelImage {
  const g = gradient(80, 60);
  const out = Buffer.alloc(g.data.length);
  for (let i = 0; i < g.data.length; i += 3) {
    out[i] = 120 + g.data[i]! * 0.3;
    out[i + 1] = 90 + g.data[i + 1]! * 0.2;
    out[i + 2] = 60 + g.data[i + 2]! * 0.2;
  }
  return createImage(80, 60, 3, out);
}

describe('style.colour-transfer', () => {
  it("moves the image's L*a*b* means (and spreads) to the reference's", async () => {
    const image = await load('examples/images/landscape.jpg', 128, 96);
    const reference = warmReference();
    const { image: out } = (await runNode(colourTransferNode, { image, reference })) as { image: PixelImage };
    const got = labStats(out);
    const want = labStats(reference);
    const had = labStats(image);
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(got[c]!.mean - want[c]!.mean)).toBeLessThan(1);
      expect(Math.abs(got[c]!.std - want[c]!.std)).toBeLessThan(1.5);
    }
    // And it really moved: the input's a*/b* means were far from the reference's.
    expect(Math.abs(had[2]!.mean - want[2]!.mean)).toBeGreaterThan(10);
  });

  it('leaves the image as it is at strength 0 and keeps alpha', async () => {
    const image = await load('examples/images/landscape.jpg', 64, 48);
    const { image: same } = (await runNode(colourTransferNode, { image, reference: warmReference() }, { strength: 0 })) as { image: PixelImage };
    let max = 0;
    for (let i = 0; i < same.data.length; i++) max = Math.max(max, Math.abs(same.data[i]! - image.data[i]!));
    expect(max).toBeLessThanOrEqual(1);
    const rgba = createImage(1, 1, 4, Buffer.from([200, 100, 50, 77]));
    const { image: withAlpha } = (await runNode(colourTransferNode, { image: rgba, reference: warmReference() })) as { image: PixelImage };
    expect(withAlpha.channels).toBe(4);
    expect(withAlpha.data[3]).toBe(77);
  });
});
