/**
 * npm run bench:engine — executor overhead, engine vs hand-written sharp, and cached re-runs.
 * Prints Markdown tables; targets: (a) < 0.1 ms per node, (b) ≤ 1.15×, (c) ≥ 10×.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import { defineNode } from '../nodes/define';
import { NodeRegistry } from '../nodes/node-registry';
import { port } from '../nodes/ports';
import { builtinRegistry } from '../nodes/registry';
import { startRun } from '../engine/executor';
import { MemoryResultCache } from '../engine/result-cache';
import { validateDocument } from '../engine/validate';
import { createLocalServices } from '../server/local-services';
import { median, printTable } from './bench-table';

const incrementNode = defineNode({
  type: 'bench.increment',
  version: 1,
  title: 'Increment',
  category: 'bench',
  inputs: { value: port.number({ optional: true }) },
  params: z.object({ by: z.number().default(1) }),
  outputs: { value: port.number() },
  run: ({ inputs, params }) => ({ value: (inputs.value ?? 0) + params.by }),
});
const benchRegistry = new NodeRegistry([incrementNode]);

// libvips caches operations on the same input file: the hand-written chain, run again on the
// same path, would be timed partly from that cache. Off for both sides, so each run does all its work.
sharp.cache(false);

function chain(length: number) {
  return {
    format: 'pixelwire.graph',
    version: 1,
    nodes: Array.from({ length }, (_, i) => ({ id: `n${i}`, type: 'bench.increment', params: {} })),
    edges: Array.from({ length: length - 1 }, (_, i) => ({
      from: { node: `n${i}`, port: 'value' },
      to: { node: `n${i + 1}`, port: 'value' },
    })),
  };
}

async function overheadPerNode(): Promise<(string | number)[][]> {
  const work = mkdtempSync(join(tmpdir(), 'pw-bench-'));
  const { services } = createLocalServices({ dataDir: work, diskCache: false });
  const doc = chain(1000);
  const rows: (string | number)[][] = [];
  for (const [label, withCache, prevalidated] of [
    ['validate + run, no cache', false, false],
    ['run of a validated plan, no cache', false, true],
    ['validate + run, memory cache (all misses)', true, false],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < 12; i++) {
      const plan = prevalidated ? validateDocument(doc, benchRegistry) : undefined;
      const start = performance.now();
      const handle = startRun({
        registry: benchRegistry,
        document: plan && plan.ok ? plan.plan : doc,
        services,
        cache: withCache ? new MemoryResultCache() : undefined,
        concurrency: 4,
      });
      let events = 0;
      for await (const _ of handle.events) events++;
      const result = await handle.result;
      if (result.status !== 'succeeded') throw new Error(`chain run ${result.status}`);
      if (i >= 2) times.push(performance.now() - start);
      if (events < 3000) throw new Error('missing events');
    }
    const perNode = median(times) / 1000;
    rows.push([label, `${median(times).toFixed(1)} ms`, `${(perNode * 1000).toFixed(1)} µs`, perNode < 0.1 ? 'yes' : 'NO']);
  }
  rmSync(work, { recursive: true, force: true });
  return rows;
}

async function makePhoto(path: string): Promise<void> {
  // A 4000×3000 JPEG with texture (noise over gradients), like a camera photo.
  const width = 4000;
  const height = 3000;
  const noise = await sharp({ create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .raw()
    .toBuffer();
  await sharp(noise, { raw: { width, height, channels: 3 } }).blur(1.2).jpeg({ quality: 90 }).toFile(path);
}

function pipelineDoc(quality: number) {
  return {
    format: 'pixelwire.graph',
    version: 1,
    nodes: [
      { id: 'load', type: 'image.load', params: { source: 'file', path: 'photo.jpg' } },
      { id: 'resize', type: 'image.resize', params: { width: 2000, kernel: 'lanczos3' } },
      { id: 'blur', type: 'image.blur', params: { sigma: 2 } },
      { id: 'sharpen', type: 'image.sharpen', params: { sigma: 1 } },
      { id: 'save', type: 'image.save', params: { format: 'jpeg', quality } },
    ],
    edges: [
      ['load', 'resize'],
      ['resize', 'blur'],
      ['blur', 'sharpen'],
      ['sharpen', 'save'],
    ].map(([a, b]) => ({ from: { node: a, port: 'image' }, to: { node: b, port: 'image' } })),
  };
}

async function engineVersusSharp(): Promise<{ rows: (string | number)[][]; rerun: (string | number)[][] }> {
  const work = mkdtempSync(join(tmpdir(), 'pw-bench-'));
  const photo = join(work, 'photo.jpg');
  await makePhoto(photo);
  const { services } = createLocalServices({ dataDir: join(work, 'data'), filesRoot: work, diskCache: false });

  const runEngine = async (quality: number, cache?: MemoryResultCache) => {
    const start = performance.now();
    const result = await startRun({ registry: builtinRegistry, document: pipelineDoc(quality), services, cache }).result;
    if (result.status !== 'succeeded') throw new Error(JSON.stringify(result.errors));
    return performance.now() - start;
  };
  const runSharp = async (quality: number) => {
    const start = performance.now();
    const bytes = await sharp(photo).resize({ width: 2000, kernel: 'lanczos3' }).blur(2).sharpen({ sigma: 1 }).jpeg({ quality }).toBuffer();
    await services.artifacts.put(bytes, { mediaType: 'image/jpeg' });
    return performance.now() - start;
  };

  const engine: number[] = [];
  const handWritten: number[] = [];
  await runEngine(90);
  await runSharp(90);
  for (let i = 0; i < 7; i++) {
    handWritten.push(await runSharp(80 + i));
    engine.push(await runEngine(80 + i));
  }
  const ratio = median(engine) / median(handWritten);
  const rows = [
    ['hand-written sharp chain', `${median(handWritten).toFixed(0)} ms`, '1.00×', ''],
    ['Pixelwire graph (5 nodes)', `${median(engine).toFixed(0)} ms`, `${ratio.toFixed(2)}×`, ratio <= 1.15 ? 'yes' : 'NO'],
  ];

  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    const cache = new MemoryResultCache();
    cold.push(await runEngine(70, cache));
    warm.push(await runEngine(71 + i, cache));
  }
  const speedup = median(cold) / median(warm);
  const rerun = [
    ['cold run (empty cache)', `${median(cold).toFixed(0)} ms`, ''],
    ['re-run, only save.quality changed', `${median(warm).toFixed(0)} ms`, `${speedup.toFixed(1)}× faster ${speedup >= 10 ? '(yes)' : '(NO)'}`],
  ];
  rmSync(work, { recursive: true, force: true });
  return { rows, rerun };
}

const overhead = await overheadPerNode();
printTable('(a) Executor overhead, 1,000-node chain of a trivial node (median of 10)', ['case', 'total', 'per node', '< 0.1 ms'], overhead);
const { rows, rerun } = await engineVersusSharp();
printTable('(b) 4000×3000 JPEG: load → resize 2000 → blur σ2 → sharpen → save JPEG (median of 7)', ['pipeline', 'time', 'ratio', '≤ 1.15×'], rows);
printTable('(c) Re-run after changing only the last node (median of 5)', ['run', 'time', 'speed-up'], rerun);
