import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessRunQueue } from '../../server/runs/in-process-queue';
import type { ImageSummary, WireEvent } from '../../server/runs/wire-events';
import { graph } from '../helpers/graph-builder';
import { assertOrdered, blurChain, blurGraph, isAlive, putGradient, putSolid, RunRecorder, tempData } from './run-fixtures';

const data = await tempData();
let queue: InProcessRunQueue;
let recorder: RunRecorder;
const pids = new Set<number>();

beforeAll(() => {
  queue = new InProcessRunQueue({ dataDir: data.dataDir, concurrency: 2, cancelGraceMs: 5000 });
  recorder = new RunRecorder(queue);
  queue.onEvent(() => {
    for (const w of queue.stats().workers) if (w.pid) pids.add(w.pid);
  });
});

afterAll(async () => {
  await queue.close();
  await data.remove();
});

function previewsOf(events: WireEvent[]) {
  const refs: ImageSummary['preview'][] = [];
  for (const e of events) {
    if (e.type === 'node.preview') refs.push(e.preview);
    if (e.type === 'node.finished' || e.type === 'node.cached' || e.type === 'run.finished') {
      for (const o of Object.values(e.outputs)) if ('preview' in o) refs.push(o.preview);
    }
  }
  return refs;
}

describe('InProcessRunQueue', () => {
  it('runs a graph in a worker process and streams ordered events with decodable previews', async () => {
    const source = await putGradient(data.artifacts, 1200, 800);
    await queue.enqueue({ runId: 'blur', document: blurGraph(source) });
    const outcome = await recorder.settled('blur');
    expect(outcome).toMatchObject({ status: 'succeeded', attempts: 1, errors: [] });
    const events = recorder.eventsOf('blur');
    assertOrdered(events);
    expect(events[0]).toMatchObject({ type: 'run.started', seq: 1, attempt: 1, runId: 'blur' });
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'succeeded' });
    expect(recorder.order.indexOf('blur:run.finished')).toBeLessThan(recorder.order.indexOf('blur:settled'));

    const previews = previewsOf(events);
    expect(previews.length).toBeGreaterThanOrEqual(3);
    for (const p of previews) {
      expect(Math.max(p.width, p.height)).toBeLessThanOrEqual(512);
      const stored = await data.artifacts.get(p.artifactId);
      expect(await sharp(stored!.bytes).metadata()).toMatchObject({ format: 'webp', width: p.width, height: p.height });
    }
    const blurred = outcome.outputs.blurred;
    if (!blurred || !('artifactId' in blurred)) throw new Error('no image output');
    const full = await data.artifacts.get(blurred.artifactId);
    expect(await sharp(full!.bytes).metadata()).toMatchObject({ format: 'png', width: 1200, height: 800 });
  });

  it('settles an invalid document as failed with structured errors', async () => {
    await queue.enqueue({ runId: 'invalid', document: graph([{ id: 'n', type: 'image.unknown' }]) });
    const outcome = await recorder.settled('invalid');
    expect(outcome).toMatchObject({ status: 'failed', attempts: 1 });
    expect(outcome.errors).toEqual([expect.objectContaining({ nodeId: 'n', code: 'unknown_node_type' })]);
  });

  it('rejects a malformed job and ignores a duplicate runId', async () => {
    await expect(queue.enqueue({ runId: 'bad id!', document: {} })).rejects.toThrow();
    await expect(queue.enqueue({ runId: 'not-json', document: { at: new Date() } })).rejects.toThrow(/plain JSON/);
    const source = await putGradient(data.artifacts, 40, 30);
    await queue.enqueue({ runId: 'twice', document: blurGraph(source, 1) });
    await queue.enqueue({ runId: 'twice', document: blurGraph(source, 1) });
    await recorder.settled('twice');
    expect(recorder.eventsOf('twice').filter((e) => e.type === 'run.started')).toHaveLength(1);
  });

  it('runs at most `concurrency` jobs at once, FIFO; cancels queued jobs at once and running ones cooperatively', async () => {
    const photo = await putSolid(data.artifacts, 2400, 2400);
    const ids = ['c1', 'c2', 'c3', 'c4'];
    let running = 0;
    let most = 0;
    // Start order may differ from dispatch order: c2's worker can still be booting when c1's frees up for c3.
    const started: string[] = [];
    const offEvent = queue.onEvent((runId, event) => {
      if (!ids.includes(runId) || event.type !== 'run.started') return;
      started.push(runId);
      most = Math.max(most, ++running);
    });
    const offSettled = queue.onSettled((runId, outcome) => {
      if (ids.includes(runId) && outcome.attempts > 0) running--;
    });
    // Long chains of big blurs (different sigmas, so no cache answers): none finishes by itself during the test.
    for (const [i, runId] of ids.entries()) {
      await queue.enqueue({ runId, document: blurChain(40, 10 + i), inputs: { photo: { kind: 'artifact', artifactId: photo } } });
    }
    // FIFO: the first two went to workers (one may still be starting), the rest wait.
    expect(queue.stats()).toMatchObject({ queued: 2, running: 2 });
    expect(queue.stats().workers.map((w) => w.runId).sort()).toEqual(['c1', 'c2']);

    // c4 leaves the queue without ever starting.
    expect(await queue.cancel('c4')).toBe(true);
    expect(await recorder.settled('c4')).toMatchObject({ status: 'cancelled', attempts: 0 });
    expect(queue.stats().queued).toBe(1);

    // Cancelling c1 once it is busy frees its worker for c3; then stop the rest.
    await recorder.event('c1', (e) => e.type === 'node.started');
    const c1Worker = queue.stats().workers.find((w) => w.runId === 'c1')!.pid!;
    expect(await queue.cancel('c1')).toBe(true);
    const c1 = await recorder.settled('c1');
    expect(c1.status).toBe('cancelled');
    expect(Object.values(c1.nodes).filter((n) => n.status === 'finished').length).toBeLessThan(40);
    expect(Object.values(c1.nodes).some((n) => n.status === 'cancelled')).toBe(true);

    await recorder.event('c3', (e) => e.type === 'run.started');
    // The engine stopped c1 by itself: its worker was not killed but took the next job.
    expect(queue.stats().workers.find((w) => w.runId === 'c3')?.pid).toBe(c1Worker);
    expect(await queue.cancel('c2')).toBe(true);
    expect(await queue.cancel('c3')).toBe(true);
    expect((await recorder.settled('c2')).status).toBe('cancelled');
    expect((await recorder.settled('c3')).status).toBe('cancelled');

    offEvent();
    offSettled();
    expect(started.sort()).toEqual(['c1', 'c2', 'c3']);
    expect(most).toBeLessThanOrEqual(2);
    // c4 never started: its only event is the run.finished that ends every run's stream.
    expect(recorder.eventsOf('c4')).toEqual([expect.objectContaining({ type: 'run.finished', status: 'cancelled', attempt: 1, seq: 1 })]);
    expect(await queue.cancel('c4')).toBe(false);
    expect(queue.stats()).toMatchObject({ queued: 0, running: 0, workerDeaths: 0 });
    expect(queue.stats().workers.length).toBeLessThanOrEqual(2);
  });

  it('close() settles what is left as cancelled and leaves no worker running', async () => {
    const photo = await putSolid(data.artifacts, 2000, 2000);
    for (const [i, runId] of ['x1', 'x2', 'x3'].entries()) {
      await queue.enqueue({ runId, document: blurChain(40, 30 + i), inputs: { photo: { kind: 'artifact', artifactId: photo } } });
    }
    await recorder.event('x1', (e) => e.type === 'node.started');
    for (const w of queue.stats().workers) if (w.pid) pids.add(w.pid);
    await queue.close();
    for (const runId of ['x1', 'x2', 'x3']) {
      const outcome = recorder.outcomes.get(runId);
      expect(outcome?.status).toBe('cancelled');
      expect(outcome?.errors).toEqual([expect.objectContaining({ code: 'queue_closed' })]);
    }
    expect(queue.stats().workers).toEqual([]);
    expect(pids.size).toBeGreaterThan(0);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    await expect(queue.enqueue({ runId: 'late', document: {} })).rejects.toThrow(/closed/);
  });
});
