import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { modelKinds, modelsDir, type ModelKind } from '../../nodes/_impl/models/models-dir';

export interface ModelFile {
  kind: ModelKind;
  file: string;
  path: string;
  size: number;
  sha256: string;
}

export function sha256(path: string): Promise<string> {
  return new Promise((done, fail) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', fail)
      .on('end', () => done(hash.digest('hex')));
  });
}

/** Weight files inside model folders (configs, tokenizers and manifests beside them are not listed). */
const weightFile = /\.(onnx|onnx_data|ort|data|bin|safetensors|traineddata)$/i;
const maxDepth = 3;

/**
 * Every regular file (symlinks followed) directly under each kind folder of the models
 * directory, and the weight files inside model folders such as diffusion/fashion-unet/ or a
 * Stable Diffusion export (listed by their path within the kind folder, e.g. sd15/unet/model.onnx).
 */
export async function listModels(dir = modelsDir()): Promise<ModelFile[]> {
  const found: ModelFile[] = [];
  for (const kind of modelKinds) {
    await collect(kind, join(dir, kind), '', found);
  }
  return found;
}

async function collect(kind: ModelKind, folder: string, prefix: string, found: ModelFile[]): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(folder)).sort();
  } catch {
    return;
  }
  const depth = prefix === '' ? 0 : prefix.split('/').length - 1;
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const path = join(folder, name);
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory() && depth < maxDepth) await collect(kind, path, `${prefix}${name}/`, found);
    if (!info?.isFile() || (prefix !== '' && !weightFile.test(name))) continue;
    found.push({ kind, file: `${prefix}${name}`, path, size: info.size, sha256: await sha256(path) });
  }
}

export interface ProviderCheck {
  provider: string;
  ok: boolean;
  detail: string;
}

/**
 * Whether each asked-for execution provider really works here: a real session on
 * the smallest installed .onnx files (a broken file should not make a working
 * provider look broken); with no model to try, whether onnxruntime bundles it.
 */
export async function probeProviders(providers: readonly string[], models: ModelFile[]): Promise<ProviderCheck[]> {
  const backends = ort.listSupportedBackends().map((b) => ({ name: b.name, bundled: b.bundled }));
  const probes = models.filter((m) => m.file.endsWith('.onnx')).sort((a, b) => a.size - b.size).slice(0, 3);
  const checks: ProviderCheck[] = [];
  for (const provider of providers) {
    if (probes.length === 0) {
      const known = backends.find((b) => b.name === provider);
      checks.push({ provider, ok: Boolean(known?.bundled), detail: known ? (known.bundled ? 'bundled (no model to test a session with)' : 'not bundled') : 'unknown to onnxruntime' });
      continue;
    }
    let check: ProviderCheck | undefined;
    const failures: string[] = [];
    for (const probe of probes) {
      try {
        const session = await ort.InferenceSession.create(probe.path, { executionProviders: [provider] });
        await session.release();
        check = { provider, ok: true, detail: `session created on ${probe.kind}/${probe.file}` };
        break;
      } catch (error) {
        failures.push(`${probe.kind}/${probe.file}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      }
    }
    checks.push(check ?? { provider, ok: false, detail: failures.join('; ') });
  }
  return checks;
}
