import { availableParallelism, totalmem } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullRunQueue } from '../../server/redis/bullmq-run-queue';
import { InProcessRunQueue } from '../../server/runs/in-process-queue';
import type { RunQueue } from '../../server/runs/run-queue';
import type { WireEvent } from '../../server/runs/wire-events';
import { RemoteWorker } from '../../server/worker/remote-worker';
import { assertOrdered, blurChain, blurGraph, putGradient, RunRecorder, tempData } from '../runs/run-fixtures';
import { readRunStream, redisTestConfig, waitForStreamEvent } from './redis-fixtures';

/**
 * One contract, two queues: the embedded pool of child processes and BullMQ on
 * the real Redis with a real worker (its runs in child processes too).
 * Each harness reads a run's events where that queue puts them.
 */
interface Harness {
  queue: RunQueue;
  recorder: RunRecorder;
  eventsOf(runId: string): Promise<WireEvent[]>;
  /** The first event of the run that passes the test, seen or still to come. */
  event(runId: string, test: (event: WireEvent) => boolean): Promise<WireEvent>;
  close(): Promise<void>;
}

const data = await tempData();
afterAll(() => data.remove());

async function inProcessHarness(): Promise<Harness> {
  const queue = new InProcessRunQueue({ dataDir: data.dataDir, concurrency: 1, cancelGraceMs: 5000 });
  const recorder = new RunRecorder(queue);
  return { queue, recorder, eventsOf: async (runId) => recorder.eventsOf(runId), event: (runId, test) => recorder.event(runId, test), close: () => queue.close() };
}

async function bullHarness(): Promise<Harness> {
  const redis = redisTestConfig('contract');
  const queue = new BullRunQueue({ redisUrl: redis.url, keys: redis.keys });
  await queue.ready();
  const worker = new RemoteWorker({
    redisUrl: redis.url,
    keys: redis.keys,
    dataDir: data.dataDir,
    concurrency: 1,
    capabilities: { providers: ['cpu'], models: [], cores: availableParallelism(), memoryMiB: Math.round(totalmem() / 2 ** 20) },
    log: () => undefined,
  });
  await worker.start();
  const recorder = new RunRecorder(queue);
  return {
    queue,
    recorder,
    eventsOf: (runId) => readRunStream(redis, runId),
    event: (runId, test) => waitForStreamEvent(redis, runId, test),
    close: async () => {
      await worker.close();
      await queue.close();
      await redis.cleanup();
    },
  };
}

describe.each([
  ['in-process pool', inProcessHarness],
  ['BullMQ on Redis with a remote worker', bullHarness],
])('RunQueue contract: %s', (_name, makeHarness) => {
  let h: Harness;
  let photo: string;
  beforeAll(async () => {
    h = await makeHarness();
    photo = await putGradient(data.artifacts, 1600, 1200);
  });
  afterAll(() => h.close());

  const slowJob = (runId: string, sigma: number) => ({
    runId,
    document: blurChain(30, sigma),
    inputs: { photo: { kind: 'artifact' as const, artifactId: photo } },
  });

  it('runs a job to its outcome; the events are ordered, open with run.started and end with run.finished', async () => {
    const source = await putGradient(data.artifacts, 320, 200);
    const runId = `ok-${Date.now()}`;
    await h.queue.enqueue({ runId, document: blurGraph(source) });
    const outcome = await h.recorder.settled(runId);
    expect(outcome).toMatchObject({ runId, status: 'succeeded', attempts: 1, errors: [] });
    expect(outcome.outputs.blurred).toMatchObject({ kind: 'image', width: 320, height: 200 });
    const events = await h.eventsOf(runId);
    assertOrdered(events);
    expect(events[0]).toMatchObject({ type: 'run.started', attempt: 1, seq: 1 });
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'succeeded' });
  });

  it('treats a second enqueue of a queued or running run as a no-op', async () => {
    const source = await putGradient(data.artifacts, 300, 200);
    const runId = `twice-${Date.now()}`;
    const job = { runId, document: blurGraph(source, 4) };
    await h.queue.enqueue(job);
    await h.queue.enqueue(job);
    await h.recorder.settled(runId);
    const started = (await h.eventsOf(runId)).filter((e) => e.type === 'run.started');
    expect(started).toHaveLength(1);
  });

  it('cancels a queued run at once (attempts 0, stream ends with run.finished) and a running one cooperatively', async () => {
    const running = `running-${Date.now()}`;
    const waiting = `waiting-${Date.now()}`;
    await h.queue.enqueue(slowJob(running, 21));
    await h.event(running, (e) => e.type === 'node.started');
    await h.queue.enqueue(slowJob(waiting, 22));
    expect(await h.queue.cancel(waiting)).toBe(true);
    expect(await h.recorder.settled(waiting)).toMatchObject({ status: 'cancelled', attempts: 0 });
    expect((await h.eventsOf(waiting)).map((e) => e.type)).toEqual(['run.finished']);

    const stats = await h.queue.stats();
    expect(stats.running).toBe(1);
    expect(stats.workers.some((w) => w.runId === running)).toBe(true);

    expect(await h.queue.cancel(running)).toBe(true);
    const outcome = await h.recorder.settled(running);
    expect(outcome.status).toBe('cancelled');
    expect(Object.values(outcome.nodes).some((n) => n.status === 'cancelled')).toBe(true);
    expect((await h.eventsOf(running)).at(-1)).toMatchObject({ type: 'run.finished', status: 'cancelled' });
    expect(await h.queue.cancel(running)).toBe(false);
    expect(await h.queue.cancel('never-enqueued')).toBe(false);
  });

  it('refuses a malformed job', async () => {
    await expect(h.queue.enqueue({ runId: 'bad id with spaces', document: {} })).rejects.toThrow();
  });
});
