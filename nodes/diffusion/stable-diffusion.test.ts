import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, runNode } from '../../test/helpers/node-harness';
import { writeTinyStableDiffusion } from '../../test/helpers/tiny-stable-diffusion';
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

/**
 * The Stable Diffusion ONNX folder layout (diffusers/optimum export) through the same
 * diffusion nodes as our own model. Real weights cannot be downloaded here, so these
 * tests generate a tiny randomly initialised model of that layout
 * (test/helpers/tiny-stable-diffusion.ts): they check plumbing — file layout, tokenizer,
 * text encoder, UNet inputs and dtypes, guidance batch, schedule from scheduler_config,
 * VAE decoding, shapes, determinism — not image quality. Its images are noise.
 */
const root = mkdtempSync(join(tmpdir(), 'pw-sd-'));
const models = join(root, 'models');
const sd = (name: string) => join(models, 'diffusion', name);
let previousDir: string | undefined;

beforeAll(async () => {
  previousDir = process.env.PIXELWIRE_MODELS_DIR;
  process.env.PIXELWIRE_MODELS_DIR = models;
  await writeTinyStableDiffusion(sd('tiny-sd'), { seed: 1 });
  await writeTinyStableDiffusion(sd('tiny-sd-v'), { seed: 2, timestepType: 'float32', predictionType: 'v_prediction', sampleSize: 6 });
});
afterAll(() => {
  if (previousDir === undefined) delete process.env.PIXELWIRE_MODELS_DIR;
  else process.env.PIXELWIRE_MODELS_DIR = previousDir;
  rmSync(root, { recursive: true, force: true });
});

const base = { modelName: 'tiny-sd', steps: 6, guidance: 7.5, scheduler: 'ddim', prompt: 'a photo of a cat' } as const;

async function sample(params: Record<string, unknown>, harness = createHarness()) {
  const out = await runNode(diffusionSampleNode, {}, { ...base, ...params }, harness);
  return { image: out.image as PixelImage, latent: parseLatent(out.latent) };
}

describe('Stable Diffusion ONNX layout (tiny random model: plumbing, not quality)', () => {
  it('loads and describes a latent, text-conditioned model', async () => {
    const { model } = await runNode(diffusionLoadModelNode, {}, { modelName: 'tiny-sd' });
    expect(model).toMatchObject({ kind: 'diffusion.model', name: 'tiny-sd', type: 'latent', conditioning: 'text', imageSize: 64, channels: 4, vaeScale: 8, T: 1000, schedule: 'scaled_linear', prediction: 'epsilon' });
  });

  it('samples a prompt into a VAE-decoded RGB image, deterministic for a seed', async () => {
    const harness = createHarness();
    const a = await sample({ seed: 3 }, harness);
    expect(a.image).toMatchObject({ width: 64, height: 64, channels: 3 });
    expect(a.latent.shape).toEqual([1, 4, 8, 8]);
    expect(a.latent.t).toBe(0);
    expect(a.latent.data.every(Number.isFinite)).toBe(true);
    // A preview per step, from the latent (1/8 size), and progress per step.
    expect(harness.previews).toHaveLength(6);
    expect(harness.previews[0]!.image).toMatchObject({ width: 8, height: 8, channels: 3 });
    expect(harness.progress.filter((p) => p.message?.startsWith('step')).map((p) => p.fraction)).toEqual([1, 2, 3, 4, 5, 6].map((i) => i / 6));
    const b = await sample({ seed: 3 });
    expect(b.image.data.equals(a.image.data)).toBe(true);
    const c = await sample({ seed: 4 });
    expect(c.image.data.equals(a.image.data)).toBe(false);
  });

  it('the prompt reaches the UNet through the tokenizer and text encoder', async () => {
    const cat = await sample({ seed: 5, prompt: 'a photo of a cat' });
    const dog = await sample({ seed: 5, prompt: 'a photo of a dog' });
    // CLIP cleaning: case and extra spaces do not change the tokens.
    const shouted = await sample({ seed: 5, prompt: '  A PHOTO   of a CAT ' });
    expect(dog.latent.data).not.toEqual(cat.latent.data);
    expect(shouted.latent.data).toEqual(cat.latent.data);
    // The negative prompt is the unconditional pass; guidance 1 skips it.
    const negative = await sample({ seed: 5, negativePrompt: 'blue sky' });
    expect(negative.latent.data).not.toEqual(cat.latent.data);
    const unguided = await sample({ seed: 5, guidance: 1 });
    const unguidedNegative = await sample({ seed: 5, guidance: 1, negativePrompt: 'blue sky' });
    expect(unguidedNegative.latent.data).toEqual(unguided.latent.data);
  });

  it('makes other sizes in multiples of the VAE factor and refuses the rest', async () => {
    const { image, latent } = await sample({ seed: 1, steps: 2, width: 48, height: 32 });
    expect(image).toMatchObject({ width: 48, height: 32, channels: 3 });
    expect(latent.shape).toEqual([1, 4, 4, 6]);
    await expect(sample({ width: 50 })).rejects.toMatchObject({ code: 'invalid_param', details: { param: 'width' } });
  });

  it('a chain of noise → step nodes → decode equals diffusion.sample (DDIM, eta 0)', async () => {
    const params = { scheduler: 'ddim', prompt: 'red sun', guidance: 5 } as const;
    const whole = await sample({ ...params, seed: 9, steps: 4 });
    let latent: PortValue = (await runNode(diffusionNoiseNode, {}, { modelName: 'tiny-sd', seed: 9 })).latent!;
    expect(parseLatent(latent)).toMatchObject({ t: 1000, shape: [1, 4, 8, 8] });
    for (const tPrev of spacedTimesteps(1000, 4).slice(1)) {
      latent = (await runNode(diffusionStepNode, { latent }, { ...params, tPrev })).latent!;
    }
    expect(parseLatent(latent).data).toEqual(whole.latent.data);
    const decoded = (await runNode(diffusionDecodeNode, { latent }, {})).image as PixelImage;
    expect(decoded.data.equals(whole.image.data)).toBe(true);
  });

  it.each(['ddpm', 'euler'] as const)('runs the %s scheduler', async (scheduler) => {
    const { image, latent } = await sample({ seed: 2, scheduler, eta: 1 });
    expect(latent.data.every(Number.isFinite)).toBe(true);
    expect(image).toMatchObject({ width: 64, height: 64, channels: 3 });
  });

  it('reads timestep dtype, prediction type and size from the export (float32 timestep, v-prediction)', async () => {
    const { model } = await runNode(diffusionLoadModelNode, {}, { modelName: 'tiny-sd-v' });
    expect(model).toMatchObject({ prediction: 'v_prediction', imageSize: 48 });
    const { image, latent } = await sample({ modelName: 'tiny-sd-v', seed: 1 });
    expect(image).toMatchObject({ width: 48, height: 48, channels: 3 });
    expect(latent.data.every(Number.isFinite)).toBe(true);
  });

  it("refuses a latent that is not the model's (a one-channel 28×28 sample)", async () => {
    const latent = { kind: 'diffusion.latent', shape: [1, 1, 28, 28], data: new Array(784).fill(0), t: 1000, model: 'tiny-sd' };
    await expect(runNode(diffusionStepNode, { latent }, { prompt: 'cat' })).rejects.toMatchObject({ code: 'invalid_input', details: { port: 'latent' } });
    await expect(runNode(diffusionDecodeNode, { latent }, {})).rejects.toMatchObject({ code: 'invalid_input', details: { port: 'latent' } });
  });

  it('image-to-image: encode (VAE encoder) → add-noise → sample → decode keeps the image size', async () => {
    const photo = createImage(64, 48, 3, Buffer.from(Array.from({ length: 64 * 48 * 3 }, (_, i) => (i * 37) % 256)));
    const clean = parseLatent((await runNode(diffusionEncodeNode, { image: photo }, { modelName: 'tiny-sd' })).latent);
    expect(clean).toMatchObject({ shape: [1, 4, 6, 8], t: 0, model: 'tiny-sd' });
    expect(clean.data.every(Number.isFinite)).toBe(true);
    const noisy = (await runNode(diffusionAddNoiseNode, { latent: clean }, { t: 600, seed: 1 })).latent!;
    expect(parseLatent(noisy)).toMatchObject({ shape: [1, 4, 6, 8], t: 600 });
    // modelName is not needed: the latent names its model.
    const out = await runNode(diffusionSampleNode, { latent: noisy }, { ...base, modelName: 'fashion-unet', steps: 3, seed: 2 });
    expect(out.image).toMatchObject({ width: 64, height: 48, channels: 3 });
    const decoded = (await runNode(diffusionDecodeNode, { latent: out.latent! }, {})).image as PixelImage;
    expect(decoded.data.equals((out.image as PixelImage).data)).toBe(true);
    // Sides are rounded down to multiples of 8 and scaled to at most 2048.
    const odd = parseLatent((await runNode(diffusionEncodeNode, { image: createImage(50, 37, 3) }, { modelName: 'tiny-sd' })).latent);
    expect(odd.shape).toEqual([1, 4, 4, 6]);
    const wide = parseLatent((await runNode(diffusionEncodeNode, { image: createImage(4100, 20, 1) }, { modelName: 'tiny-sd' })).latent);
    expect(wide.shape).toEqual([1, 4, 1, 256]);
  });

  describe('broken exports', () => {
    const broken = async (name: string, damage: (dir: string) => void) => {
      await cp(sd('tiny-sd'), sd(name), { recursive: true });
      damage(sd(name));
      return sample({ modelName: name, steps: 1 });
    };

    it('a folder with neither layout is model_missing, naming both', async () => {
      await expect(sample({ modelName: 'nothing-here' })).rejects.toMatchObject({
        code: 'model_missing',
        message: expect.stringMatching(/manifest\.json.*model_index\.json/s),
      });
    });

    it('a missing UNet is model_missing with the file to put there', async () => {
      await expect(broken('no-unet', (dir) => rmSync(join(dir, 'unet', 'model.onnx')))).rejects.toMatchObject({
        code: 'model_missing',
        message: expect.stringContaining(join(sd('no-unet'), 'unet', 'model.onnx')),
      });
    });

    it('a missing VAE encoder is model_missing for diffusion.encode only, with the file to put there', async () => {
      await cp(sd('tiny-sd'), sd('no-encoder'), { recursive: true });
      rmSync(join(sd('no-encoder'), 'vae_encoder'), { recursive: true });
      await expect(sample({ modelName: 'no-encoder', steps: 1 })).resolves.toBeDefined();
      await expect(runNode(diffusionEncodeNode, { image: createImage(16, 16, 3) }, { modelName: 'no-encoder' })).rejects.toMatchObject({
        code: 'model_missing',
        message: expect.stringContaining(join(sd('no-encoder'), 'vae_encoder', 'model.onnx')),
      });
    });

    it('a corrupt text encoder, a broken tokenizer and a bad scheduler config are model_invalid', async () => {
      await expect(broken('bad-encoder', (dir) => writeFileSync(join(dir, 'text_encoder', 'model.onnx'), 'not onnx'))).rejects.toMatchObject({ code: 'model_invalid' });
      await expect(broken('bad-vocab', (dir) => writeFileSync(join(dir, 'tokenizer', 'vocab.json'), '{"a": "b"}'))).rejects.toMatchObject({ code: 'model_invalid', message: expect.stringContaining('vocab.json') });
      await expect(broken('bad-scheduler', (dir) => writeFileSync(join(dir, 'scheduler', 'scheduler_config.json'), '{"beta_schedule": "exotic"}'))).rejects.toMatchObject({
        code: 'model_invalid',
        message: expect.stringContaining('scheduler_config.json'),
      });
    });
  });
});
