/**
 * Diffusion benches, shared by `npm run bench:models` and `npm run bench:diffusion`:
 * - speed: time per step of diffusion.sample (the node, with its per-step preview and
 *   progress) and of the bare sampling loop, against a bare onnxruntime session.run of the
 *   same UNet file with the same batch of 2 (classifier-free guidance); samples per second.
 * - quality: every Fashion-MNIST class sampled with fashion-unet and labelled by the
 *   exported classifier (models/classifier/fashion-cnn.onnx): per-class recognition rate.
 */
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { createHarness, runNode } from '../test/helpers/node-harness';
import { loadDiffusionModel } from '../nodes/_impl/diffusion/load-model';
import { getModelRuntime } from '../nodes/_impl/models/model-runtime';
import { sample } from '../nodes/_impl/diffusion/sample';
import type { SchedulerName } from '../nodes/_impl/diffusion/schedulers';
import { diffusionSampleNode } from '../nodes/diffusion/sample.node.ts';
import { median, printTable } from './bench-table';

const repoModels = resolve(import.meta.dirname, '../models');
const modelName = 'fashion-unet';

/** The repository's models folder (fashion-unet and its classifier), whatever other benches pointed PIXELWIRE_MODELS_DIR at. */
function modelsDir(): string {
  process.env.PIXELWIRE_MODELS_DIR = process.env.PW_BENCH_DIFFUSION_MODELS ?? repoModels;
  return process.env.PIXELWIRE_MODELS_DIR;
}

export interface SpeedOptions {
  steps?: number;
  rounds?: number;
}

/** Per-step time: node and loop against bare session.run, interleaved round by round so load drifts hit all three alike. */
export async function diffusionSpeedBench({ steps = 20, rounds = 60 }: SpeedOptions = {}): Promise<void> {
  const dir = join(modelsDir(), 'diffusion', modelName);
  const model = await loadDiffusionModel(modelName);
  const shape = model.sampleShape(0, 0);
  const cond = await model.condition({ classLabel: 'Sneaker', prompt: '', negativePrompt: '' });
  // The very session the nodes use, called directly: what is left is our code's overhead. (A second
  // session in the same process would bring a second thread pool, whose idle spinning slows the other.)
  const { session: bare } = await getModelRuntime().load(join(dir, 'model.onnx'), { what: 'fashion-unet', getFrom: 'the repository' });
  const n = shape[0] * shape[1] * shape[2];
  const feeds = {
    x: new ort.Tensor('float32', new Float32Array(2 * n).fill(0.1), [2, ...shape]),
    t: new ort.Tensor('int64', BigInt64Array.from([500n, 500n]), [2]),
    y: new ort.Tensor('int64', BigInt64Array.from([7n, 10n]), [2]),
  };
  const params = { scheduler: 'ddim' as const, steps, guidance: 3, seed: 1, eta: 0, clip: true, spacing: 'trailing' as const };
  const harness = createHarness();
  // Warm-up: first runs allocate arenas.
  for (let i = 0; i < 10; i++) await bare.run(feeds);
  await sample(model, { ...params, shape, cond });
  await runNode(diffusionSampleNode, {}, { ...params, classLabel: 'Sneaker' }, harness);

  const bareMs: number[] = [];
  const loopMs: number[] = [];
  const nodeMs: number[] = [];
  const marginalMs: number[] = [];
  const fixedMs: number[] = [];
  const timeNode = async (n: number, seed: number) => {
    const started = performance.now();
    await runNode(diffusionSampleNode, {}, { ...params, steps: n, seed, classLabel: 'Sneaker' }, harness);
    return performance.now() - started;
  };
  for (let round = 0; round < rounds; round++) {
    let started = performance.now();
    for (let i = 0; i < steps; i++) await bare.run(feeds);
    bareMs.push((performance.now() - started) / steps);
    started = performance.now();
    await sample(model, { ...params, seed: round, shape, cond });
    loopMs.push((performance.now() - started) / steps);
    const once = await timeNode(steps, round);
    const twice = await timeNode(2 * steps, round);
    nodeMs.push(once / steps);
    // Twice the steps, same fixed costs: the difference is what each step costs in the node.
    marginalMs.push((twice - once) / steps);
    fixedMs.push(once - ((twice - once) / steps) * steps);
  }
  const base = median(bareMs);
  const row = (what: string, ms: number[], perSample = true) => {
    const m = median(ms);
    return [what, `${(m * 1000).toFixed(0)} µs`, ms === bareMs ? '—' : `${(((m - base) / base) * 100).toFixed(1)} %`, perSample ? (1000 / (m * steps)).toFixed(1) : ''];
  };
  printTable(
    `(3a) diffusion speed: fashion-unet (28×28, batch 2 for guidance), DDIM ${steps} steps, CPU (${model.provider}); medians of ${rounds} interleaved rounds. Target: per-step overhead ≤ 5 % of the bare session.run`,
    ['what', 'time per step', 'overhead vs bare', 'samples/s'],
    [
      row('bare session.run (the same session, same batch)', bareMs),
      row('sampling loop (guidance, DDIM update, x0 for the preview)', loopMs),
      row(`diffusion.sample node, per step of a ${steps}-step run (with its fixed costs)`, nodeMs),
      row(`diffusion.sample node, each step (${2 * steps}-step run minus ${steps}-step run; preview image + progress included)`, marginalMs, false),
    ],
  );
  console.log(
    `\nFixed cost per node run (model folder check, conditioning, output image and its artifact): ${median(fixedMs).toFixed(2)} ms, i.e. ${(median(fixedMs) / (base * steps) * 100).toFixed(1)} % of a ${steps}-step sample's UNet time.`,
  );
}

export interface QualityOptions {
  seeds?: number;
  steps?: number;
  guidance?: number;
  scheduler?: SchedulerName;
}

/** Samples each class `seeds` times and labels the results with the exported classifier. */
export async function diffusionQualityBench({ seeds = 8, steps = 20, guidance = 3, scheduler = 'ddim' }: QualityOptions = {}): Promise<void> {
  modelsDir();
  const model = await loadDiffusionModel(modelName);
  const shape = model.sampleShape(0, 0);
  const description = model.describe();
  const classes = description.classes as string[];
  const classifier = await ort.InferenceSession.create(join(modelsDir(), 'classifier', 'fashion-cnn.onnx'));
  const rows: (string | number)[][] = [];
  let correct = 0;
  let total = 0;
  for (const name of classes) {
    const labels: string[] = [];
    const cond = await model.condition({ classLabel: name, prompt: '', negativePrompt: '' });
    const started = performance.now();
    for (let seed = 1; seed <= seeds; seed++) {
      const x = await sample(model, { shape, cond, scheduler, steps, guidance, seed, eta: 0, clip: true, spacing: 'trailing' });
      const out = await classifier.run({ x: new ort.Tensor('float32', x.map((v) => Math.max(-1, Math.min(1, v))), [1, ...shape]) });
      const logits = Array.from(out.logits!.data as Float32Array);
      labels.push(classes[logits.indexOf(Math.max(...logits))]!);
    }
    const ms = (performance.now() - started) / seeds;
    const hits = labels.filter((l) => l === name).length;
    correct += hits;
    total += seeds;
    const others = [...new Set(labels.filter((l) => l !== name))].join(', ');
    rows.push([name, `${hits}/${seeds}`, ms.toFixed(0), others || '—']);
  }
  rows.push(['all classes', `${correct}/${total} (${((100 * correct) / total).toFixed(0)} %)`, '', '']);
  printTable(
    `(3b) diffusion quality: fashion-unet samples labelled by the Fashion-MNIST classifier (86.8 % on real test images), ${scheduler} ${steps} steps, guidance ${guidance}, seeds 1–${seeds}`,
    ['class', 'recognised', 'ms/sample', 'mistaken for'],
    rows,
  );
  await classifier.release();
}
