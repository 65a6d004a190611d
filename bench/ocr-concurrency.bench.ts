/**
 * npm run bench:ocr-concurrency — one graph of many ocr.read nodes (one per generated text image,
 * each image.load → ocr.read), run with engine concurrency 1 and 2 under several model budgets.
 * Each configuration runs in its own process (onnxruntime's thread pools are per process), after a
 * warm-up read that loads the models; no result cache. Target: the default budget at concurrency 2
 * is no slower than concurrency 1.
 * PW_BENCH_OCR_IMAGES (default 20) sets the number of images, PW_BENCH_OCR_ROUNDS (default 1) the
 * interleaved rounds per configuration (the table shows the fastest).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { printTable } from './bench-table';
import { english } from './ocr-texts';

const lines = english;
const fonts = ['DejaVu Sans', 'DejaVu Serif', 'DejaVu Sans Mono'];
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `count` PNGs of eight lines of text each (a short letter or receipt), deterministic. */
async function makeImages(dir: string, count: number): Promise<{ path: string; truth: string }[]> {
  const images: { path: string; truth: string }[] = [];
  for (let i = 0; i < count; i++) {
    const text = Array.from({ length: 8 }, (_, j) => lines[(3 * i + j) % lines.length]!);
    const size = 26 + (i % 5) * 4;
    const font = fonts[i % fonts.length]!;
    const width = Math.round(Math.max(...text.map((t) => t.length)) * size * 0.62 + 2 * size + 40);
    const height = Math.round(text.length * size * 1.6 + 2 * size);
    const body = text
      .map((t, j) => `<text x="${size + 20}" y="${(size * 1.8 + j * size * 1.6).toFixed(1)}" font-family="${font}" font-size="${size}" fill="#141414">${escapeXml(t)}</text>`)
      .join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fbfaf7"/>${body}</svg>`;
    const path = join(dir, `text-${String(i).padStart(2, '0')}.png`);
    await sharp(Buffer.from(svg)).removeAlpha().png().toFile(path);
    images.push({ path: `text-${String(i).padStart(2, '0')}.png`, truth: text.join('\n') });
  }
  return images;
}

interface ChildResult {
  seconds: number;
  /** CPU time (user + system) the process spent on the timed run: spinning or contended threads show up here. */
  cpuSeconds: number;
  texts: string[];
  threads: number;
  slots: number;
}

/** In a child: warm up, then run the whole graph once and print the time and the texts. */
async function child(dir: string, count: number, concurrency: number): Promise<void> {
  const { startRun } = await import('../engine/executor');
  const { builtinRegistry } = await import('../nodes/registry.ts');
  const { createFileRoot } = await import('../server/storage/file-root');
  const { DiskArtifactStore } = await import('../server/storage/disk-artifact-store');
  const { getModelRuntime } = await import('../nodes/_impl/models/model-runtime');
  const { graph } = await import('../test/helpers/graph-builder');
  const services = { artifacts: new DiskArtifactStore(join(dir, 'artifacts')), files: createFileRoot(dir) };
  const document = (n: number) => {
    const ids = Array.from({ length: n }, (_, i) => String(i).padStart(2, '0'));
    return graph(
      ids.flatMap((id) => [
        { id: `load${id}`, type: 'image.load', params: { source: 'file', path: `text-${id}.png` } },
        { id: `ocr${id}`, type: 'ocr.read' },
      ]),
      ids.map((id) => `load${id}.image -> ocr${id}.image`),
      { outputs: ids.map((id) => ({ name: `text${id}`, kind: 'text' as const, source: { node: `ocr${id}`, port: 'text' } })) },
    );
  };
  const run = async (n: number) => {
    const result = await startRun({ registry: builtinRegistry, document: document(n), services, concurrency }).result;
    if (result.status !== 'succeeded') throw new Error(`run ${result.status}: ${JSON.stringify(result.errors).slice(0, 300)}`);
    return result;
  };
  await run(1); // loads the three OCR models
  const start = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await run(count);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const texts = Array.from({ length: count }, (_, i) => String(result.outputs[`text${String(i).padStart(2, '0')}`] ?? ''));
  const { threads, slots } = getModelRuntime().config;
  console.log(JSON.stringify({ seconds, cpuSeconds, texts, threads, slots } satisfies ChildResult));
}

interface Config {
  label: string;
  concurrency: number;
  env: Record<string, string>;
}

function runChild(dir: string, count: number, config: Config): Promise<ChildResult> {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', dir, String(count), String(config.concurrency)], {
      env: { ...process.env, PIXELWIRE_MODEL_SLOTS: '', PIXELWIRE_MODEL_THREADS: '', PIXELWIRE_ORT_SPIN: '', ...config.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    proc.stdout.on('data', (d: Buffer) => (text += d.toString()));
    proc.on('error', fail);
    proc.on('close', (code) => (code === 0 ? done(JSON.parse(text.trim().split('\n').pop()!)) : fail(new Error(`${config.label}: child exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const count = Math.max(1, Number(process.env.PW_BENCH_OCR_IMAGES ?? 20));
  const rounds = Math.max(1, Number(process.env.PW_BENCH_OCR_ROUNDS ?? 1));
  const cores = availableParallelism();
  const dir = mkdtempSync(join(tmpdir(), 'pw-ocr-concurrency-'));
  try {
    const images = await makeImages(dir, count);
    const configs: Config[] = [
      { label: 'concurrency 1, default budget', concurrency: 1, env: {} },
      { label: 'concurrency 2, default budget', concurrency: 2, env: {} },
      { label: 'concurrency 2, default budget, PIXELWIRE_ORT_SPIN=0', concurrency: 2, env: { PIXELWIRE_ORT_SPIN: '0' } },
      { label: `concurrency 2, ${cores} slots × 1 thread`, concurrency: 2, env: { PIXELWIRE_MODEL_SLOTS: String(cores), PIXELWIRE_MODEL_THREADS: '1' } },
      { label: `concurrency 2, 2 slots × ${cores} threads (no budget, as before)`, concurrency: 2, env: { PIXELWIRE_MODEL_SLOTS: '2', PIXELWIRE_MODEL_THREADS: String(cores) } },
    ];
    const load = loadavg()[0]!;
    const results = new Map<Config, ChildResult[]>(configs.map((c) => [c, []]));
    for (let round = 0; round < rounds; round++) {
      for (const config of configs) results.get(config)!.push(await runChild(dir, count, config));
    }
    const best = (config: Config) => results.get(config)!.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const base = best(configs[0]!).seconds;
    const reference = best(configs[0]!).texts;
    printTable(
      `ocr.read × ${count} images (${images.length} PNGs, 8 lines each), one graph, no cache; ${cores} cores; fastest of ${rounds} round(s); load average ${load.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after`,
      ['configuration', 'model slots × threads', 'time', 'images/s', 'vs concurrency 1', 'CPU time', 'same texts'],
      configs.map((config) => {
        const r = best(config);
        return [
          config.label,
          `${r.slots} × ${r.threads}`,
          `${r.seconds.toFixed(1)} s`,
          (count / r.seconds).toFixed(2),
          `${(r.seconds / base).toFixed(2)}×`,
          `${r.cpuSeconds.toFixed(1)} s`,
          r.texts.every((t, i) => t === reference[i]) ? 'yes' : 'no',
        ];
      }),
    );
    const lineErrors = images.filter((image, i) => reference[i] !== image.truth).length;
    console.log(`\n${count - lineErrors}/${count} images read exactly (concurrency 1).`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]));
else await main();
