import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { z } from 'zod';
import { NodeError } from '../../errors';
import { getModelRuntime } from '../models/model-runtime';
import type { PixelImage } from '../pixel-image';
import { imageToPixels, pixelsToImage } from './latent';
import type { Conditioning, ConditionRequest, DiffusionModel, SampleShape } from './model';
import { makeSchedule } from './schedule';

export const diffusionGetFrom = 'tools/diffusion (train_unet.py + export_onnx.py), or the repository\'s models/diffusion folder';

/** manifest.json beside a diffusion model's ONNX file (written by tools/diffusion/export_onnx.py). */
export const zDiffusionManifest = z.object({
  format: z.literal('pixelwire.diffusion'),
  name: z.string(),
  /** Latent models come as a Stable Diffusion folder (see sd-model.ts). */
  kind: z.literal('pixel'),
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

const verified = new Map<string, string>(); // path → "mtime:size" whose sha256 matched

/** Reads and checks a model's manifest: model_missing when absent, model_invalid when malformed. */
export async function readManifest(name: string, dir: string): Promise<DiffusionManifest> {
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
  return parsed.data;
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

/** Loads a Pixelwire diffusion model folder (manifest.json + ONNX), checking the ONNX file's sha256 when the manifest has one. */
export async function loadPixelwireModel(name: string, dir: string): Promise<DiffusionModel> {
  const manifest = await readManifest(name, dir);
  const path = join(dir, manifest.file);
  if (manifest.sha256) await checkSha256(name, path, manifest.sha256);
  const source = { what: `diffusion model '${name}'`, getFrom: diffusionGetFrom };
  const { provider } = await getModelRuntime().load(path, source);
  const native: SampleShape = [manifest.channels, manifest.imageSize, manifest.imageSize];
  return {
    name,
    kind: 'pixel',
    conditioning: 'class',
    schedule: makeSchedule(manifest.schedule),
    prediction: 'epsilon',
    provider,
    describe: () => ({
      kind: 'diffusion.model',
      name,
      type: 'pixel',
      conditioning: 'class',
      imageSize: manifest.imageSize,
      channels: manifest.channels,
      T: manifest.schedule.T,
      schedule: manifest.schedule.type,
      prediction: manifest.prediction,
      classes: manifest.classes,
      nullClass: manifest.nullClass,
      guidanceDefault: manifest.guidanceDefault,
      licence: manifest.licence ?? null,
    }),
    sampleShape(width, height) {
      if ((width !== 0 && width !== manifest.imageSize) || (height !== 0 && height !== manifest.imageSize)) {
        throw new NodeError('invalid_param', `diffusion model '${name}' makes ${manifest.imageSize}×${manifest.imageSize} images only (use 0 for its size)`, { param: width !== 0 && width !== manifest.imageSize ? 'width' : 'height' });
      }
      return native;
    },
    fitsShape: (shape) => shape[0] === native[0] && shape[1] === native[1] && shape[2] === native[2],
    async condition(request: ConditionRequest): Promise<Conditioning> {
      return { kind: 'class', id: classId(manifest, request.classLabel), nullId: manifest.nullClass };
    },
    async runNetwork(x, shape, batch, t, cond) {
      if (cond.kind !== 'class') throw new NodeError('invalid_input', `diffusion model '${name}' is conditioned on class labels, not text`);
      const labels = batch === 2 ? [cond.id, cond.nullId] : [cond.id];
      const feeds = {
        x: new ort.Tensor('float32', x, [batch, ...shape]),
        t: new ort.Tensor('int64', BigInt64Array.from(labels, () => BigInt(t - 1)), [batch]),
        y: new ort.Tensor('int64', BigInt64Array.from(labels, (id) => BigInt(id)), [batch]),
      };
      // Fetched per call: the runtime's LRU may have evicted it since the last one.
      const { session } = await getModelRuntime().load(path, source);
      try {
        const out = await session.run(feeds);
        const tensor = out.eps ?? Object.values(out)[0];
        if (!tensor || !(tensor.data instanceof Float32Array) || tensor.data.length !== x.length) throw new Error('unexpected output');
        return tensor.data;
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        throw new NodeError('model_invalid', `diffusion model '${name}' failed to run: ${reason}`, { cause: error });
      }
    },
    fromImage: async (image) => ({ x: await imageToPixels(image, native[0], native[1], native[2]), shape: native }),
    toImage: async (x, shape) => pixelsToImage(x, shape[0], shape[1], shape[2]),
    previewImage: (x0, shape): PixelImage => pixelsToImage(x0, shape[0], shape[1], shape[2]),
  };
}

async function checkSha256(name: string, path: string, expected: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new NodeError('model_missing', `diffusion model '${name}' is not installed: ${path} is missing (get it from ${diffusionGetFrom})`);
  }
  const key = `${info.mtimeMs}:${info.size}`;
  if (verified.get(path) === key) return;
  const sha = createHash('sha256').update(await readFile(path)).digest('hex');
  if (sha !== expected) throw new NodeError('model_invalid', `diffusion model '${name}': ${path} does not match the manifest's sha256`);
  verified.set(path, key);
}
