import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstalledModels, PickableModelKind } from './model-meta';
import { modelNamePattern, modelsDir } from './models-dir';

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

/** Names in a folder; none when it does not exist. */
async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
}

/**
 * Names of the installed models of a kind, sorted, as a node's model param takes them:
 * style: `<models>/style/<name>.onnx` files; diffusion: `<models>/diffusion/<name>/`
 * folders holding manifest.json (Pixelwire) or model_index.json (Stable Diffusion export).
 * Symlinks are followed; names a param would reject are left out.
 */
export async function installedModelNames(kind: PickableModelKind, env: Record<string, string | undefined> = process.env): Promise<string[]> {
  const dir = join(modelsDir(env), kind);
  const names: string[] = [];
  for (const entry of await entries(dir)) {
    const path = join(dir, entry);
    if (kind === 'style') {
      const name = entry.slice(0, -'.onnx'.length);
      if (entry.endsWith('.onnx') && modelNamePattern.test(name) && (await isFile(path))) names.push(name);
    } else if (modelNamePattern.test(entry) && (await isDirectory(path))) {
      if ((await isFile(join(path, 'manifest.json'))) || (await isFile(join(path, 'model_index.json')))) names.push(entry);
    }
  }
  return names.sort();
}

/** The installed models of every pickable kind. */
export async function installedModels(env: Record<string, string | undefined> = process.env): Promise<InstalledModels> {
  const [style, diffusion] = await Promise.all([installedModelNames('style', env), installedModelNames('diffusion', env)]);
  return { style, diffusion };
}
