import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createHarness } from '../../../test/helpers/node-harness';
import type { AnyNodeDefinition } from '../../define';
import { diffusionEncodeNode } from '../../diffusion/encode.node';
import { diffusionLoadModelNode } from '../../diffusion/load-model.node';
import { diffusionNoiseNode } from '../../diffusion/noise.node';
import { diffusionSampleNode } from '../../diffusion/sample.node';
import { ocrDetectNode } from '../../ocr/detect.node';
import { ocrReadNode } from '../../ocr/read.node';
import { ocrRecognizeNode } from '../../ocr/recognize.node';
import { fastStyleNode } from '../../style/fast-style.node';
import { modelFingerprint } from './model-fingerprint';

const repoModels = resolve(fileURLToPath(new URL('../../../models', import.meta.url)));
const dir = mkdtempSync(join(tmpdir(), 'pw-fingerprint-'));
const previousDir = process.env.PIXELWIRE_MODELS_DIR;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  if (previousDir === undefined) delete process.env.PIXELWIRE_MODELS_DIR;
  else process.env.PIXELWIRE_MODELS_DIR = previousDir;
});

function write(path: string, text: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe('modelFingerprint', () => {
  it('follows file contents, not where the files are: another folder with the same files agrees', async () => {
    const a = write(join(dir, 'one', 'model.onnx'), 'weights A');
    const same = write(join(dir, 'two', 'model.onnx'), 'weights A');
    const first = await modelFingerprint([a]);
    expect(first).toMatch(/^models:[0-9a-f]{64}$/);
    expect(await modelFingerprint([same])).toBe(first);
    expect(await modelFingerprint([a])).toBe(first);
    // Same size, other bytes: another model.
    write(a, 'weights B');
    expect(await modelFingerprint([a])).not.toBe(first);
    // Order and names count; a missing file is a stable "absent".
    const b = write(join(dir, 'one', 'other.onnx'), 'weights A');
    expect(await modelFingerprint([a, b])).not.toBe(await modelFingerprint([b, a]));
    expect(await modelFingerprint([join(dir, 'none.onnx')])).toBe(await modelFingerprint([join(dir, 'elsewhere', 'none.onnx')]));
    expect(await modelFingerprint([join(dir, 'none.onnx')])).not.toBe(await modelFingerprint([a]));
  });

  it('covers every file under a model folder', async () => {
    const folder = join(dir, 'diffusion-a');
    write(join(folder, 'model_index.json'), '{}');
    write(join(folder, 'unet', 'model.onnx'), 'unet');
    const first = await modelFingerprint([folder]);
    cpSync(folder, join(dir, 'copy', 'diffusion-a'), { recursive: true });
    expect(await modelFingerprint([join(dir, 'copy', 'diffusion-a')])).toBe(first);
    write(join(folder, 'unet', 'model.onnx'), 'unet 2');
    const changed = await modelFingerprint([folder]);
    expect(changed).not.toBe(first);
    write(join(folder, 'vae_encoder', 'model.onnx'), 'vae');
    expect(await modelFingerprint([folder])).not.toBe(changed);
  });
});

describe('model nodes fingerprint the models they read', () => {
  const fingerprint = (def: AnyNodeDefinition, params: Record<string, unknown> = {}) => {
    if (!def.fingerprint) throw new Error(`${def.type} has no fingerprint`);
    return def.fingerprint(def.params.parse(params), createHarness().ctx);
  };

  it('style.fast: the model file named by its param', async () => {
    const models = join(dir, 'style-models');
    write(join(models, 'style', 'candy.onnx'), 'candy');
    process.env.PIXELWIRE_MODELS_DIR = models;
    const before = await fingerprint(fastStyleNode, { model: 'candy' });
    expect(await fingerprint(fastStyleNode, { model: 'mosaic' })).not.toBe(before);
    write(join(models, 'style', 'candy.onnx'), 'mosaic');
    expect(await fingerprint(fastStyleNode, { model: 'candy' })).not.toBe(before);
  });

  it('ocr nodes: the PP-OCR files, where a copy in <models>/ocr wins over the package', async () => {
    process.env.PIXELWIRE_MODELS_DIR = join(dir, 'no-ocr');
    const shipped = await Promise.all([ocrReadNode, ocrDetectNode, ocrRecognizeNode].map((def) => fingerprint(def)));
    expect(new Set(shipped).size).toBe(3);
    const models = join(dir, 'ocr-models');
    write(join(models, 'ocr', 'ch_PP-OCRv4_det_infer.onnx'), 'another detector');
    process.env.PIXELWIRE_MODELS_DIR = models;
    const own = await Promise.all([ocrReadNode, ocrDetectNode, ocrRecognizeNode].map((def) => fingerprint(def)));
    expect(own[0]).not.toBe(shipped[0]);
    expect(own[1]).not.toBe(shipped[1]);
    expect(own[2]).toBe(shipped[2]); // recognition reads no detector
  });

  it('diffusion nodes that name a model: its whole folder', async () => {
    const models = join(dir, 'diffusion-models');
    cpSync(join(repoModels, 'diffusion', 'fashion-unet'), join(models, 'diffusion', 'fashion-unet'), { recursive: true });
    process.env.PIXELWIRE_MODELS_DIR = models;
    const nodes = [diffusionLoadModelNode, diffusionNoiseNode, diffusionSampleNode, diffusionEncodeNode];
    const before = await Promise.all(nodes.map((def) => fingerprint(def, { modelName: 'fashion-unet' })));
    expect(new Set(before).size).toBe(1);
    write(join(models, 'diffusion', 'fashion-unet', 'manifest.json'), '{"changed": true}');
    const after = await Promise.all(nodes.map((def) => fingerprint(def, { modelName: 'fashion-unet' })));
    expect(after[0]).not.toBe(before[0]);
    expect(new Set(after).size).toBe(1);
  });
});
