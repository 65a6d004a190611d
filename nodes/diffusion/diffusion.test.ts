import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, runNode } from '../../test/helpers/node-harness';
import { createImage, type PixelImage } from '../_impl/pixel-image';
import type { PortValue } from '../ports';
import { parseLatent } from '../_impl/diffusion/latent';
import { spacedTimesteps } from '../_impl/diffusion/schedule';
import { diffusionAddNoiseNode } from './add-noise.node';
import { diffusionDecodeNode } from './decode.node';
import { diffusionEncodeNode } from './encode.node';
import { diffusionLoadModelNode } from './load-model.node';
import { diffusionNoiseNode } from './noise.node';
import { diffusionSampleNode } from './sample.node';
import { diffusionStepNode } from './step.node';

/** These tests run the real model exported by tools/diffusion into the repository's models folder, on CPU. */
const repoModels = fileURLToPath(new URL('../../models', import.meta.url));
const classes = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

let previousDir: string | undefined;
let tmp: string;
let classifier: ort.InferenceSession;
beforeAll(async () => {
  previousDir = process.env.PIXELWIRE_MODELS_DIR;
  process.env.PIXELWIRE_MODELS_DIR = repoModels;
  tmp = mkdtempSync(join(tmpdir(), 'pw-diffusion-'));
  classifier = await ort.InferenceSession.create(join(repoModels, 'classifier', 'fashion-cnn.onnx'));
});
afterAll(() => {
  if (previousDir === undefined) delete process.env.PIXELWIRE_MODELS_DIR;
  else process.env.PIXELWIRE_MODELS_DIR = previousDir;
  rmSync(tmp, { recursive: true, force: true });
});

async function sample(params: Record<string, unknown>, harness = createHarness()) {
  const out = await runNode(diffusionSampleNode, {}, { steps: 20, ...params }, harness);
  return { image: out.image as PixelImage, latent: parseLatent(out.latent) };
}

/** The exported Fashion-MNIST CNN's label for a generated 28×28 grey image. */
async function classify(image: PixelImage): Promise<string> {
  const x = Float32Array.from(image.data, (v) => v / 127.5 - 1);
  const out = await classifier.run({ x: new ort.Tensor('float32', x, [1, 1, 28, 28]) });
  const logits = Array.from(out.logits!.data as Float32Array);
  return classes[logits.indexOf(Math.max(...logits))]!;
}

describe('diffusion nodes (fashion-unet)', () => {
  it('describes the model', async () => {
    const { model } = await runNode(diffusionLoadModelNode, {}, { modelName: 'fashion-unet' });
    expect(model).toMatchObject({ kind: 'diffusion.model', name: 'fashion-unet', imageSize: 28, channels: 1, T: 1000, classes, nullClass: 10 });
  });

  it('is bit-identical for a fixed seed, different for another', async () => {
    const a = await sample({ seed: 7, classLabel: 'Trouser' });
    const b = await sample({ seed: 7, classLabel: 'Trouser' });
    const c = await sample({ seed: 8, classLabel: 'Trouser' });
    expect(a.image).toMatchObject({ width: 28, height: 28, channels: 1 });
    expect(b.image.data.equals(a.image.data)).toBe(true);
    expect(b.latent.data).toEqual(a.latent.data);
    expect(c.image.data.equals(a.image.data)).toBe(false);
  });

  it('streams progress and an x0 preview after every step', async () => {
    const harness = createHarness();
    await sample({ seed: 1, steps: 5, classLabel: 'Bag' }, harness);
    // First the provider the UNet runs on, then one progress event per step.
    expect(harness.progress[0]).toEqual({ fraction: 0, message: 'onnxruntime: cpu' });
    expect(harness.progress.slice(1).map((p) => p.fraction)).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    expect(harness.previews).toHaveLength(5);
    expect(harness.previews[4]!.image).toMatchObject({ width: 28, height: 28, channels: 1 });
  });

  // Honest bar: see tools/diffusion/README.md for the per-class rates measured with this model.
  it.each(['Trouser', 'Sneaker', 'Bag'])('draws a %s that the classifier recognises (≥ 3 of 4 seeds, DDIM 20 steps, guidance 3)', async (label) => {
    const labels: string[] = [];
    for (const seed of [1, 2, 3, 4]) labels.push(await classify((await sample({ seed, classLabel: label, guidance: 3, scheduler: 'ddim' })).image));
    expect(labels.filter((l) => l === label).length, labels.join(', ')).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ['ddpm', {}],
    ['ddim', { eta: 1 }],
    ['euler', {}],
    ['euler', { eta: 1 }],
  ] as const)('runs the %s scheduler %j', async (scheduler, extra) => {
    const { image, latent } = await sample({ seed: 3, scheduler, classLabel: 'Sneaker', ...extra });
    expect(latent.t).toBe(0);
    expect(latent.data.every(Number.isFinite)).toBe(true);
    // Not a blank or saturated frame.
    const mean = image.data.reduce((s, v) => s + v, 0) / image.data.length;
    expect(mean).toBeGreaterThan(5);
    expect(mean).toBeLessThan(250);
  });

  it('Euler with eta 0 matches DDIM with eta 0 (the same ODE step)', async () => {
    const a = await sample({ seed: 5, scheduler: 'ddim', classLabel: 'Dress' });
    const b = await sample({ seed: 5, scheduler: 'euler', classLabel: 'Dress' });
    const maxDiff = Math.max(...a.latent.data.map((v, i) => Math.abs(v - b.latent.data[i]!)));
    expect(maxDiff).toBeLessThan(1e-3);
  });

  it('a chain of diffusion.step nodes equals diffusion.sample (DDIM, eta 0)', async () => {
    const params = { scheduler: 'ddim', classLabel: 'Sneaker', guidance: 3 } as const;
    const whole = await sample({ ...params, seed: 11, steps: 8 });
    let latent: PortValue = (await runNode(diffusionNoiseNode, {}, { seed: 11 })).latent!;
    expect(parseLatent(latent).t).toBe(1000);
    for (const tPrev of spacedTimesteps(1000, 8).slice(1)) {
      latent = (await runNode(diffusionStepNode, { latent }, { ...params, tPrev })).latent!;
    }
    expect(parseLatent(latent).data).toEqual(whole.latent.data);
    const decoded = (await runNode(diffusionDecodeNode, { latent }, {})).image as PixelImage;
    expect(decoded.data.equals(whole.image.data)).toBe(true);
  });

  it('takes the model from diffusion.load-model', async () => {
    const { model } = await runNode(diffusionLoadModelNode, {}, {});
    const out = await runNode(diffusionSampleNode, { model }, { steps: 2, modelName: 'not-used' });
    expect(parseLatent(out.latent).model).toBe('fashion-unet');
  });

  it('stops between steps when the signal is aborted', async () => {
    const controller = new AbortController();
    const harness = createHarness({ signal: controller.signal });
    const seen: number[] = [];
    const ctx = {
      ...harness.ctx,
      progress: (fraction: number, message?: string) => {
        if (!message?.startsWith('step')) return;
        seen.push(fraction);
        if (seen.length === 2) controller.abort();
      },
    };
    await expect(sample({ seed: 1, steps: 10 }, { ...harness, ctx })).rejects.toMatchObject({ name: 'AbortError' });
    // Aborted after step 2: step 3 never ran.
    expect(seen).toEqual([0.1, 0.2]);
  });

  it('rejects an unknown class and a bad latent', async () => {
    await expect(sample({ classLabel: 'Hat' })).rejects.toMatchObject({ code: 'invalid_param' });
    await expect(runNode(diffusionDecodeNode, { latent: { kind: 'nope' } }, {})).rejects.toMatchObject({ code: 'invalid_input', details: { port: 'latent' } });
  });

  describe('image-to-image: encode → add-noise → sample', () => {
    const encode = async (image: PixelImage) => parseLatent((await runNode(diffusionEncodeNode, { image }, {})).latent);
    const addNoise = async (latent: PortValue, params: Record<string, unknown>) => parseLatent((await runNode(diffusionAddNoiseNode, { latent }, params)).latent);

    it('encodes an image as a clean 1×28×28 sample in [-1, 1] (resized, grey), the inverse of decode', async () => {
      const generated = await sample({ seed: 1, classLabel: 'Trouser', steps: 10 });
      const latent = await encode(generated.image);
      expect(latent).toMatchObject({ shape: [1, 1, 28, 28], t: 0, model: 'fashion-unet' });
      const decoded = (await runNode(diffusionDecodeNode, { latent }, {})).image as PixelImage;
      expect(decoded.data.equals(generated.image.data)).toBe(true);
      // Any size and colour: stretched to 28×28 and made grey.
      const rgba = createImage(40, 30, 4, Buffer.alloc(40 * 30 * 4, 255));
      const white = await encode(rgba);
      expect(white.shape).toEqual([1, 1, 28, 28]);
      expect(white.data.every((v) => v === 1)).toBe(true);
    });

    it('keeps the class: a Trouser noised to t=500 and sampled again unconditionally is still a Trouser, changed, deterministic for a seed', async () => {
      const generated = await sample({ seed: 1, classLabel: 'Trouser', guidance: 3 });
      expect(await classify(generated.image)).toBe('Trouser');
      const clean = await encode(generated.image);
      const noisy = await addNoise(clean, { t: 500, seed: 2 });
      expect(noisy).toMatchObject({ t: 500, shape: [1, 1, 28, 28] });
      const img2img = async (seed: number) => {
        const harness = createHarness();
        // Unconditional: the class comes from the image alone.
        const out = await runNode(diffusionSampleNode, { latent: noisy }, { steps: 10, seed, classLabel: '' }, harness);
        return { image: out.image as PixelImage, latent: parseLatent(out.latent), harness };
      };
      const a = await img2img(3);
      expect(a.latent.t).toBe(0);
      expect(a.harness.previews).toHaveLength(10);
      expect(await classify(a.image)).toBe('Trouser');
      const changed = a.image.data.reduce((n, v, i) => n + (Math.abs(v - generated.image.data[i]!) > 8 ? 1 : 0), 0);
      expect(changed).toBeGreaterThan(20);
      expect((await img2img(3)).image.data.equals(a.image.data)).toBe(true);
      // DDIM with eta 0 draws no noise: the seed only matters through add-noise.
      expect((await addNoise(clean, { t: 500, seed: 3 })).data).not.toEqual(noisy.data);
    });

    it('a latent at T from diffusion.noise samples exactly as no latent (steps spaced over 1..t)', async () => {
      const params = { seed: 4, classLabel: 'Bag', steps: 6, scheduler: 'ddpm' } as const;
      const noise = (await runNode(diffusionNoiseNode, {}, { seed: 4 })).latent!;
      const from = await runNode(diffusionSampleNode, { latent: noise }, params);
      expect(parseLatent(from.latent).data).toEqual((await sample(params)).latent.data);
    });

    it('add-noise to t = T gives the statistics of noise; t = 0 → t keeps the signal as √ᾱ_t', async () => {
      const clean = await encode((await sample({ seed: 1, classLabel: 'Trouser', steps: 5 })).image);
      const { data } = await addNoise(clean, { t: 1000, seed: 9 });
      const mean = data.reduce((s, v) => s + v, 0) / data.length;
      const std = Math.sqrt(data.reduce((s, v) => s + (v - mean) ** 2, 0) / data.length);
      expect(Math.abs(mean)).toBeLessThan(0.15);
      expect(std).toBeGreaterThan(0.9);
      expect(std).toBeLessThan(1.1);
      // Two hops (0 → 200 → 600) have the variance of one (0 → 600).
      const twice = await addNoise(await addNoise(clean, { t: 200, seed: 1 }), { t: 600, seed: 2 });
      const once = await addNoise(clean, { t: 600, seed: 3 });
      const variance = (xs: number[]) => xs.reduce((s, v) => s + v * v, 0) / xs.length;
      expect(variance(twice.data) / variance(once.data)).toBeCloseTo(1, 0);
    });

    it('refuses a t not above the latent\'s, too few timesteps for the steps, and latents of another model', async () => {
      const clean = await encode(createImage(28, 28, 1));
      const noisy = await addNoise(clean, { t: 300 });
      await expect(runNode(diffusionAddNoiseNode, { latent: noisy }, { t: 300 })).rejects.toMatchObject({ code: 'invalid_param', details: { param: 't' } });
      await expect(runNode(diffusionAddNoiseNode, { latent: clean }, { t: 1001 })).rejects.toMatchObject({ code: 'invalid_param', details: { param: 't' } });
      await expect(runNode(diffusionSampleNode, { latent: clean }, { steps: 2 })).rejects.toMatchObject({ code: 'invalid_input', details: { port: 'latent' } });
      const shallow = await addNoise(clean, { t: 5 });
      await expect(runNode(diffusionSampleNode, { latent: shallow }, { steps: 6 })).rejects.toMatchObject({ code: 'invalid_param', details: { param: 'steps' } });
      const { model } = await runNode(diffusionLoadModelNode, {}, {});
      const foreign = { kind: 'diffusion.latent', shape: [1, 4, 8, 8], data: new Array(256).fill(0), t: 0, model: 'tiny-sd' };
      await expect(runNode(diffusionAddNoiseNode, { latent: foreign, model }, { t: 10 })).rejects.toMatchObject({ code: 'invalid_input', details: { port: 'latent' } });
      await expect(runNode(diffusionSampleNode, { latent: { ...foreign, t: 10 }, model }, { steps: 2 })).rejects.toMatchObject({ code: 'invalid_input', details: { port: 'latent' } });
    });
  });

  describe('broken installs', () => {
    const withModels = async (dir: string, run: () => Promise<unknown>) => {
      process.env.PIXELWIRE_MODELS_DIR = dir;
      try {
        return await run();
      } finally {
        process.env.PIXELWIRE_MODELS_DIR = repoModels;
      }
    };

    it('a missing model is model_missing, naming where to put it', async () => {
      await expect(withModels(tmp, () => sample({ modelName: 'fashion-unet' }))).rejects.toMatchObject({
        code: 'model_missing',
        message: expect.stringContaining(join(tmp, 'diffusion', 'fashion-unet')),
      });
    });

    it('a loaded model is reused until its files change', async () => {
      const dir = join(tmp, 'edited');
      mkdirSync(join(dir, 'diffusion'), { recursive: true });
      cpSync(join(repoModels, 'diffusion/fashion-unet'), join(dir, 'diffusion', 'mine'), { recursive: true });
      const describe = () => withModels(dir, async () => (await runNode(diffusionLoadModelNode, {}, { modelName: 'mine' })).model);
      expect(await describe()).toMatchObject({ guidanceDefault: 3 });
      const manifestPath = join(dir, 'diffusion', 'mine', 'manifest.json');
      writeFileSync(manifestPath, JSON.stringify({ ...JSON.parse(readFileSync(manifestPath, 'utf8')), guidanceDefault: 4.5 }));
      expect(await describe()).toMatchObject({ guidanceDefault: 4.5 });
    });

    it('a corrupt model is model_invalid', async () => {
      const dir = join(tmp, 'corrupt');
      const manifest = JSON.parse(readFileSync(join(repoModels, 'diffusion/fashion-unet/manifest.json'), 'utf8'));
      // Same bytes as the manifest promises, cut short: the checksum catches it.
      mkdirSync(join(dir, 'diffusion', 'cut'), { recursive: true });
      cpSync(join(repoModels, 'diffusion/fashion-unet/manifest.json'), join(dir, 'diffusion', 'cut', 'manifest.json'));
      writeFileSync(join(dir, 'diffusion', 'cut', 'model.onnx'), readFileSync(join(repoModels, 'diffusion/fashion-unet/model.onnx')).subarray(0, 5000));
      await expect(withModels(dir, () => sample({ modelName: 'cut' }))).rejects.toMatchObject({ code: 'model_invalid', message: expect.stringContaining('sha256') });
      // Without a checksum, onnxruntime itself refuses the file.
      mkdirSync(join(dir, 'diffusion', 'garbage'), { recursive: true });
      writeFileSync(join(dir, 'diffusion', 'garbage', 'manifest.json'), JSON.stringify({ ...manifest, sha256: undefined }));
      writeFileSync(join(dir, 'diffusion', 'garbage', 'model.onnx'), 'not an onnx file');
      await expect(withModels(dir, () => sample({ modelName: 'garbage' }))).rejects.toMatchObject({ code: 'model_invalid' });
      // A manifest that is not one.
      mkdirSync(join(dir, 'diffusion', 'bad-manifest'), { recursive: true });
      writeFileSync(join(dir, 'diffusion', 'bad-manifest', 'manifest.json'), '{"format":"pixelwire.diffusion"}');
      await expect(withModels(dir, () => sample({ modelName: 'bad-manifest' }))).rejects.toMatchObject({ code: 'model_invalid' });
    });
  });
});
