import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, runNode } from '../../test/helpers/node-harness';
import { graph } from '../../test/helpers/graph-builder';
import { startRun } from '../../engine/executor';
import { MemoryResultCache } from '../../engine/result-cache';
import { NodeRegistry } from '../node-registry';
import { gradient } from '../../test/helpers/images';
import { createImage, type PixelImage } from '../_impl/pixel-image';
import { styliseTiled } from '../_impl/style/fast-style';
import { fastStyleNode } from './fast-style.node';
import type * as ort from 'onnxruntime-node';
import type { ModelSession } from '../_impl/models/threaded-session';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const repoStyle = resolve(repoRoot, 'models/style');
const fixtures = join(repoRoot, 'test/fixtures/style');
const models = ['candy', 'mosaic', 'pointilism', 'rain-princess', 'udnie'] as const;
/** PIXELWIRE_UPDATE_FIXTURES=1 rewrites the stored expected outputs from the node itself. */
const update = process.env.PIXELWIRE_UPDATE_FIXTURES === '1';

let tmp: string;
let previousDir: string | undefined;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'pw-style-'));
  mkdirSync(join(tmp, 'models'));
  symlinkSync(repoStyle, join(tmp, 'models', 'style'));
  previousDir = process.env.PIXELWIRE_MODELS_DIR;
  process.env.PIXELWIRE_MODELS_DIR = join(tmp, 'models');
});
afterAll(() => {
  if (previousDir === undefined) delete process.env.PIXELWIRE_MODELS_DIR;
  else process.env.PIXELWIRE_MODELS_DIR = previousDir;
  rmSync(tmp, { recursive: true, force: true });
});

async function readPng(path: string): Promise<PixelImage> {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return createImage(info.width, info.height, 3, data);
}
async function writePng(path: string, image: PixelImage): Promise<void> {
  await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } }).png().toFile(path);
}
/** The stored 128×96 test input (landscape.jpg, resized once; stored so decoder differences cannot creep in). */
async function input(): Promise<PixelImage> {
  const path = join(fixtures, 'input.png');
  if (update && !existsSync(path)) {
    await sharp(join(repoRoot, 'examples/images/landscape.jpg')).resize(128, 96, { fit: 'fill' }).removeAlpha().png().toFile(path);
  }
  return readPng(path);
}
function mad(a: PixelImage, b: PixelImage): number {
  expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, b.channels]);
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += Math.abs(a.data[i]! - b.data[i]!);
  return s / a.data.length;
}
async function stylise(image: PixelImage, params: Record<string, unknown>, harness = createHarness()): Promise<PixelImage> {
  return (await runNode(fastStyleNode, { image }, params, harness)).image as PixelImage;
}

describe('style.fast', () => {
  it.each(models)('%s matches its stored output and clearly restyles the input', async (model) => {
    const image = await input();
    const harness = createHarness();
    const out = await stylise(image, { model }, harness);
    const expectedPath = join(fixtures, `${model}.png`);
    if (update) await writePng(expectedPath, out);
    expect(mad(out, await readPng(expectedPath))).toBeLessThan(2);
    expect(mad(out, image)).toBeGreaterThan(20);
    expect(harness.progress[0]).toEqual({ fraction: 0, message: 'onnxruntime: cpu' });
    expect(harness.progress.at(-1)?.fraction).toBe(1);
  });

  it('gives clearly different outputs for different models', async () => {
    const image = await input();
    const candy = await stylise(image, { model: 'candy' });
    const udnie = await stylise(image, { model: 'udnie' });
    expect(mad(candy, udnie)).toBeGreaterThan(20);
  });

  it('returns the input at strength 0 and a blend in between', async () => {
    const image = await input();
    expect((await stylise(image, { strength: 0 })).data.equals(image.data)).toBe(true);
    const full = await stylise(image, { strength: 1 });
    const half = await stylise(image, { strength: 0.5 });
    expect(Math.abs(mad(half, image) - mad(full, image) / 2)).toBeLessThan(1.5);
  });

  it("keepColours keeps the input's chroma and takes the stylised luma", async () => {
    const image = await input();
    const plain = await stylise(image, { model: 'candy' });
    const kept = await stylise(image, { model: 'candy', keepColours: true });
    const ycc = (img: PixelImage, i: number) => {
      const [r, g, b] = [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
      return [0.299 * r + 0.587 * g + 0.114 * b, -0.168736 * r - 0.331264 * g + 0.5 * b, 0.5 * r - 0.418688 * g - 0.081312 * b];
    };
    let chromaKept = 0;
    let chromaPlain = 0;
    let lumaKept = 0;
    const n = image.width * image.height;
    for (let i = 0; i < n * 3; i += 3) {
      const a = ycc(image, i), k = ycc(kept, i), p = ycc(plain, i);
      chromaKept += Math.abs(k[1]! - a[1]!) + Math.abs(k[2]! - a[2]!);
      chromaPlain += Math.abs(p[1]! - a[1]!) + Math.abs(p[2]! - a[2]!);
      lumaKept += Math.abs(k[0]! - p[0]!);
    }
    // Chroma stays with the input (clipping at the gamut edge allows a little drift); luma follows the stylised image.
    expect(chromaKept / n / 2).toBeLessThan(4);
    expect(chromaPlain / n / 2).toBeGreaterThan(15);
    expect(lumaKept / n).toBeLessThan(4);
  });

  it('tiles a 200×150 image at tileSize 64 close to the untiled result', async () => {
    const { data, info } = await sharp(join(fixtures, 'input.png')).resize(200, 150, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
    const image = createImage(info.width, info.height, 3, data);
    const harness = createHarness();
    const untiled = await stylise(image, { model: 'mosaic' });
    const tiled = await stylise(image, { model: 'mosaic', tileSize: 64, overlap: 32 }, harness);
    const tiles = harness.progress.filter((p) => p.message?.startsWith('tile '));
    // 64-px tiles overlapping by 32: 6 columns × 4 rows.
    expect(tiles.length).toBe(24);
    expect(tiles.at(-1)).toEqual({ fraction: 1, message: 'tile 24/24' });
    // Instance normalisation sees each tile's own statistics, so texture differs pixel for pixel;
    // colour and layout agree. Compare 25×25 block means.
    expect(blockMad(tiled, untiled, 25)).toBeLessThan(TILE_TOLERANCE);
    expect(blockMad(tiled, image, 25)).toBeGreaterThan(blockMad(tiled, untiled, 25));
  });

  it('blends tiles seamlessly: an identity network reproduces the image exactly', async () => {
    const image = gradient(200, 150);
    const identity = {
      inputNames: ['input1'],
      outputNames: ['output1'],
      run: async (feeds: Record<string, ort.Tensor>) => ({ output1: feeds.input1 }),
    } as unknown as ModelSession;
    let last = 0;
    const out = await styliseTiled(identity, image, { tileSize: 64, overlap: 32, onTile: (done) => (last = done) });
    expect(last).toBe(24);
    expect(out.data.equals(image.data)).toBe(true);
    // Odd sizes pad to multiples of 4 with reflection and crop back.
    const odd = gradient(67, 45);
    expect((await styliseTiled(identity, odd, { tileSize: 512, overlap: 32 })).data.equals(odd.data)).toBe(true);
  });

  it('stops between tiles when the signal is aborted', async () => {
    const image = gradient(200, 150);
    const controller = new AbortController();
    const harness = createHarness({ signal: controller.signal });
    const seen: string[] = [];
    const ctx = {
      ...harness.ctx,
      progress: (fraction: number, message?: string) => {
        seen.push(message ?? '');
        if (message === 'tile 2/24') controller.abort();
      },
    };
    await expect(stylise(image, { tileSize: 64 }, { ...harness, ctx })).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen.filter((m) => m.startsWith('tile '))).toEqual(['tile 1/24', 'tile 2/24']);
  });

  it('names the path and where to get a missing model', async () => {
    await expect(stylise(gradient(16, 16), { model: 'no-such-style' })).rejects.toMatchObject({
      code: 'model_missing',
      message: expect.stringContaining(join(tmp, 'models', 'style', 'no-such-style.onnx')),
    });
    await expect(stylise(gradient(16, 16), { model: 'no-such-style' })).rejects.toThrow(
      'the ONNX Model Zoo (validated/vision/style_transfer/fast_neural_style)',
    );
  });

  it('reports a corrupt model file as model_invalid', async () => {
    const dir = join(tmp, 'corrupt');
    mkdirSync(join(dir, 'style'), { recursive: true });
    writeFileSync(join(dir, 'style', 'bad.onnx'), Buffer.from('this is not an onnx model \x00\x01\x02\xff'.repeat(20)));
    process.env.PIXELWIRE_MODELS_DIR = dir;
    try {
      await expect(stylise(gradient(16, 16), { model: 'bad' })).rejects.toMatchObject({ code: 'model_invalid' });
    } finally {
      process.env.PIXELWIRE_MODELS_DIR = join(tmp, 'models');
    }
  });

  it('fingerprints its model: the same name holding another file is a cache miss with another output', async () => {
    const dir = join(tmp, 'replaced');
    mkdirSync(join(dir, 'style'), { recursive: true });
    const candy = join(dir, 'style', 'candy.onnx');
    copyFileSync(join(repoStyle, 'candy.onnx'), candy);
    copyFileSync(join(repoStyle, 'mosaic.onnx'), join(dir, 'style', 'mosaic.onnx'));
    process.env.PIXELWIRE_MODELS_DIR = dir;
    try {
      const registry = new NodeRegistry([fastStyleNode]);
      const document = graph([{ id: 'style', type: 'style.fast', params: { model: 'candy' } }], [], {
        inputs: [{ name: 'photo', kind: 'image', targets: [{ node: 'style', port: 'image' }] }],
        outputs: [{ name: 'styled', kind: 'image', source: { node: 'style', port: 'image' } }],
      });
      const cache = new MemoryResultCache();
      const photo = await input();
      const run = async () => {
        const handle = startRun({ registry, document, inputs: { photo }, services: { artifacts: createHarness().artifacts }, cache });
        const result = await handle.result;
        expect(result.status).toBe('succeeded');
        return { outcome: result.nodes.style!, image: result.outputs.styled as PixelImage };
      };
      const first = await run();
      expect(first.outcome.status).toBe('finished');
      expect((await run()).outcome).toMatchObject({ status: 'cached', cacheKey: first.outcome.cacheKey });
      // Replaced by the mosaic network under the same name.
      copyFileSync(join(repoStyle, 'mosaic.onnx'), candy);
      const replaced = await run();
      expect(replaced.outcome.status).toBe('finished');
      expect(replaced.outcome.cacheKey).not.toBe(first.outcome.cacheKey);
      expect(mad(replaced.image, first.image)).toBeGreaterThan(10);
      expect(mad(replaced.image, await stylise(photo, { model: 'mosaic' }))).toBe(0);
      expect((await run()).outcome).toMatchObject({ status: 'cached', cacheKey: replaced.outcome.cacheKey });
    } finally {
      process.env.PIXELWIRE_MODELS_DIR = join(tmp, 'models');
    }
  });

  it('refuses a model name that would leave the style folder', async () => {
    await expect(stylise(gradient(16, 16), { model: '../ocr/x' })).rejects.toMatchObject({ code: 'invalid_param' });
  });
});

const TILE_TOLERANCE = 30;

function blockMad(a: PixelImage, b: PixelImage, k: number): number {
  let s = 0;
  let n = 0;
  for (let by = 0; by + k <= a.height; by += k) {
    for (let bx = 0; bx + k <= a.width; bx += k) {
      for (let c = 0; c < 3; c++) {
        let sa = 0;
        let sb = 0;
        for (let y = by; y < by + k; y++) {
          for (let x = bx; x < bx + k; x++) {
            sa += a.data[(y * a.width + x) * 3 + c]!;
            sb += b.data[(y * b.width + x) * 3 + c]!;
          }
        }
        s += Math.abs(sa - sb) / (k * k);
        n++;
      }
    }
  }
  return s / n;
}
