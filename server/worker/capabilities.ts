import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { availableParallelism, totalmem } from 'node:os';
import { promisify } from 'node:util';
import { installedModels } from '../../nodes/_impl/models/installed-models';
import { runtimeConfigFromEnv } from '../../nodes/_impl/models/model-runtime';
import { modelsDir } from '../../nodes/_impl/models/models-dir';
import type { WorkerCapabilities } from '../redis/worker-registry';
import { listModels, probeProviders, type ModelFile } from './host-inventory';

const run = promisify(execFile);

/** The first GPU nvidia-smi reports, if it answers within a few seconds. */
async function detectGpu(): Promise<WorkerCapabilities['gpu']> {
  try {
    const { stdout } = await run('nvidia-smi', ['--query-gpu=name,memory.total', '--format=csv,noheader,nounits'], { timeout: 5000 });
    const [name, memory] = stdout.trim().split('\n')[0]!.split(',').map((s) => s.trim());
    if (!name) return undefined;
    const memoryMiB = Number(memory);
    return { name, ...(Number.isFinite(memoryMiB) ? { memoryMiB } : {}) };
  } catch {
    return undefined;
  }
}

/** One hash for a model made of several files (a diffusion folder): the hash of their `path:sha256` lines. */
function combinedSha(files: ModelFile[]): string | undefined {
  if (files.length === 0) return undefined;
  if (files.length === 1) return files[0]!.sha256;
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => a.file.localeCompare(b.file))) hash.update(`${f.file}:${f.sha256}\n`);
  return hash.digest('hex');
}

/**
 * What this machine offers runs: execution providers that really create a
 * session here (not just the ones asked for), the GPU, the installed models
 * with the sha256 of their weights, cores and memory.
 */
export async function detectCapabilities(env: Record<string, string | undefined> = process.env): Promise<WorkerCapabilities> {
  const config = runtimeConfigFromEnv(env);
  const files = await listModels(modelsDir(env));
  const checks = await probeProviders(config.providers, files);
  const providers = checks.filter((c) => c.ok).map((c) => c.provider);
  const installed = await installedModels(env);
  const models = [
    ...installed.style.map((name) => ({ kind: 'style', name, files: files.filter((f) => f.kind === 'style' && f.file === `${name}.onnx`) })),
    ...installed.diffusion.map((name) => ({ kind: 'diffusion', name, files: files.filter((f) => f.kind === 'diffusion' && f.file.startsWith(`${name}/`)) })),
  ].map(({ kind, name, files: own }) => {
    const sha256 = combinedSha(own);
    return { id: `${kind}/${name}`, ...(sha256 ? { sha256 } : {}), bytes: own.reduce((sum, f) => sum + f.size, 0) };
  });
  const gpu = await detectGpu();
  return {
    providers: providers.length > 0 ? providers : ['cpu'],
    ...(gpu ? { gpu } : {}),
    models,
    cores: availableParallelism(),
    memoryMiB: Math.round(totalmem() / 1024 / 1024),
  };
}
