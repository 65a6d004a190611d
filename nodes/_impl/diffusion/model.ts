import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { z } from 'zod';
import { NodeError } from '../../errors';
import { getModelRuntime, type ExecutionProvider } from '../models/model-runtime';
import { modelPath } from '../models/models-dir';
import { makeSchedule, type NoiseSchedule } from './schedule';

export const diffusionGetFrom = 'tools/diffusion (train_unet.py + export_onnx.py), or the repository\'s models/diffusion folder';

/** manifest.json beside a diffusion model's ONNX file (written by tools/diffusion/export_onnx.py). */
export const zDiffusionManifest = z.object({
  format: z.literal('pixelwire.diffusion'),
  name: z.string(),
  kind: z.enum(['pixel', 'latent']),
  file: z.string().regex(/^[A-Za-z0-9_.-]+$/),
  imageSize: z.number().int().positive(),
  channels: z.number().int().min(1).max(4),
  schedule: z.discriminatedUnion('type', [
    z.object({ type: z.literal('linear'), betaStart: z.number().positive(), betaEnd: z.number().positive(), T: z.number().int().positive() }),
    z.object({ type: z.literal('cosine'), T: z.number().int().positive(), s: z.number().optional() }),
  ]),
  prediction: z.literal('epsilon'),
  classes: z.array(z.string()),
  nullClass: z.number().int().min(0),
  guidanceDefault: z.number().default(1),
  licence: z.string().optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});
export type DiffusionManifest = z.infer<typeof zDiffusionManifest>;

export const modelNamePattern = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

export interface DiffusionModel {
  name: string;
  manifest: DiffusionManifest;
  schedule: NoiseSchedule;
  session: ort.InferenceSession;
  provider: ExecutionProvider;
}

const verified = new Map<string, string>(); // path → "mtime:size" whose sha256 matched

/** Reads and checks a model's manifest: model_missing when absent, model_invalid when malformed. */
export async function readManifest(name: string): Promise<{ dir: string; manifest: DiffusionManifest }> {
  if (!modelNamePattern.test(name)) throw new NodeError('model_invalid', `invalid diffusion model name "${name}"`, { param: 'model' });
  const dir = modelPath('diffusion', name);
  let text: string;
  try {
    text = await readFile(join(dir, 'manifest.json'), 'utf8');
  } catch {
    throw new NodeError('model_missing', `diffusion model '${name}' is not installed: put manifest.json and its ONNX file in ${dir} (get it from ${diffusionGetFrom})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new NodeError('model_invalid', `diffusion model '${name}': manifest.json is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = zDiffusionManifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NodeError('model_invalid', `diffusion model '${name}': manifest.json is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return { dir, manifest: parsed.data };
}

/** Loads a diffusion model (manifest + shared onnxruntime session), checking the ONNX file's sha256 when the manifest has one. */
export async function loadDiffusionModel(name: string): Promise<DiffusionModel> {
  const { dir, manifest } = await readManifest(name);
  const path = join(dir, manifest.file);
  if (manifest.sha256) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new NodeError('model_missing', `diffusion model '${name}' is not installed: ${path} is missing (get it from ${diffusionGetFrom})`);
    }
    const key = `${info.mtimeMs}:${info.size}`;
    if (verified.get(path) !== key) {
      const sha = createHash('sha256').update(await readFile(path)).digest('hex');
      if (sha !== manifest.sha256) throw new NodeError('model_invalid', `diffusion model '${name}': ${path} does not match the manifest's sha256`);
      verified.set(path, key);
    }
  }
  const { session, provider } = await getModelRuntime().load(path, { what: `diffusion model '${name}'`, getFrom: diffusionGetFrom });
  return { name, manifest, schedule: makeSchedule(manifest.schedule), session, provider };
}

/** The class id for a label: a class name (case-insensitive), an index, or '' for unconditional. */
export function classId(manifest: DiffusionManifest, label: string): number {
  const trimmed = label.trim();
  if (trimmed === '') return manifest.nullClass;
  if (/^\d+$/.test(trimmed)) {
    const n = Number(trimmed);
    if (n < manifest.classes.length || n === manifest.nullClass) return n;
  }
  const i = manifest.classes.findIndex((c) => c.toLowerCase() === trimmed.toLowerCase());
  if (i < 0) throw new NodeError('invalid_param', `unknown class "${label}"; this model knows: ${manifest.classes.join(', ')}`, { param: 'classLabel' });
  return i;
}

/**
 * The model's ε for x at 1-based timestep t, with classifier-free guidance: the
 * conditional and unconditional passes run as one batch of 2 in a single session.run.
 */
export async function predictEps(model: DiffusionModel, x: Float32Array, t: number, cls: number, guidance: number): Promise<Float32Array> {
  const { manifest, session } = model;
  const size = manifest.imageSize;
  const shape = [manifest.channels, size, size];
  const n = x.length;
  const guided = cls !== manifest.nullClass && guidance !== 1;
  const batch = guided ? 2 : 1;
  const xs = new Float32Array(n * batch);
  xs.set(x, 0);
  if (guided) xs.set(x, n);
  const feeds = {
    x: new ort.Tensor('float32', xs, [batch, ...shape]),
    t: new ort.Tensor('int64', BigInt64Array.from({ length: batch }, () => BigInt(t - 1)), [batch]),
    y: new ort.Tensor('int64', BigInt64Array.from(guided ? [BigInt(cls), BigInt(manifest.nullClass)] : [BigInt(cls)]), [batch]),
  };
  let eps: Float32Array;
  try {
    const out = await session.run(feeds);
    const tensor = out.eps ?? Object.values(out)[0];
    if (!tensor || !(tensor.data instanceof Float32Array) || tensor.data.length !== n * batch) throw new Error('unexpected output');
    eps = tensor.data;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new NodeError('model_invalid', `diffusion model '${model.name}' failed to run: ${reason}`, { cause: error });
  }
  if (!guided) return eps.slice(0, n);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = eps[n + i]! + guidance * (eps[i]! - eps[n + i]!);
  return out;
}
