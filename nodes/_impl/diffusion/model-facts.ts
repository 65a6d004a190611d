import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { installedModelNames } from '../models/installed-models';
import type { DiffusionModelFacts } from '../models/model-meta';
import { modelsDir } from '../models/models-dir';
import { readManifest } from './pixelwire-model';

const exists = (path: string) => access(path).then(() => true, () => false);

/**
 * What the editor needs to know about an installed diffusion model, read from its folder
 * without loading it: a Pixelwire model (manifest.json) works in pixel space, conditioned on
 * the manifest's classes; a Stable Diffusion export (model_index.json) in latent space, on text.
 * Undefined when the folder holds neither, or a manifest that does not parse.
 */
export async function diffusionModelFacts(name: string, env: Record<string, string | undefined> = process.env): Promise<DiffusionModelFacts | undefined> {
  const dir = join(modelsDir(env), 'diffusion', name);
  if (await exists(join(dir, 'manifest.json'))) {
    const manifest = await readManifest(name, dir).catch(() => undefined);
    return manifest && { space: 'pixel', conditioning: 'class', classes: manifest.classes };
  }
  if (await exists(join(dir, 'model_index.json'))) return { space: 'latent', conditioning: 'text', classes: [] };
  return undefined;
}

/** The facts of every diffusion model installed here, by name (what catalogue.diffusionModels returns). */
export async function installedDiffusionFacts(env: Record<string, string | undefined> = process.env): Promise<Record<string, DiffusionModelFacts>> {
  const out: Record<string, DiffusionModelFacts> = {};
  for (const name of await installedModelNames('diffusion', env)) {
    const facts = await diffusionModelFacts(name, env);
    if (facts) out[name] = facts;
  }
  return out;
}
