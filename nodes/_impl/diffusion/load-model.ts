import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { NodeError } from '../../errors';
import { modelPath } from '../models/models-dir';
import type { DiffusionModel } from './model';
import { diffusionGetFrom, loadPixelwireModel } from './pixelwire-model';
import { loadStableDiffusion } from './sd-model';
import { sdGetFrom } from './sd-config';

export const modelNamePattern = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

/**
 * Loads <models>/diffusion/<name>: a folder with manifest.json is a Pixelwire model
 * (tools/diffusion); one with model_index.json is a Stable Diffusion ONNX export.
 */
export async function loadDiffusionModel(name: string): Promise<DiffusionModel> {
  if (!modelNamePattern.test(name)) throw new NodeError('model_invalid', `invalid diffusion model name "${name}"`, { param: 'modelName' });
  const dir = modelPath('diffusion', name);
  if (await exists(join(dir, 'manifest.json'))) return loadPixelwireModel(name, dir);
  if (await exists(join(dir, 'model_index.json'))) return loadStableDiffusion(name, dir);
  throw new NodeError(
    'model_missing',
    `diffusion model '${name}' is not installed: put in ${dir} either a Pixelwire model (manifest.json + its ONNX file, from ${diffusionGetFrom}) or ${sdGetFrom} (model_index.json, scheduler/, tokenizer/, text_encoder/, unet/, vae_decoder/)`,
  );
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
