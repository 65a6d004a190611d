import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { createImage } from '../../nodes/_impl/pixel-image';
import { previewSize, storePreview } from '../../server/runs/preview';
import { checkerboard, gradient } from '../helpers/images';
import { tempData } from './run-fixtures';

const data = await tempData();
afterAll(() => data.remove());

describe('previewSize', () => {
  it('scales the longest side down to the limit and never up', () => {
    expect(previewSize(1200, 800, 512)).toEqual({ width: 512, height: 341 });
    expect(previewSize(800, 1200, 512)).toEqual({ width: 341, height: 512 });
    expect(previewSize(300, 200, 512)).toEqual({ width: 300, height: 200 });
    expect(previewSize(4000, 3, 512)).toEqual({ width: 512, height: 1 });
  });
});

describe('storePreview', () => {
  it('stores a downscaled WebP that decodes at the reported size', async () => {
    const ref = await storePreview(gradient(1200, 800), data.artifacts);
    expect(ref).toMatchObject({ width: 512, height: 341, mediaType: 'image/webp' });
    const stored = await data.artifacts.get(ref.artifactId);
    const meta = await sharp(stored!.bytes).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 512, height: 341 });
    expect(stored!.meta).toMatchObject({ mediaType: 'image/webp', width: 512, height: 341 });
  });

  it('keeps small images at their size, grey ones included', async () => {
    const ref = await storePreview(checkerboard(64, 48, 8), data.artifacts, { maxSide: 512 });
    expect(ref).toMatchObject({ width: 64, height: 48 });
    const meta = await sharp((await data.artifacts.get(ref.artifactId))!.bytes).metadata();
    expect(meta).toMatchObject({ width: 64, height: 48 });
  });

  it('writes JPEG, putting transparent pixels on white', async () => {
    const rgba = createImage(600, 300, 4); // fully transparent black
    const ref = await storePreview(rgba, data.artifacts, { format: 'jpeg', maxSide: 200 });
    expect(ref).toMatchObject({ width: 200, height: 100, mediaType: 'image/jpeg' });
    const { data: pixels, info } = await sharp((await data.artifacts.get(ref.artifactId))!.bytes)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ format: 'raw', channels: 3, width: 200, height: 100 });
    expect(pixels[0]).toBeGreaterThan(250);
  });
});
