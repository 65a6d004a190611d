/**
 * npm run bench:server — the server on its embedded default: PGlite in a temp folder, the in-process
 * worker pool (PIXELWIRE_WORKERS, default 2), the real HTTP server (listen + createApiHandler) in a
 * child process of its own, driven over HTTP from this one. Prints Markdown tables:
 * (a) preview latency, node finished → SSE client, 4000×3000 photo (target p95 < 100 ms), with a breakdown;
 * (b) save and load of a 500-node graph through tRPC;
 * (c) 50 concurrent small runs: all succeed, wall time, runs/s, peak RSS of the server and its workers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { fromSharp, toSharp } from '../nodes/_impl/pixel-image';
import { createApp } from '../server/app';
import { serverConfigFromEnv } from '../server/config';
import { databaseConfigFromEnv } from '../server/db/config';
import { createApiHandler } from '../server/http/api-handler';
import { listen } from '../server/http/node-adapter';
import { storePreview } from '../server/runs/preview';
import type { WireEvent } from '../server/runs/wire-events';
import { DiskArtifactStore } from '../server/storage/disk-artifact-store';
import { readSse, signedUpClient, type TestClient } from '../test/helpers/server-harness';
import { median, percentile, printTable } from './bench-table';

type Row = (string | number)[];
const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
const log = (text: string) => process.stderr.write(`… ${text}\n`);

// ---------------------------------------------------------------------------------------------
// The server process: `tsx bench/server.bench.ts --serve <dataDir>` (spawned below).

async function serve(dataDir: string): Promise<void> {
  const app = await createApp({
    config: serverConfigFromEnv({ ...process.env, PIXELWIRE_DATA_DIR: dataDir }),
    database: databaseConfigFromEnv({ PIXELWIRE_DATA_DIR: dataDir }),
  });
  const http = await listen(createApiHandler(app));
  console.log(`READY ${http.url}`);
  process.on('SIGTERM', () => {
    void (async () => {
      await http.close();
      await app.close();
      process.exit(0);
    })();
  });
}

interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function startServer(dataDir: string): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('READY ')) resolve(line.slice(6));
    });
  });
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Memory of a process tree, from /proc (Linux).

interface TreeMemory {
  server: number;
  workers: number;
  other: number;
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The worker processes below the server (their command line names worker-bootstrap). */
function workerPids(root: number): number[] {
  return childrenOf(root).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('worker-bootstrap');
    } catch {
      return false;
    }
  });
}

function childrenOf(pid: number): number[] {
  const found: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text) found.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // Gone, or no /proc.
  }
  return found;
}

function rssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function treeMemory(root: number): TreeMemory {
  const memory: TreeMemory = { server: rssBytes(root), workers: 0, other: 0 };
  const stack = childrenOf(root);
  while (stack.length > 0) {
    const pid = stack.pop()!;
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmd.includes('worker-bootstrap')) memory.workers += rssBytes(pid);
    else memory.other += rssBytes(pid);
    stack.push(...childrenOf(pid));
  }
  return memory;
}

/** Samples the tree every 20 ms; stop() gives the peak of the total and of each part. */
function sampleMemory(root: number) {
  const peak = { total: 0, server: 0, workers: 0, other: 0 };
  const sample = () => {
    const m = treeMemory(root);
    peak.total = Math.max(peak.total, m.server + m.workers + m.other);
    peak.server = Math.max(peak.server, m.server);
    peak.workers = Math.max(peak.workers, m.workers);
    peak.other = Math.max(peak.other, m.other);
  };
  sample();
  const timer = setInterval(sample, 20);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

// ---------------------------------------------------------------------------------------------
// HTTP helpers: a script's view of the API (an API token), and tRPC with a session.

interface Api {
  token: string;
  json<T>(path: string, init?: RequestInit): Promise<T>;
  upload(bytes: Buffer, mediaType: string): Promise<{ id: string; sha256: string }>;
  startRun(graphId: string, inputs: Record<string, unknown>): Promise<{ id: string }>;
  /** The run's events until `event: end`, each with the client's Date.now() when it arrived. */
  events(runId: string): Promise<{ event: WireEvent; receivedAt: number }[]>;
}

function apiFor(url: string, token: string): Api {
  const headers = { authorization: `Bearer ${token}` };
  const json = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${url}${path}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });
    const body = await response.json();
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${JSON.stringify(body)}`);
    return body as T;
  };
  return {
    token,
    json,
    async upload(bytes, mediaType) {
      const { file } = await json<{ file: { id: string; sha256: string } }>('/api/v1/artifacts', {
        method: 'POST',
        headers: { 'content-type': mediaType },
        body: new Uint8Array(bytes),
      });
      return file;
    },
    startRun: (graphId, inputs) =>
      json(`/api/v1/graphs/${graphId}/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs }) }),
    async events(runId) {
      const response = await fetch(`${url}/api/v1/runs/${runId}/events`, { headers });
      if (!response.ok) throw new Error(`events of ${runId}: ${response.status}`);
      const out: { event: WireEvent; receivedAt: number }[] = [];
      await readSse(response, (e) => {
        if (e.event === 'end') return true;
        out.push({ event: JSON.parse(e.data) as WireEvent, receivedAt: Date.now() });
        return false;
      });
      return out;
    },
  };
}

async function signedUp(url: string): Promise<{ client: TestClient; api: Api }> {
  const client = await signedUpClient({ url }, 'bench');
  const { token } = await client.trpc.tokens.create.mutate({ name: 'bench' });
  return { client, api: apiFor(url, token) };
}

const image = (node: string, port = 'image') => ({ node, port });

// ---------------------------------------------------------------------------------------------
// (c) 50 concurrent runs of upload 256×256 → blur → resize.

async function concurrentRuns(server: Server, api: Api, client: TestClient): Promise<{ rows: Row[]; phases: Row[]; memory: Row[] }> {
  const count = 50;
  const { graph } = await client.trpc.graphs.create.mutate({
    name: 'small',
    document: {
      format: 'pixelwire.graph',
      version: 1,
      nodes: [
        { id: 'blur', type: 'image.blur', params: { sigma: 1.5 } },
        { id: 'resize', type: 'image.resize', params: { width: 128 } },
      ],
      edges: [{ from: image('blur'), to: image('resize') }],
      inputs: [{ name: 'photo', kind: 'image', targets: [image('blur')] }],
      outputs: [{ name: 'thumb', kind: 'image', source: image('resize') }],
    },
  });
  // A different picture per run, so no run is answered from the result cache.
  const picture = (i: number) =>
    sharp({ create: { width: 256, height: 256, channels: 3, background: { r: i % 256, g: 128, b: 255 - (i % 256) }, noise: { type: 'gaussian', mean: 128, sigma: 30 } } })
      .png()
      .toBuffer();
  const pictures = await Promise.all(Array.from({ length: count }, (_, i) => picture(i)));

  interface RunRecord {
    status: string;
    outputs: Record<string, { width: number }> | null;
    createdAt: string;
    startedAt: string | null;
  }
  const oneRun = async (bytes: Buffer) => {
    const t0 = performance.now();
    const file = await api.upload(bytes, 'image/png');
    const uploaded = performance.now();
    const run = await api.startRun(graph.id, { photo: file.id });
    const events = await api.events(run.id);
    const ended = Date.now();
    const final = await api.json<RunRecord>(`/api/v1/runs/${run.id}`);
    const finished = events.at(-1)?.event;
    return {
      final,
      ok: final.status === 'succeeded' && final.outputs?.thumb?.width === 128 && finished?.type === 'run.finished',
      total: performance.now() - t0,
      upload: uploaded - t0,
      queued: final.startedAt ? Date.parse(final.startedAt) - Date.parse(final.createdAt) : NaN,
      executing: finished?.type === 'run.finished' ? finished.durationMs : NaN,
      // From the engine's run.finished to the stream's end: final outputs, IPC, events and outcome written to the database.
      settling: events.at(-1)?.event.at === undefined ? NaN : ended - events.at(-1)!.event.at!,
    };
  };

  // The pool starts its workers on demand: two runs at once start both (timed: a fresh server's first run).
  const cold = await Promise.all([oneRun(await picture(1000)), oneRun(await picture(1001))]);
  if (!cold.every((r) => r.ok)) throw new Error('the warm-up runs failed');

  const workerCpu = () => workerPids(server.pid).reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const cpuBefore = { server: cpuSeconds(server.pid), workers: workerCpu() };
  const before = treeMemory(server.pid);
  const memory = sampleMemory(server.pid);
  const started = performance.now();
  const results = await Promise.all(pictures.map(oneRun));
  const wall = performance.now() - started;
  const peak = memory.stop();
  const cpu = { server: cpuSeconds(server.pid) - cpuBefore.server, workers: workerCpu() - cpuBefore.workers };
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) throw new Error(`${failed.length} of ${count} runs did not succeed: ${JSON.stringify(failed[0]!.final)}`);
  const workers = process.env.PIXELWIRE_WORKERS ?? '2';
  const stat = (values: number[]) => [ms(median(values)), ms(percentile(values, 95))];
  return {
    rows: [
      [`${count} at once: upload → run → SSE to end → GET run`, workers, `${results.length}/${count}`, ms(wall), (count / (wall / 1000)).toFixed(1), ...stat(results.map((r) => r.total))],
      ['first 2 runs on the fresh server (workers start)', workers, `${cold.length}/2`, ms(Math.max(...cold.map((r) => r.total))), '', '', ''],
    ],
    phases: [
      ['upload (POST /api/v1/artifacts, 256×256 PNG)', ...stat(results.map((r) => r.upload))],
      ['waiting for a free worker (startedAt − createdAt)', ...stat(results.map((r) => r.queued))],
      ['executing in the worker (run.finished durationMs)', ...stat(results.map((r) => r.executing))],
      ['engine run.finished → client sees `end` (events and outcome stored)', ...stat(results.map((r) => r.settling))],
    ],
    memory: [
      ['RSS before (2 runs done)', mib(before.server), mib(before.workers), mib(before.other), mib(before.server + before.workers + before.other)],
      ['peak RSS (sampled every 20 ms)', mib(peak.server), mib(peak.workers), mib(peak.other), mib(peak.total)],
      [`CPU time during the ${(wall / 1000).toFixed(1)} s`, `${cpu.server.toFixed(1)} s`, `${cpu.workers.toFixed(1)} s`, '', `${(cpu.server + cpu.workers).toFixed(1)} s`],
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// (b) A 500-node graph: create, save a version, get, through tRPC over HTTP.

function bigGraph(size: number, variant: number) {
  const kinds = [
    { type: 'image.blur', params: (i: number) => ({ sigma: 1 + ((i + variant) % 7) / 2 }) },
    { type: 'image.sharpen', params: () => ({}) },
    { type: 'image.adjust', params: (i: number) => ({ brightness: 1 + ((i + variant) % 5) / 10, contrast: 1.1 }) },
    { type: 'image.invert', params: () => ({}) },
    { type: 'image.grayscale', params: () => ({}) },
  ];
  return {
    format: 'pixelwire.graph',
    version: 1,
    metadata: { name: `big ${variant}` },
    nodes: Array.from({ length: size }, (_, i) => {
      const kind = kinds[i % kinds.length]!;
      return { id: `n${i}`, type: kind.type, params: kind.params(i), position: { x: (i % 25) * 220, y: Math.floor(i / 25) * 160 }, label: `step ${i}` };
    }),
    edges: Array.from({ length: size - 1 }, (_, i) => ({ from: image(`n${i}`), to: image(`n${i + 1}`) })),
    inputs: [{ name: 'photo', kind: 'image', targets: [image('n0')] }],
    outputs: [{ name: 'result', kind: 'image', source: image(`n${size - 1}`) }],
    ui: { viewport: { x: 0, y: 0, zoom: 0.5 } },
  };
}

async function bigGraphSaveLoad(client: TestClient): Promise<Row[]> {
  const size = 500;
  const create: number[] = [];
  const save: number[] = [];
  const get: number[] = [];
  const rounds = 12;
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    const { graph, problems } = await client.trpc.graphs.create.mutate({ name: `big ${i}`, document: bigGraph(size, i) });
    const createMs = performance.now() - t;
    if (problems.length > 0) throw new Error(`the 500-node graph has problems: ${problems[0]!.message}`);
    t = performance.now();
    const saved = await client.trpc.graphs.save.mutate({ graphId: graph.id, baseVersion: 1, document: bigGraph(size, i + 1), message: 'edit' });
    const saveMs = performance.now() - t;
    t = performance.now();
    const loaded = await client.trpc.graphs.get.query({ graphId: graph.id });
    const getMs = performance.now() - t;
    if (saved.version.number !== 2 || loaded.version.number !== 2 || (loaded.version.document as { nodes: unknown[] }).nodes.length !== size) {
      throw new Error('the 500-node graph did not round-trip');
    }
    // The first two rounds warm up the server (JIT, prepared statements).
    if (i >= 2) {
      create.push(createMs);
      save.push(saveMs);
      get.push(getMs);
    }
  }
  const bytes = JSON.stringify(bigGraph(size, 0)).length;
  return [
    [`graphs.create (${size} nodes, ${(bytes / 1024).toFixed(0)} KiB JSON)`, ms(median(create)), ms(percentile(create, 95))],
    ['graphs.save (version 2)', ms(median(save)), ms(percentile(save, 95))],
    ['graphs.get (head)', ms(median(get)), ms(percentile(get, 95))],
    ['create + save + get', ms(median(create) + median(save) + median(get)), ''],
  ];
}

// ---------------------------------------------------------------------------------------------
// (a) Node finished → SSE event with the output's preview, on a 4000×3000 photo.

async function makePhoto(): Promise<Buffer> {
  // A 4000×3000 JPEG with texture (noise over a blur), like a camera photo (as in bench:engine).
  const [width, height] = [4000, 3000];
  const noise = await sharp({ create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .raw()
    .toBuffer();
  return sharp(noise, { raw: { width, height, channels: 3 } }).blur(1.2).jpeg({ quality: 90 }).toBuffer();
}

async function previewLatency(api: Api, client: TestClient, photo: Buffer): Promise<{ rows: Row[]; breakdown: Row[]; levels: Row[] }> {
  const file = await api.upload(photo, 'image/jpeg');
  const { graph } = await client.trpc.graphs.create.mutate({
    name: 'latency',
    document: {
      format: 'pixelwire.graph',
      version: 1,
      nodes: [{ id: 'adjust', type: 'image.adjust', params: {} }],
      inputs: [
        { name: 'photo', kind: 'image', targets: [image('adjust')] },
        { name: 'brightness', kind: 'number', targets: [{ node: 'adjust', param: 'brightness' }] },
      ],
      outputs: [{ name: 'result', kind: 'image', source: image('adjust') }],
    },
  });
  const started: number[] = [];
  const previewed: number[] = [];
  const finished: number[] = [];
  const nodeMs: number[] = [];
  const samples = 24;
  for (let i = -2; i < samples; i++) {
    // A new brightness per run: a cache miss every time.
    const run = await api.startRun(graph.id, { photo: file.id, brightness: 1 + (i + 3) / 1000 });
    const events = await api.events(run.id);
    const of = (type: WireEvent['type']) => events.find((e) => e.event.type === type && 'nodeId' in e.event && e.event.nodeId === 'adjust');
    const start = of('node.started');
    const end = of('node.finished');
    if (!start || !end || end.event.type !== 'node.finished' || !('preview' in (end.event.outputs.image ?? {}))) throw new Error('no node.finished with a preview');
    if (end.event.at === undefined || start.event.at === undefined) throw new Error('events carry no `at`');
    // The output's preview is sent before the full PNG; its `at` is the engine's node.finished.
    const preview = events.find((e) => e.event.type === 'node.preview' && e.event.nodeId === 'adjust' && e.event.label === 'image');
    if (!preview || preview.event.at === undefined) throw new Error('no output preview event');
    if (i < 0) continue;
    started.push(start.receivedAt - start.event.at);
    previewed.push(preview.receivedAt - preview.event.at);
    finished.push(end.receivedAt - end.event.at);
    nodeMs.push(end.event.durationMs);
  }
  const p95 = percentile(previewed, 95);
  const rows: Row[] = [
    ['node.started (no image: IPC → event log → SSE)', samples, ms(median(started)), ms(percentile(started, 95)), ''],
    ['node.preview of the output (node finished → client)', samples, ms(median(previewed)), ms(p95), p95 < 100 ? 'yes' : 'NO'],
    ['node.finished with the full-size PNG stored', samples, ms(median(finished)), ms(percentile(finished, 95)), ''],
  ];

  // Where the time goes: the worker's steps between the engine's node.finished and sending the event,
  // timed here on the same output (the adjusted photo) with the same settings.
  const output = await fromSharp(sharp(photo).linear(1.001, 0));
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-store-'));
  const png: number[] = [];
  const put: number[] = [];
  const preview: number[] = [];
  let pngBytes = 0;
  for (let i = 0; i < 6; i++) {
    // A fresh store each round: an artifact already stored is not written again.
    const store = new DiskArtifactStore(join(dir, String(i)));
    let t = performance.now();
    const bytes = await toSharp(output).png({ compressionLevel: 3 }).toBuffer();
    png.push(performance.now() - t);
    pngBytes = bytes.length;
    t = performance.now();
    await store.put(bytes, { mediaType: 'image/png' });
    put.push(performance.now() - t);
    t = performance.now();
    await storePreview(output, store, { maxSide: 512 });
    preview.push(performance.now() - t);
  }
  const levels: Row[] = [];
  for (const level of [0, 1, 3, 6]) {
    const times: number[] = [];
    let size = 0;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      size = (await toSharp(output).png({ compressionLevel: level }).toBuffer()).length;
      times.push(performance.now() - t);
    }
    levels.push([level === 3 ? '3 (what runs use)' : String(level), ms(median(times)), `${(size / 1024 / 1024).toFixed(1)} MiB`]);
  }
  rmSync(dir, { recursive: true, force: true });
  const transport = median(started);
  const breakdown: Row[] = [
    ['preview: resize to 512 px + WebP q80 + store', ms(median(preview)), 'node.preview: yes (sent first)'],
    ['IPC → server event log → SSE (node.started, median)', ms(transport), 'both'],
    [`full output as PNG (compression 3, ${(pngBytes / 1024 / 1024).toFixed(1)} MiB)`, ms(median(png)), 'node.finished only'],
    ['store the PNG (sha256 + write + rename)', ms(median(put)), 'node.finished only'],
    ['expected node.preview: preview + transport', ms(median(preview) + transport), `measured median ${ms(median(previewed))}`],
    [
      'expected node.finished: preview + PNG + store + transport',
      ms(median(preview) + median(png) + median(put) + transport),
      `measured median ${ms(median(finished))}`,
    ],
  ];
  return { rows, breakdown, levels };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pw-bench-server-'));
  const total = performance.now();
  log('making the 4000×3000 photo');
  const photo = await makePhoto();
  log('starting the server (PGlite in a temp folder, in-process worker pool)');
  const server = await startServer(dataDir);
  try {
    const { client, api } = await signedUp(server.url);
    // (c) first, on a fresh server, so its memory peak is not the big photo's.
    log('(c) 50 concurrent runs');
    const concurrent = await concurrentRuns(server, api, client);
    log('(b) 500-node graph');
    const big = await bigGraphSaveLoad(client);
    log('(a) preview latency, 4000×3000');
    const latency = await previewLatency(api, client, photo);
    const workers = process.env.PIXELWIRE_WORKERS ?? '2 (default)';

    printTable(
      `(a) Node finished → SSE client receives the event, 4000×3000 photo through image.adjust (workers: ${workers})`,
      ['event', 'samples', 'p50', 'p95', 'p95 < 100 ms'],
      latency.rows,
    );
    printTable('(a) Where the time goes after the engine\'s node.finished (median of 6)', ['step', 'time', 'on the critical path of'], latency.breakdown);
    printTable('(a) PNG encode of that 4000×3000 output by zlib compression level (median of 3)', ['level', 'time', 'size'], latency.levels);
    printTable('(b) A 500-node graph through tRPC over HTTP, session cookie (median and p95 of 10)', ['call', 'median', 'p95'], big);
    printTable(
      '(c) 50 concurrent runs of upload 256×256 → blur σ1.5 → resize 128 (embedded default)',
      ['workload', 'workers', 'succeeded', 'wall time', 'runs/s', 'per-run p50', 'per-run p95'],
      concurrent.rows,
    );
    printTable('(c) Where a run\'s time goes under that load (median, p95 of the 50)', ['phase', 'median', 'p95'], concurrent.phases);
    printTable(`(c) Server and workers during the 50 runs, from /proc (this machine: ${availableParallelism()} CPUs)`, ['', 'server process', 'worker processes', 'other children (esbuild)', 'total'], concurrent.memory);
    console.log(`\nwhole bench: ${((performance.now() - total) / 1000).toFixed(0)} s`);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt >= 0) await serve(process.argv[serveAt + 1]!);
else await main();
