import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { defaultImageLimits } from '../../nodes/context';
import { runtimeConfigFromEnv } from '../../nodes/_impl/models/model-runtime';
import { modelKinds, modelsDir, type ModelKind } from '../../nodes/_impl/models/models-dir';

export interface ModelFile {
  kind: ModelKind;
  file: string;
  path: string;
  size: number;
  sha256: string;
}

function sha256(path: string): Promise<string> {
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

/** `pixelwire models`: the model files under $PIXELWIRE_MODELS_DIR (default ./models), by kind. */
export async function modelsCommand(json: boolean): Promise<number> {
  const dir = modelsDir();
  const models = await listModels(dir);
  if (json) {
    process.stdout.write(`${JSON.stringify({ dir, kinds: modelKinds, models }, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`models dir: ${dir}\n`);
  if (models.length === 0) process.stdout.write(`no models found (kind folders: ${modelKinds.join(', ')})\n`);
  for (const m of models) {
    process.stdout.write(`${m.kind.padEnd(11)} ${m.file.padEnd(28)} ${formatSize(m.size).padStart(9)}  ${m.sha256}\n`);
  }
  return 0;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

interface ProviderCheck {
  provider: string;
  ok: boolean;
  detail: string;
}

/** `pixelwire doctor`: execution providers, models, image limits and the data directory. */
export async function doctorCommand(json: boolean, dataDir: string): Promise<number> {
  const config = runtimeConfigFromEnv();
  const backends = ort.listSupportedBackends().map((b) => ({ name: b.name, bundled: b.bundled }));
  const dir = modelsDir();
  const models = await listModels(dir);
  // A real session per asked-for provider says more than the backend list: try the smallest .onnx files
  // in turn (a broken file should not make a working provider look broken).
  const probes = models.filter((m) => m.file.endsWith('.onnx')).sort((a, b) => a.size - b.size).slice(0, 3);
  const checks: ProviderCheck[] = [];
  for (const provider of config.providers) {
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
  const report = {
    onnxruntime: { version: ort.env.versions.node ?? ort.env.versions.common, backends },
    executionProviders: { requested: config.providers, checks },
    modelCacheMb: Math.round(config.maxCachedBytes / 1024 / 1024),
    threadSpinning: config.spinning,
    models: {
      dir,
      counts: Object.fromEntries(modelKinds.map((k) => [k, models.filter((m) => m.kind === k).length])),
    },
    imageLimits: defaultImageLimits,
    dataDir: resolve(dataDir),
    node: process.version,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const w = (s: string) => process.stdout.write(`${s}\n`);
    w(`onnxruntime-node ${report.onnxruntime.version}; backends: ${backends.map((b) => `${b.name}${b.bundled ? '' : ' (not bundled)'}`).join(', ')}`);
    w(`execution providers asked for (PIXELWIRE_EXECUTION_PROVIDERS): ${config.providers.join(', ')}`);
    for (const c of checks) w(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.provider}: ${c.detail}`);
    w(`model cache (PIXELWIRE_MODEL_CACHE_MB): ${report.modelCacheMb} MiB; intra-op threads spin (PIXELWIRE_ORT_SPIN): ${config.spinning ? 'yes' : 'no'}`);
    w(`models dir (PIXELWIRE_MODELS_DIR): ${dir}`);
    for (const k of modelKinds) w(`  ${k}: ${report.models.counts[k]} file(s)`);
    w(`image limits: ${defaultImageLimits.maxPixels} pixels, ${defaultImageLimits.maxInputBytes} bytes per input (run --max-pixels to change)`);
    w(`data dir: ${report.dataDir}`);
    w(`node ${process.version}`);
  }
  return checks.every((c) => c.ok) ? 0 : 1;
}
