import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { defaultImageLimits } from '../../nodes/context';
import { runtimeConfigFromEnv } from '../../nodes/_impl/models/model-runtime';
import { modelKinds, modelsDir } from '../../nodes/_impl/models/models-dir';
import { listModels, probeProviders } from '../../server/worker/host-inventory';

export { listModels, type ModelFile } from '../../server/worker/host-inventory';

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

/** `pixelwire doctor`: execution providers, models, image limits and the data directory. */
export async function doctorCommand(json: boolean, dataDir: string): Promise<number> {
  const config = runtimeConfigFromEnv();
  const backends = ort.listSupportedBackends().map((b) => ({ name: b.name, bundled: b.bundled }));
  const dir = modelsDir();
  const models = await listModels(dir);
  const checks = await probeProviders(config.providers, models);
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
