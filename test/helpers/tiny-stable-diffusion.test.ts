/**
 * The ONNX writer's models load in onnxruntime and compute what a hand computation says;
 * the tiny Stable Diffusion fixture has optimum's layout and I/O. The tiny model is random:
 * it checks plumbing (files, names, dtypes, shapes, which input matters), not image quality.
 */
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attr, OnnxGraphBuilder } from './onnx-writer';
import { tinyVocabSize, writeTinyStableDiffusion } from './tiny-stable-diffusion';

const tmpDirs: string[] = [];
async function tinyModel(options?: Parameters<typeof writeTinyStableDiffusion>[1]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pixelwire-tiny-sd-'));
  tmpDirs.push(dir);
  await writeTinyStableDiffusion(dir, options);
  return dir;
}
afterAll(() => Promise.all(tmpDirs.map((d) => rm(d, { recursive: true, force: true }))));

// Two calls because create's overloads do not take the union.
const session = (model: string | Uint8Array) =>
  typeof model === 'string' ? ort.InferenceSession.create(model) : ort.InferenceSession.create(model);
/** Paths of the files under dir, relative and sorted. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}
const f32 = (data: number[], dims: number[]) => new ort.Tensor('float32', Float32Array.from(data), dims);
const values = (t: ort.Tensor | undefined) => Array.from(t?.data as Float32Array);
const allFinite = (t: ort.Tensor | undefined) => values(t).every(Number.isFinite);
const maxDiff = (a: ort.Tensor | undefined, b: ort.Tensor | undefined) => {
  const x = values(a);
  const y = values(b);
  return Math.max(...x.map((v, i) => Math.abs(v - y[i]!)));
};
/** Each declared input/output as "name type [dims]". */
const signature = (s: ort.InferenceSession) =>
  [...s.inputMetadata, ...s.outputMetadata].map((m) => (m.isTensor ? `${m.name} ${m.type} [${m.shape.join(',')}]` : m.name));

describe('OnnxGraphBuilder', () => {
  it('writes a graph onnxruntime runs: Add of two inputs', async () => {
    const g = new OnnxGraphBuilder('add');
    g.input('a', 'float32', ['n', 3]).input('b', 'float32', ['n', 3]);
    g.node('Add', ['a', 'b'], ['c']);
    g.output('c', 'float32', ['n', 3]);
    const s = await session(g.toModelBytes());
    const { c } = await s.run({ a: f32([1, 2, 3, 4, 5, 6], [2, 3]), b: f32([10, 20, 30, 40, 50, 60], [2, 3]) });
    expect(c?.dims).toEqual([2, 3]);
    expect(values(c)).toEqual([11, 22, 33, 44, 55, 66]);
  });

  it('writes Conv weights in ONNX layout (checked against a hand-written convolution)', async () => {
    const input = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const kernel = [1, 0, -1, 2, 0.5, -2, 0.25, 3, -1];
    const g = new OnnxGraphBuilder('conv');
    g.input('x', 'float32', [1, 1, 3, 3]);
    g.initializer('w', Float32Array.from(kernel), [1, 1, 3, 3]).initializer('b', Float32Array.of(0.5), [1]);
    g.node('Conv', ['x', 'w', 'b'], ['y'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
    g.output('y', 'float32', [1, 1, 3, 3]);
    const { y } = await (await session(g.toModelBytes())).run({ x: f32(input, [1, 1, 3, 3]) });
    const at = (r: number, c: number) => (r < 0 || r > 2 || c < 0 || c > 2 ? 0 : input[r * 3 + c]!);
    const expected: number[] = [];
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0.5;
        for (let kr = 0; kr < 3; kr++) for (let kc = 0; kc < 3; kc++) sum += at(r + kr - 1, c + kc - 1) * kernel[kr * 3 + kc]!;
        expected.push(sum);
      }
    }
    values(y).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
  });

  it('writes float, negative int and int64 tensor attributes and initializers', async () => {
    const g = new OnnxGraphBuilder('attrs');
    g.input('x', 'float32', [2, 3]);
    g.initializer('shape', BigInt64Array.of(1n, -1n), [2]);
    g.node('LeakyRelu', ['x'], ['leaky'], { alpha: attr.float(0.25) });
    g.node('ReduceMean', ['leaky'], ['mean'], { axes: [-1], keepdims: 0 });
    g.node('Reshape', ['mean', 'shape'], ['y']);
    g.output('y', 'float32', [1, 2]);
    const { y } = await (await session(g.toModelBytes())).run({ x: f32([-4, 2, 5, 8, -8, 0], [2, 3]) });
    expect(y?.dims).toEqual([1, 2]);
    expect(values(y)).toEqual([2, 2]); // (-1 + 2 + 5) / 3, (8 - 2 + 0) / 3
  });

  it('rejects data that does not fit its dims, and non-integer int attributes', () => {
    expect(() => new OnnxGraphBuilder().initializer('w', new Float32Array(3), [2, 2])).toThrow(/hold 4 values/);
    expect(() => new OnnxGraphBuilder().node('LeakyRelu', ['x'], ['y'], { alpha: 0.2 })).toThrow(/attr.float/);
  });
});

describe('writeTinyStableDiffusion', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await tinyModel();
  });
  const read = (path: string) => readFile(join(dir, path), 'utf8');
  const readJson = async (path: string): Promise<unknown> => JSON.parse(await read(path));

  it("writes optimum's ORTStableDiffusionPipeline layout, under 1 MB", async () => {
    const paths = await listFiles(dir);
    expect(paths).toEqual([
      'model_index.json',
      'scheduler/scheduler_config.json',
      'text_encoder/config.json',
      'text_encoder/model.onnx',
      'tokenizer/merges.txt',
      'tokenizer/special_tokens_map.json',
      'tokenizer/tokenizer_config.json',
      'tokenizer/vocab.json',
      'unet/config.json',
      'unet/model.onnx',
      'vae_decoder/config.json',
      'vae_decoder/model.onnx',
      'vae_encoder/config.json',
      'vae_encoder/model.onnx',
    ]);
    const sizes = await Promise.all(paths.map(async (p) => (await stat(join(dir, p))).size));
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(1024 * 1024);
    expect(await readJson('model_index.json')).toMatchObject({ _class_name: 'ORTStableDiffusionPipeline', unet: ['diffusers', 'OnnxRuntimeModel'] });
    expect(await readJson('scheduler/scheduler_config.json')).toMatchObject({ _class_name: 'PNDMScheduler', prediction_type: 'epsilon', steps_offset: 1 });
    expect(await readJson('vae_decoder/config.json')).toMatchObject({ scaling_factor: 0.18215, block_out_channels: [8, 8, 8, 8] });
    expect(await readJson('vae_encoder/config.json')).toMatchObject({ scaling_factor: 0.18215, latent_channels: 4 });
    expect(await readJson('model_index.json')).toMatchObject({ vae_encoder: ['diffusers', 'OnnxRuntimeModel'] });
  });

  it('writes a CLIP-style BPE vocab whose merges build whole words', async () => {
    const vocab = (await readJson('tokenizer/vocab.json')) as Record<string, number>;
    const [header, ...merges] = (await read('tokenizer/merges.txt')).trimEnd().split('\n');
    expect(header).toBe('#version: 0.2');
    expect(Object.keys(vocab)).toHaveLength(tinyVocabSize);
    expect(await readJson('text_encoder/config.json')).toMatchObject({ vocab_size: tinyVocabSize, hidden_size: 32 });
    expect(vocab['!']).toBe(0);
    expect(vocab['a</w>']).toBe(256 + vocab['a']!);
    expect(vocab['<|startoftext|>']).toBe(tinyVocabSize - 2);
    expect(vocab['<|endoftext|>']).toBe(tinyVocabSize - 1);
    const ranks = new Map(merges.map((m, i) => [m, i]));
    for (const m of merges) expect(vocab[m.replace(' ', '')]).toBeDefined();
    // Plain BPE: merge the lowest-ranked adjacent pair until none is left.
    const bpe = (word: string) => {
      const parts = [...word.slice(0, -1), `${word.at(-1)}</w>`];
      for (;;) {
        const pairs = parts.slice(1).map((p, i) => ranks.get(`${parts[i]} ${p}`) ?? Infinity);
        const best = pairs.indexOf(Math.min(...pairs));
        if (best < 0 || pairs[best] === Infinity) return parts;
        parts.splice(best, 2, parts[best]! + parts[best + 1]!);
      }
    };
    for (const word of ['cat', 'dog', 'photo', 'of', 'moon']) expect(bpe(word)).toEqual([`${word}</w>`]);
  });

  it('text_encoder: input_ids int32 [batch,77] → last_hidden_state [batch,77,32], pooler_output [batch,32]', async () => {
    const s = await session(join(dir, 'text_encoder/model.onnx'));
    expect(signature(s)).toEqual([
      'input_ids int32 [batch_size,77]',
      'last_hidden_state float32 [batch_size,77,32]',
      'pooler_output float32 [batch_size,32]',
    ]);
    const ids = new Int32Array(2 * 77).fill(tinyVocabSize - 1);
    ids.set([tinyVocabSize - 2, 42, tinyVocabSize - 1], 0);
    ids.set([tinyVocabSize - 2, tinyVocabSize - 1], 77);
    const out = await s.run({ input_ids: new ort.Tensor('int32', ids, [2, 77]) });
    expect(out.last_hidden_state?.dims).toEqual([2, 77, 32]);
    expect(out.pooler_output?.dims).toEqual([2, 32]);
    expect(allFinite(out.last_hidden_state) && allFinite(out.pooler_output)).toBe(true);
    const pooled = values(out.pooler_output);
    expect(pooled.slice(0, 32)).not.toEqual(pooled.slice(32));
  });

  const latents = (batch: number, side: number, phase = 0) =>
    f32(Array.from({ length: batch * 4 * side * side }, (_, i) => Math.sin(i * 1.7 + phase)), [batch, 4, side, side]);
  const context = (value: number) => f32(Array.from({ length: 2 * 77 * 32 }, (_, i) => value * Math.cos(i)), [2, 77, 32]);
  const timesteps = (t: number[]) => new ort.Tensor('int64', BigInt64Array.from(t.map(BigInt)), [t.length]);

  it('unet: sample, timestep and encoder_hidden_states → out_sample; each input matters', async () => {
    const s = await session(join(dir, 'unet/model.onnx'));
    expect(signature(s)).toEqual([
      'sample float32 [batch_size,4,height,width]',
      'timestep int64 [steps]',
      'encoder_hidden_states float32 [batch_size,77,32]',
      'out_sample float32 [batch_size,4,height,width]',
    ]);
    const run = async (t: number[], ctx = context(0.5)) =>
      (await s.run({ sample: latents(2, 8), timestep: timesteps(t), encoder_hidden_states: ctx })).out_sample;
    const base = await run([500, 500]);
    expect(base?.dims).toEqual([2, 4, 8, 8]);
    expect(allFinite(base)).toBe(true);
    expect(maxDiff(base, await run([100, 100]))).toBeGreaterThan(1e-3);
    expect(maxDiff(base, await run([500, 500], context(-0.5)))).toBeGreaterThan(1e-3);
    expect(maxDiff(base, await run([500]))).toBe(0); // a [1] timestep broadcasts, as diffusers passes it
  });

  it('unet accepts an int64 or a float32 timestep, as asked', async () => {
    const float = await session(join(await tinyModel({ timestepType: 'float32', predictionType: 'v_prediction' }), 'unet/model.onnx'));
    expect(signature(float)[1]).toBe('timestep float32 [steps]');
    const out = await float.run({ sample: latents(2, 8), timestep: f32([999, 999], [2]), encoder_hidden_states: context(1) });
    expect(allFinite(out.out_sample)).toBe(true);
  });

  it('vae_decoder: latent_sample [batch,4,8,8] → sample [batch,3,64,64] in [-1, 1]', async () => {
    const s = await session(join(dir, 'vae_decoder/model.onnx'));
    expect(signature(s)).toEqual([
      'latent_sample float32 [batch_size,4,height_latent,width_latent]',
      'sample float32 [batch_size,3,height,width]',
    ]);
    const { sample } = await s.run({ latent_sample: latents(2, 8) });
    expect(sample?.dims).toEqual([2, 3, 64, 64]);
    expect(values(sample).every((v) => v >= -1 && v <= 1)).toBe(true);
  });

  it('vae_encoder: sample [batch,3,64,48] → latent_sample [batch,4,8,6]', async () => {
    const s = await session(join(dir, 'vae_encoder/model.onnx'));
    expect(signature(s)).toEqual([
      'sample float32 [batch_size,3,height,width]',
      'latent_sample float32 [batch_size,4,height_latent,width_latent]',
    ]);
    const pixels = Array.from({ length: 2 * 3 * 64 * 48 }, (_, i) => Math.sin(i) * 0.9);
    const { latent_sample } = await s.run({ sample: f32(pixels, [2, 3, 64, 48]) });
    expect(latent_sample?.dims).toEqual([2, 4, 8, 6]);
    expect(allFinite(latent_sample)).toBe(true);
  });

  it('stays finite through a 20-step DDIM loop and decodes', async () => {
    const unet = await session(join(dir, 'unet/model.onnx'));
    const vae = await session(join(dir, 'vae_decoder/model.onnx'));
    const alphaBar: number[] = [];
    for (let t = 0, prod = 1; t < 1000; t++) {
      const beta = (Math.sqrt(0.00085) + (t / 999) * (Math.sqrt(0.012) - Math.sqrt(0.00085))) ** 2;
      alphaBar.push((prod *= 1 - beta));
    }
    let x = latents(2, 8);
    for (let t = 951; t > 0; t -= 50) {
      const eps = values((await unet.run({ sample: x, timestep: timesteps([t, t]), encoder_hidden_states: context(1) })).out_sample);
      const a = alphaBar[t]!;
      const prev = t - 50 > 0 ? alphaBar[t - 50]! : 1;
      x = f32(values(x).map((v, i) => {
        const x0 = (v - Math.sqrt(1 - a) * eps[i]!) / Math.sqrt(a);
        return Math.sqrt(prev) * x0 + Math.sqrt(1 - prev) * eps[i]!;
      }), [2, 4, 8, 8]);
    }
    expect(allFinite(x)).toBe(true);
    const { sample } = await vae.run({ latent_sample: f32(values(x).map((v) => v / 0.18215), [2, 4, 8, 8]) });
    expect(allFinite(sample)).toBe(true);
  });

  it('is deterministic for a seed, and a different seed gives different weights', async () => {
    const [a, b, c] = await Promise.all([tinyModel({ seed: 7 }), tinyModel({ seed: 7 }), tinyModel({ seed: 8 })]);
    for (const path of await listFiles(a)) expect(await readFile(join(b, path))).toEqual(await readFile(join(a, path)));
    for (const path of ['text_encoder/model.onnx', 'unet/model.onnx', 'vae_decoder/model.onnx', 'vae_encoder/model.onnx']) {
      expect((await readFile(join(c, path))).equals(await readFile(join(a, path)))).toBe(false);
    }
  });
});
