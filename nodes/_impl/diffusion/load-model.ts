import { access, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { NodeError } from '../../errors';
import { modelNamePattern, modelPath } from '../models/models-dir';
import type { DiffusionModel } from './model';
import { diffusionGetFrom, loadPixelwireModel } from './pixelwire-model';
import { loadStableDiffusion } from './sd-model';
import { sdGetFrom } from './sd-config';

export { modelNamePattern };

/**
 * Loads <models>/diffusion/<name>: a folder with manifest.json is a Pixelwire model
 * (tools/diffusion); one with model_index.json is a Stable Diffusion ONNX export.
 */
export async function loadDiffusionModel(name: string): Promise<DiffusionModel> {
  if (!modelNamePattern.test(name)) throw new NodeError('model_invalid', `invalid diffusion model name "${name}"`, { param: 'modelName' });
  const dir = modelPath('diffusion', name);
  const cached = loaded.get(dir);
  if (cached && (await stamp(cached.files)) === cached.stamp) return cached.model;
  let model: DiffusionModel;
  let files: string[];
  if (await exists(join(dir, 'manifest.json'))) {
    model = await loadPixelwireModel(name, dir);
    files = [join(dir, 'manifest.json'), ...(await readdirOnnx(dir))];
  } else if (await exists(join(dir, 'model_index.json'))) {
    model = await loadStableDiffusion(name, dir);
    files = sdFiles.map((f) => join(dir, f));
  } else {
    loaded.delete(dir);
    throw new NodeError(
      'model_missing',
      `diffusion model '${name}' is not installed: put in ${dir} either a Pixelwire model (manifest.json + its ONNX file, from ${diffusionGetFrom}) or ${sdGetFrom} (model_index.json, scheduler/, tokenizer/, text_encoder/, unet/, vae_decoder/; vae_encoder/ for diffusion.encode)`,
    );
  }
  loaded.set(dir, { model, files, stamp: await stamp(files) });
  return model;
}

/**
 * Loaded models by folder, reused while the files they were read from keep their size and
 * mtime (checking costs a few stats; reading and checking a model folder again costs more,
 * once per node run). Sessions themselves live in the model runtime's LRU.
 */
const loaded = new Map<string, { model: DiffusionModel; files: string[]; stamp: string }>();
const sdFiles = [
  'model_index.json',
  'scheduler/scheduler_config.json',
  'unet/config.json',
  'unet/model.onnx',
  'vae_decoder/config.json',
  'tokenizer/vocab.json',
  'tokenizer/merges.txt',
  'tokenizer/tokenizer_config.json',
];

async function stamp(files: string[]): Promise<string> {
  const stats = await Promise.all(files.map((f) => stat(f).then((s) => `${s.mtimeMs}:${s.size}`, () => 'absent')));
  return stats.join('|');
}

async function readdirOnnx(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.onnx')).map((f) => join(dir, f));
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
