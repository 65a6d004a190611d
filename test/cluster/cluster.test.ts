import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireEvent } from '../../server/runs/wire-events';
import { createTestDatabase, type TestDatabase } from '../db/harness';
import { startS3Server, type TestS3Server } from '../helpers/s3-server';
import { clientFor, signedUpClient, type TestClient } from '../helpers/server-harness';
import { blurChain, isAlive } from '../runs/run-fixtures';
import { noisyPng, subscribeRunEvents, trpcError, upload, type StreamedEvent, type UploadedFile } from '../server/server-fixtures';
import { startWebServer, startWorker, type ClusterProcess } from './cluster-processes';
import { redisTestConfig } from './redis-fixtures';

/**
 * The scale-out mode with real parts in real processes: PostgreSQL, Redis (BullMQ
 * queue, event streams, result index), an S3 server (s3rver) for blobs, the web
 * app in one process and `pixelwire worker`s in others, each with its own data
 * folder — nothing shared but what a cluster of machines shares.
 */
const redis = redisTestConfig('cluster');
let s3: TestS3Server;
let database: TestDatabase;
let env: Record<string, string>;
const folders: string[] = [];
const processes = new Set<ClusterProcess>();
let web: ClusterProcess;

async function folder(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `pw-cluster-${name}-`));
  folders.push(dir);
  return dir;
}

async function worker(name: string): Promise<ClusterProcess> {
  const started = await startWorker({ ...env, PIXELWIRE_DATA_DIR: await folder(name) }, name);
  processes.add(started);
  return started;
}

async function webServer(): Promise<ClusterProcess> {
  const started = await startWebServer({ ...env, PIXELWIRE_DATA_DIR: await folder('web') });
  processes.add(started);
  return started;
}

const url = (p: ClusterProcess) => ({ url: String(p.ready.url) });
const typesOf = (events: StreamedEvent[]) => events.map((e) => e.event.type);

/** Log seqs are 1, 2, 3, … with nothing lost or repeated, whatever happened to the processes. */
function expectGapFree(events: StreamedEvent[]): void {
  expect(events.map((e) => Number(e.id))).toEqual(events.map((_, i) => i + 1));
}

beforeAll(async () => {
  s3 = await startS3Server('pixelwire-cluster');
  database = await createTestDatabase('postgres');
  if (database.config.kind !== 'postgres') throw new Error('the cluster test runs on PostgreSQL');
  env = {
    DATABASE_URL: database.config.url,
    REDIS_URL: redis.url,
    PIXELWIRE_REDIS_PREFIX: redis.prefix,
    PIXELWIRE_EXECUTION_PROVIDERS: 'cpu',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...s3.env,
  };
  [web] = await Promise.all([webServer(), worker('w1'), worker('w2')]);
}, 120_000);

afterAll(async () => {
  await Promise.all([...processes].map((p) => p.kill('SIGTERM')));
  await database?.dispose();
  await s3?.dispose();
  await redis.cleanup();
  await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
}, 60_000);

describe('cluster: web app + pixelwire workers over Redis and S3', () => {
  let alice: TestClient & { email: string; userId: string };
  let photo: UploadedFile;
  beforeAll(async () => {
    alice = await signedUpClient(url(web), 'alice');
    photo = await upload(alice, await noisyPng(1600, 1200));
  });

  const slowGraph = async (name: string, length: number, sigma: number) => {
    const document = { ...blurChain(length, sigma), outputs: [{ name: 'result', kind: 'image', source: { node: `blur${length}`, port: 'image' } }] };
    const { graph } = await alice.trpc.graphs.create.mutate({ name, document });
    return graph;
  };

  it('runs a graph on a worker: events stream back through Redis, outputs land in S3, the run names its worker', async () => {
    const graph = await slowGraph('Remote', 2, 2);
    const run = await alice.trpc.runs.start.mutate({ graphId: graph.id, inputs: { photo: photo.sha256 } });
    const events = await subscribeRunEvents(alice, { runId: run.id });
    expectGapFree(events);
    const started = events[0]!.event;
    expect(started).toMatchObject({ type: 'run.started', worker: { providers: ['cpu'] } });
    expect(['w1', 'w2']).toContain(started.type === 'run.started' ? started.worker?.name : undefined);
    const finished = events.at(-1)!.event;
    expect(finished).toMatchObject({ type: 'run.finished', status: 'succeeded', outputs: { result: { kind: 'image', width: 1600 } } });
    const stored = await alice.trpc.runs.get.query({ runId: run.id });
    expect(stored).toMatchObject({ status: 'succeeded', workerId: started.type === 'run.started' ? started.worker?.id : 'none' });
    // The output is in the bucket and served to its owner from there.
    const output = finished.type === 'run.finished' ? finished.outputs.result : undefined;
    if (!output || !('artifactId' in output)) throw new Error('no image output');
    expect(s3.requests.some((r) => r.startsWith('PUT ') && r.includes(output.artifactId))).toBe(true);
    const file = await alice.fetch(`/api/v1/runs/${run.id}/files/${output.artifactId}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
  });

  it('lists the workers with their capabilities, and offers the models they have in the editor', async () => {
    const { mode, workers } = await alice.trpc.workers.list.query();
    expect(mode).toBe('cluster');
    expect(workers.map((w) => w.name).sort()).toEqual(['w1', 'w2']);
    for (const w of workers) {
      expect(w).toMatchObject({ state: 'idle', providers: ['cpu'], runIds: [], otherRuns: 0 });
      expect(w.models).toContainEqual({ id: 'style/candy', sha256: '50d77c5711ce3c3ceb5339179713456dca0303650da9a610b8d264fa12eba4de' });
      expect(Date.now() - w.heartbeatAt!).toBeLessThan(10_000);
    }
    expect((await alice.trpc.catalogue.models.query()).style).toEqual(['candy', 'mosaic', 'pointilism', 'rain-princess', 'udnie']);
  });

  it('refuses at once a run that no connected worker can take, naming the missing model', async () => {
    const document = {
      format: 'pixelwire.graph',
      version: 1,
      nodes: [
        { id: 'load', type: 'image.load', params: { artifact: photo.sha256 } },
        { id: 'style', type: 'style.fast', params: { model: 'not-installed-anywhere' } },
      ],
      edges: [{ from: { node: 'load', port: 'image' }, to: { node: 'style', port: 'image' } }],
    };
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Missing model', document });
    const started = Date.now();
    const error = await trpcError(alice.trpc.runs.start.mutate({ graphId: graph.id }));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toContain('style/not-installed-anywhere');
    expect(error.data.details.routing).toMatchObject({ code: 'no_capable_worker', missingModels: ['style/not-installed-anywhere'] });
    expect((await alice.trpc.runs.list.query({ graphId: graph.id })).items).toEqual([]);
  });

  it('gives the run of a worker killed mid-run to another worker, which resumes from the finished nodes (cached), losing and repeating nothing', async () => {
    const graph = await slowGraph('Survives a worker', 8, 9);
    const run = await alice.trpc.runs.start.mutate({ graphId: graph.id, inputs: { photo: photo.sha256 } });
    let killedAt = 0;
    let victim: ClusterProcess | undefined;
    const seen: WireEvent[] = [];
    const events = await subscribeRunEvents(
      alice,
      { runId: run.id },
      {
        onEvent: ({ event }) => {
          seen.push(event);
          // Once two nodes are done, SIGKILL the worker that runs it.
          if (!victim && seen.filter((e) => e.type === 'node.finished').length >= 2) {
            const started = seen.find((e) => e.type === 'run.started');
            const name = started?.type === 'run.started' ? started.worker?.name : undefined;
            victim = [...processes].find((p) => p.child.spawnargs.includes(name ?? '?'));
            killedAt = Date.now();
            victim?.child.kill('SIGKILL');
          }
        },
      },
    );
    expect(victim).toBeDefined();
    expectGapFree(events);
    const restartIndex = events.findIndex((e) => e.event.type === 'run.restarted');
    expect(restartIndex).toBeGreaterThan(0);
    const restarted = events[restartIndex]!.event;
    expect(restarted).toMatchObject({ attempt: 2, seq: 0, reason: 'worker_crashed' });
    // The second attempt ran elsewhere, and the nodes the first one finished came back cached.
    const second = events.slice(restartIndex + 1).map((e) => e.event);
    const secondStart = second.find((e) => e.type === 'run.started');
    expect(secondStart?.type === 'run.started' && secondStart.worker?.name).not.toBe(victim!.child.spawnargs.at(-1));
    const firstFinished = events.slice(0, restartIndex).filter((e) => e.event.type === 'node.finished').map((e) => (e.event.type === 'node.finished' ? e.event.nodeId : ''));
    const cachedAgain = second.filter((e) => e.type === 'node.cached').map((e) => (e.type === 'node.cached' ? e.nodeId : ''));
    expect(firstFinished.length).toBeGreaterThanOrEqual(2);
    expect(cachedAgain).toEqual(expect.arrayContaining(firstFinished));
    expect(events.at(-1)!.event).toMatchObject({ type: 'run.finished', attempt: 2, status: 'succeeded' });
    // Recovery: the takeover's first event came within 15 s of the kill.
    const takeoverAt = secondStart && 'at' in secondStart && typeof secondStart.at === 'number' ? secondStart.at : Date.now();
    expect(takeoverAt - killedAt).toBeLessThan(15_000);
    expect(await alice.trpc.runs.get.query({ runId: run.id })).toMatchObject({ status: 'succeeded' });
    processes.delete(victim!);
    await worker('w3');
  }, 90_000);

  it('keeps a run going when the web server is killed; a restarted server streams it to the end', async () => {
    const graph = await slowGraph('Survives the server', 6, 10);
    const run = await alice.trpc.runs.start.mutate({ graphId: graph.id, inputs: { photo: photo.sha256 } });
    const before: StreamedEvent[] = [];
    const aborter = new AbortController();
    // Watch until the first node finished, then kill the server under the watcher.
    await subscribeRunEvents(alice, { runId: run.id }, {
      onEvent: (e) => {
        before.push(e);
        if (e.event.type === 'node.finished' && !aborter.signal.aborted) {
          aborter.abort();
          web.child.kill('SIGKILL');
        }
      },
    }).catch(() => undefined);
    processes.delete(web);
    // The server process itself died (not only a wrapper around it).
    const killedPid = Number(web.ready.pid);
    await expect.poll(() => isAlive(killedPid)).toBe(false);
    web = await webServer();
    const again = clientFor(url(web));
    await again.trpc.auth.signIn.mutate({ email: alice.email, password: 'correct horse battery' });
    // Resume after what the first watcher saw, on the new server.
    const rest = await subscribeRunEvents(again, { runId: run.id, lastEventId: before.at(-1)!.id });
    const all = [...before, ...rest];
    expectGapFree(all);
    expect(typesOf(all)).not.toContain('run.restarted');
    expect(all.at(-1)!.event).toMatchObject({ type: 'run.finished', status: 'succeeded' });
    expect(await again.trpc.runs.get.query({ runId: run.id })).toMatchObject({ status: 'succeeded' });
    // Its log is complete in the database too: a fresh read from the start gives the same events.
    const replay = await subscribeRunEvents(again, { runId: run.id });
    expect(replay.map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(await again.trpc.runs.cancel.mutate({ runId: run.id })).toEqual({ cancelled: false, status: 'succeeded' });
  }, 90_000);
});
