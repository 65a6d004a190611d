/**
 * Samples every Fashion-MNIST class with the exported fashion-unet and labels the results
 * with the exported classifier: per-class recognition rate and time per sample.
 *   npx tsx bench/diffusion.bench.ts [--seeds 8] [--steps 20] [--guidance 3] [--scheduler ddim]
 */
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { classId, loadDiffusionModel } from '../nodes/_impl/diffusion/model';
import { sample } from '../nodes/_impl/diffusion/sample';
import type { SchedulerName } from '../nodes/_impl/diffusion/schedulers';
import { printTable } from './bench-table';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const seeds = Number(arg('seeds', '8'));
const steps = Number(arg('steps', '20'));
const guidance = Number(arg('guidance', '3'));
const scheduler = arg('scheduler', 'ddim') as SchedulerName;

process.env.PIXELWIRE_MODELS_DIR ??= resolve('models');
const model = await loadDiffusionModel('fashion-unet');
const classifier = await ort.InferenceSession.create(join(process.env.PIXELWIRE_MODELS_DIR, 'classifier', 'fashion-cnn.onnx'));
const rows: (string | number)[][] = [];
let correct = 0;
let total = 0;
for (const name of model.manifest.classes) {
  const labels: string[] = [];
  const started = performance.now();
  for (let seed = 1; seed <= seeds; seed++) {
    const x = await sample(model, { scheduler, steps, guidance, seed, cls: classId(model.manifest, name), eta: 0, clip: true, spacing: 'trailing' });
    const out = await classifier.run({ x: new ort.Tensor('float32', x.map((v) => Math.max(-1, Math.min(1, v))), [1, 1, 28, 28]) });
    const logits = Array.from(out.logits!.data as Float32Array);
    labels.push(model.manifest.classes[logits.indexOf(Math.max(...logits))]!);
  }
  const ms = (performance.now() - started) / seeds;
  const hits = labels.filter((l) => l === name).length;
  correct += hits;
  total += seeds;
  const others = [...new Set(labels.filter((l) => l !== name))].join(', ');
  rows.push([name, `${hits}/${seeds}`, ms.toFixed(0), others || '—']);
}
printTable(`fashion-unet, ${scheduler} ${steps} steps, guidance ${guidance}, CPU (${model.provider})`, ['class', 'recognised', 'ms/sample', 'mistaken for'], rows);
console.log(`\noverall ${correct}/${total} (${((100 * correct) / total).toFixed(0)}%)`);
