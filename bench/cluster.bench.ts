/**
 * `npm run bench:cluster`: the scale-out run plane against the embedded one, with real parts —
 * PostgreSQL, Redis (BullMQ queue, event streams, result index), `pixelwire worker` processes —
 * on this machine. Prints four tables:
 * (a) latency a run gains through BullMQ and a remote worker (start → run.finished at the client; target ≤ 20 ms p50),
 * (b) small-run throughput with 1 and 2 workers,
 * (c) preview latency, node finished → SSE client, through Redis (target p95 < 150 ms),
 * (d) recovery after a worker is SIGKILLed mid-run (target < 15 s).
 * Blobs go to a local S3 server (s3rver) in cluster mode, as they would to a bucket; each process has its own data folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createApp, type App } from '../server/app';
import { createApiHandler } from '../server/http/api-handler';
import { listen } from '../server/http/node-adapter';
import type { WireEvent } from '../server/runs/wire-events';
import { startWorker, type ClusterProcess } from '../test/cluster/cluster-processes';
import { redisTestConfig } from '../test/cluster/redis-fixtures';
import { createTestDatabase } from '../test/db/harness';
import { startS3Server } from '../test/helpers/s3-server';
import { clientFor, readSse, type TestClient } from '../test/helpers/server-harness';
import { median, percentile, printTable } from './bench-table';

type Received = { id: string; event: WireEvent; receivedAt: number };
const ms = (v: number) => `${v.toFixed(1)} ms`;
const dataDir = mkdtempSync(join(tmpdir(), 'pw-bench-cluster-'));
const redis = redisTestConfig('bench');
const database = await createTestDatabase('postgres');
if (database.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
const s3 = await startS3Server('pixelwire-bench');
const env = {
  ...s3.env,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  DATABASE_URL: database.config.url,
  REDIS_URL: redis.url,
  PIXELWIRE_REDIS_PREFIX: redis.prefix,
  PIXELWIRE_EXECUTION_PROVIDERS: 'cpu',
};
const config = { dataDir, workers: 1, maxUploadBytes: 64 << 20, maxPixels: 100_000_000, previewMaxSide: 512, sessionDays: 1, secureCookies: false, trustProxy: false };
const workers: ClusterProcess[] = [];
const log = (line: string) => console.error(`[bench:cluster] ${line}`);

async function serve(mode: 'embedded' | 'cluster') {
  // The app opens its blob store from the environment: the bucket in cluster mode, its data folder otherwise.
  for (const [key, value] of Object.entries(s3.env)) {
    if (mode === 'cluster') process.env[key] = value;
    else delete process.env[key];
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const app: App = await createApp({ database: database.config, config, redis: mode === 'cluster' ? { url: redis.url, keys: redis.keys } : null });
  const http = await listen(createApiHandler(app));
  const client = clientFor({ url: http.url });
  const email = `bench-${mode}-${Date.now()}@example.com`;
  await client.trpc.auth.signUp.mutate({ email, password: 'correct horse battery', name: 'bench' });
  return { app, client, close: async () => (await http.close(), await app.close()) };
}

async function uploadPng(client: TestClient, width: number, height: number): Promise<string> {
  const bytes = await sharp({ create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).png().toBuffer();
  const response = await client.fetch('/api/uploads', { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(bytes) });
  if (response.status !== 201) throw new Error(`upload: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { file: { sha256: string } }).file.sha256;
}

/** A graph input photo → image.adjust whose brightness is an input: every run with a new brightness misses the cache. */
async function adjustGraph(client: TestClient): Promise<string> {
  const image = { node: 'adjust', port: 'image' };
  const { graph } = await client.trpc.graphs.create.mutate({
    name: 'bench',
    document: {
      format: 'pixelwire.graph',
      version: 1,
      nodes: [{ id: 'adjust', type: 'image.adjust', params: {} }],
      inputs: [
        { name: 'photo', kind: 'image', targets: [image] },
        { name: 'brightness', kind: 'number', targets: [{ node: 'adjust', param: 'brightness' }] },
      ],
      outputs: [{ name: 'result', kind: 'image', source: image }],
    },
  });
  return graph.id;
}

async function events(client: TestClient, runId: string, onEvent?: (e: Received) => void): Promise<Received[]> {
  const response = await client.fetch(`/api/trpc/runs.events?input=${encodeURIComponent(JSON.stringify({ runId }))}`);
  const out: Received[] = [];
  await readSse(response, (sse) => {
    if (sse.event === 'return' || sse.event === 'serialized-error') return true;
    if (sse.event) return false;
    const received = { id: sse.id ?? '', event: JSON.parse(sse.data) as WireEvent, receivedAt: Date.now() };
    out.push(received);
    onEvent?.(received);
    return false;
  });
  return out;
}

/** A bench of failed runs measures nothing: every run must succeed. */
function assertSucceeded(got: Received[]): void {
  const last = got.at(-1)?.event;
  if (last?.type !== 'run.finished' || last.status !== 'succeeded') throw new Error(`a run did not succeed: ${JSON.stringify(last).slice(0, 500)}`);
}

let brightness = 1;
const nextBrightness = () => (brightness += 0.0001);

/** (a) start → run.finished at the client, one run at a time. */
async function runLatency(client: TestClient, graphId: string, photo: string, samples: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = -3; i < samples; i++) {
    const t0 = performance.now();
    let finishedAt = 0;
    const run = await client.trpc.runs.start.mutate({ graphId, inputs: { photo, brightness: nextBrightness() } });
    const got = await events(client, run.id, (e) => {
      if (e.event.type === 'run.finished') finishedAt = performance.now();
    });
    assertSucceeded(got);
    if (i >= 0) times.push(finishedAt - t0);
  }
  return times;
}

/** (b) `count` small runs started at once; wall time until every one finished. */
async function throughput(client: TestClient, graphId: string, photo: string, count: number): Promise<number> {
  const t0 = performance.now();
  const runs = await Promise.all(Array.from({ length: count }, () => client.trpc.runs.start.mutate({ graphId, inputs: { photo, brightness: nextBrightness() } })));
  for (const got of await Promise.all(runs.map((run) => events(client, run.id)))) assertSucceeded(got);
  return performance.now() - t0;
}

async function addWorker(name: string): Promise<ClusterProcess> {
  const worker = await startWorker({ ...env, PIXELWIRE_DATA_DIR: mkdtempSync(join(dataDir, `${name}-`)) }, name);
  workers.push(worker);
  return worker;
}

try {
  const rowsA: (string | number)[][] = [];
  const rowsB: (string | number)[][] = [];
  const samples = 30;

  log('embedded: in-process pool');
  const embedded = await serve('embedded');
  let graphId = await adjustGraph(embedded.client);
  let tiny = await uploadPng(embedded.client, 64, 48);
  const inProcess = await runLatency(embedded.client, graphId, tiny, samples);
  let small = await uploadPng(embedded.client, 256, 192);
  const embeddedWall = await throughput(embedded.client, graphId, small, 40);
  await embedded.close();

  log('cluster: BullMQ + pixelwire worker processes');
  const cluster = await serve('cluster');
  await addWorker('w1');
  graphId = await adjustGraph(cluster.client);
  tiny = await uploadPng(cluster.client, 64, 48);
  small = await uploadPng(cluster.client, 256, 192);
  const viaBull = await runLatency(cluster.client, graphId, tiny, samples);
  const oneWorker = await throughput(cluster.client, graphId, small, 40);
  await addWorker('w2');
  const twoWorkers = await throughput(cluster.client, graphId, small, 40);

  rowsA.push(['in-process pool', samples, ms(median(inProcess)), ms(percentile(inProcess, 95)), '']);
  rowsA.push(['BullMQ + remote worker', samples, ms(median(viaBull)), ms(percentile(viaBull, 95)), '']);
  const added = median(viaBull) - median(inProcess);
  rowsA.push(['added by the run plane (p50 difference)', '', ms(added), '', added <= 20 ? 'yes' : 'NO']);
  rowsB.push(['in-process pool (1 worker process)', 40, ms(embeddedWall), (40 / (embeddedWall / 1000)).toFixed(1)]);
  rowsB.push(['BullMQ, 1 pixelwire worker', 40, ms(oneWorker), (40 / (oneWorker / 1000)).toFixed(1)]);
  rowsB.push(['BullMQ, 2 pixelwire workers', 40, ms(twoWorkers), (40 / (twoWorkers / 1000)).toFixed(1)]);

  log('(c) preview latency through Redis, 4000×3000');
  const big = await uploadPng(cluster.client, 4000, 3000);
  const previewed: number[] = [];
  const started: number[] = [];
  for (let i = -2; i < 16; i++) {
    const run = await cluster.client.trpc.runs.start.mutate({ graphId, inputs: { photo: big, brightness: nextBrightness() } });
    const got = await events(cluster.client, run.id);
    assertSucceeded(got);
    const preview = got.find((e) => e.event.type === 'node.preview' && e.event.label === 'image');
    const start = got.find((e) => e.event.type === 'node.started');
    if (!preview?.event.at || !start?.event.at) throw new Error(`no output preview or node.started with a time: ${JSON.stringify(got.map((e) => e.event)).slice(0, 1500)}`);
    if (i < 0) continue;
    previewed.push(preview.receivedAt - preview.event.at);
    started.push(start.receivedAt - start.event.at);
  }
  const rowsC = [
    ['node.started (no image: worker → Redis stream → SSE)', started.length, ms(median(started)), ms(percentile(started, 95)), ''],
    ['node.preview of the output (node finished → client)', previewed.length, ms(median(previewed)), ms(percentile(previewed, 95)), percentile(previewed, 95) < 150 ? 'yes' : 'NO'],
  ];

  log('(d) recovery after SIGKILL of the worker running a run');
  const rowsD: (string | number)[][] = [];
  const { graph: slow } = await cluster.client.trpc.graphs.create.mutate({
    name: 'slow',
    document: {
      format: 'pixelwire.graph',
      version: 1,
      nodes: Array.from({ length: 6 }, (_, i) => ({ id: `blur${i + 1}`, type: 'image.blur', params: { sigma: 8 + i } })),
      edges: Array.from({ length: 5 }, (_, i) => ({ from: { node: `blur${i + 1}`, port: 'image' }, to: { node: `blur${i + 2}`, port: 'image' } })),
      inputs: [{ name: 'photo', kind: 'image', targets: [{ node: 'blur1', port: 'image' }] }],
    },
  });
  for (let trial = 1; trial <= 3; trial++) {
    const photo = await uploadPng(cluster.client, 2000 + trial, 1500);
    const run = await cluster.client.trpc.runs.start.mutate({ graphId: slow.id, inputs: { photo } });
    let victim: ClusterProcess | undefined;
    let killedAt = 0;
    let restartedAt = 0;
    let secondStartAt = 0;
    let workerName: string | undefined;
    const got = await events(cluster.client, run.id, (e) => {
      if (e.event.type === 'run.started' && e.event.attempt === 1) workerName = e.event.worker?.name;
      if (!killedAt && e.event.type === 'node.finished') {
        victim = workers.find((w) => w.child.spawnargs.at(-1) === workerName);
        killedAt = Date.now();
        victim?.child.kill('SIGKILL');
      }
      if (e.event.type === 'run.restarted') restartedAt = e.receivedAt;
      if (e.event.type === 'run.started' && e.event.attempt === 2) secondStartAt = e.event.at ?? e.receivedAt;
    });
    if (!victim || !restartedAt) throw new Error(`trial ${trial}: no worker killed or no restart seen`);
    const finishedBefore = got.filter((e) => e.event.type === 'node.finished' && e.event.attempt === 1).length;
    const cachedAfter = got.filter((e) => e.event.type === 'node.cached' && e.event.attempt === 2).length;
    assertSucceeded(got);
    const last = got.at(-1)?.event;
    rowsD.push([trial, `${((restartedAt - killedAt) / 1000).toFixed(1)} s`, `${((secondStartAt - killedAt) / 1000).toFixed(1)} s`, `${cachedAfter} of ${finishedBefore}`, last?.type === 'run.finished' ? last.status : '?']);
    workers.splice(workers.indexOf(victim), 1);
    await addWorker(`w${trial + 2}`);
  }
  await cluster.close();

  printTable('(a) Start → run.finished at the SSE client, 64×48 image.adjust, one run at a time', ['queue', 'runs', 'p50', 'p95', '≤ 20 ms added'], rowsA);
  printTable('(b) 40 small runs (256×192 image.adjust) started at once', ['queue', 'runs', 'wall time', 'runs/s'], rowsB);
  printTable('(c) Preview latency through Redis, 4000×3000 image.adjust (receipt − engine event time)', ['event', 'samples', 'p50', 'p95', 'p95 < 150 ms'], rowsC);
  printTable('(d) Recovery after SIGKILL of the worker mid-run (2 workers)', ['trial', 'kill → run.restarted at client', 'kill → attempt 2 started', 'nodes finished before the kill, cached after', 'run'], rowsD);
} finally {
  await Promise.all(workers.map((w) => w.kill('SIGTERM')));
  await database.dispose();
  await s3.dispose();
  await redis.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
}
