import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadImageNode } from './load-image.node';
import { saveImageNode } from './save-image.node';
import { readEmbeddedGraph } from '../../_impl/embedded-graph';
import { isPixelImage } from '../../ports';
import { createHarness, runNode } from '../../../test/helpers/node-harness';
import { gradient, pixel } from '../../../test/helpers/images';
import { encodeImage } from '../../_impl/encode-image';

let root: string;
let png: Buffer;

beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), 'pw-load-'));
  root = join(base, 'root');
  mkdirSync(join(root, 'sub'), { recursive: true });
  png = await encodeImage(gradient(32, 16), { format: 'png' });
  writeFileSync(join(root, 'sub', 'gradient.png'), png);
  writeFileSync(join(base, 'secret.png'), png);
  symlinkSync(join(base, 'secret.png'), join(root, 'escape.png'));
  writeFileSync(join(root, 'empty.png'), Buffer.alloc(0));
  writeFileSync(join(root, 'notes.txt'), 'not an image at all');
  writeFileSync(join(root, 'truncated.png'), png.subarray(0, Math.floor(png.length / 2)));
  // 12000 x 12000 grey PNG that compresses to a few hundred kB: a decompression bomb for a 1 MP limit.
  const bomb = await sharp({ create: { width: 12000, height: 12000, channels: 3, background: '#000' }, limitInputPixels: false }).greyscale().png({ compressionLevel: 9 }).toBuffer();
  writeFileSync(join(root, 'bomb.png'), bomb);
});

const loadFile = (path: string, limits = {}) =>
  runNode(loadImageNode, {}, { source: 'file', path }, createHarness({ fileRoot: root, limits }));

describe('image.load', () => {
  it('loads a file under the root with exact pixels', async () => {
    const out = await loadFile('sub/gradient.png');
    expect(out.width).toBe(32);
    expect(out.height).toBe(16);
    if (!isPixelImage(out.image)) throw new Error('no image');
    expect(pixel(out.image, 31, 15)).toEqual([255, 255, 64]);
    expect(pixel(out.image, 0, 0)).toEqual([0, 0, 64]);
  });

  it('loads an uploaded artifact', async () => {
    const harness = createHarness();
    const meta = await harness.artifacts.put(png, { mediaType: 'image/png' });
    const out = await runNode(loadImageNode, {}, { source: 'artifact', artifact: meta.id }, harness);
    expect(out.width).toBe(32);
  });

  it.each([
    ['../secret.png', 'path_outside_root'],
    ['/etc/passwd', 'path_outside_root'],
    ['escape.png', 'path_outside_root'],
    ['missing.png', 'file_not_found'],
    ['sub', 'file_not_found'],
    ['empty.png', 'image_empty'],
    ['notes.txt', 'image_decode_failed'],
    ['truncated.png', 'image_decode_failed'],
  ])('refuses %s with %s', async (path, code) => {
    await expect(loadFile(path)).rejects.toMatchObject({ name: 'NodeError', code });
  });

  it('refuses a decompression bomb from its header, before decoding', async () => {
    await expect(loadFile('bomb.png', { maxPixels: 1_000_000 })).rejects.toMatchObject({
      code: 'image_too_large',
      message: expect.stringContaining('12000x12000'),
    });
  });

  it('refuses an oversized file by bytes', async () => {
    await expect(loadFile('sub/gradient.png', { maxInputBytes: 10 })).rejects.toMatchObject({ code: 'image_too_large' });
  });

  it('refuses unknown artifacts and disabled file access', async () => {
    await expect(runNode(loadImageNode, {}, { source: 'artifact', artifact: 'f'.repeat(64) })).rejects.toMatchObject({
      code: 'artifact_not_found',
    });
    await expect(runNode(loadImageNode, {}, { source: 'artifact', artifact: '../../etc' })).rejects.toMatchObject({
      code: 'artifact_not_found',
    });
    await expect(runNode(loadImageNode, {}, { source: 'file', path: 'x.png' })).rejects.toMatchObject({ code: 'files_disabled' });
  });

  it('asks for an image when none is chosen (a typed error on the param, not an access error)', async () => {
    await expect(runNode(loadImageNode, {}, {})).rejects.toMatchObject({ code: 'image_not_chosen', message: 'choose an image', details: { param: 'artifact' } });
    await expect(runNode(loadImageNode, {}, { source: 'artifact', artifact: '' })).rejects.toMatchObject({ code: 'image_not_chosen' });
  });
});

describe('image.save', () => {
  it('writes a PNG that carries the graph document and decodes to the same pixels', async () => {
    const harness = createHarness();
    const image = gradient(20, 10);
    const out = await runNode(saveImageNode, { image }, { format: 'png', filename: 'result' }, harness);
    expect(out.artifact).toMatchObject({ mediaType: 'image/png', width: 20, height: 10, filename: 'result.png' });
    const id = (out.artifact as { id: string }).id;
    const stored = await harness.artifacts.get(id);
    if (!stored) throw new Error('artifact missing');
    expect(readEmbeddedGraph(stored.bytes)).toEqual(harness.ctx.document);
    const { data } = await sharp(stored.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(data.equals(image.data)).toBe(true);
  });

  it.each([
    ['jpeg', 'image/jpeg', 'jpeg'],
    ['webp', 'image/webp', 'webp'],
  ])('writes %s', async (format, mediaType, sharpFormat) => {
    const harness = createHarness();
    const out = await runNode(saveImageNode, { image: gradient(16, 16) }, { format, quality: 80 }, harness);
    expect(out.artifact).toMatchObject({ mediaType });
    const stored = await harness.artifacts.get((out.artifact as { id: string }).id);
    expect((await sharp(stored!.bytes).metadata()).format).toBe(sharpFormat);
  });

  it('refuses a filename that could escape the output folder', async () => {
    await expect(runNode(saveImageNode, { image: gradient(4, 4) }, { filename: '../evil' })).rejects.toMatchObject({
      code: 'invalid_param',
    });
  });
});
