import { describe, expect, it } from 'vitest';
import { gaussianBlurNode } from './gaussian-blur.node';
import { runNode } from '../../../test/helpers/node-harness';
import { checkerboard, pixel, channelMean } from '../../../test/helpers/images';
import { isPixelImage } from '../../ports';

describe('image.blur', () => {
  it('smooths a checkerboard towards its mean while keeping size and mean', async () => {
    const input = checkerboard(64, 64, 8);
    const { image } = await runNode(gaussianBlurNode, { image: input }, { sigma: 4 });
    if (!isPixelImage(image)) throw new Error('no image');
    expect([image.width, image.height, image.channels]).toEqual([64, 64, 1]);
    expect(channelMean(image)).toBeCloseTo(channelMean(input), -1);
    // A cell centre was 0 or 255; after a sigma-4 blur it is pulled well inside.
    const centre = pixel(image, 12, 12)[0]!;
    expect(centre).toBeGreaterThan(40);
    expect(centre).toBeLessThan(215);
  });

  it('refuses a sigma outside its range', async () => {
    await expect(runNode(gaussianBlurNode, { image: checkerboard(8, 8, 2) }, { sigma: 0 })).rejects.toMatchObject({
      code: 'invalid_param',
    });
  });
});
