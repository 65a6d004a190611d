import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessRunQueue } from '../../server/runs/in-process-queue';
import { assertOrdered, isAlive, putSolid, RunRecorder, slowGraph, tempData } from './run-fixtures';

const data = await tempData();
let queue: InProcessRunQueue;
let recorder: RunRecorder;
let photo: string;

beforeAll(async () => {
  // One worker and no disk cache: every run below really executes, one at a time.
  queue = new InProcessRunQueue({ dataDir: data.dataDir, concurrency: 1, diskCache: false, cancelGraceMs: 300 });
  recorder = new RunRecorder(queue);
  photo = await putSolid(data.artifacts, 1200, 1200);
});

afterAll(async () => {
  await queue.close();
  await data.remove();
});

/** `passes` morphology passes of ~¼ s each here; runs that are killed early get many, so a faster machine still kills them mid-work. */
const job = (runId: string, radius: number, passes: number) => ({
  runId,
  document: slowGraph(radius, passes),
  inputs: { photo: { kind: 'artifact' as const, artifactId: photo } },
});

/** Waits until attempt `attempt` of the run reports progress (its worker is then deep in synchronous work) and returns that worker's pid. */
async function busyWorker(runId: string, attempt: number): Promise<number> {
  await recorder.event(runId, (e) => e.type === 'node.progress' && e.attempt === attempt);
  const pid = queue.stats().workers.find((w) => w.runId === runId)?.pid;
  if (!pid) throw new Error(`no worker runs ${runId}`);
  return pid;
}

describe('worker deaths', () => {
  it('retries a run whose worker was killed mid-run on a fresh worker, with a new attempt number', async () => {
    await queue.enqueue(job('crash-once', 16, 3));
    const first = await busyWorker('crash-once', 1);
    process.kill(first, 'SIGKILL');

    const outcome = await recorder.settled('crash-once');
    expect(outcome).toMatchObject({ status: 'succeeded', attempts: 2, errors: [] });
    expect(outcome.outputs.mask).toMatchObject({ kind: 'mask', channels: 1, width: 1200, height: 1200 });
    expect(isAlive(first)).toBe(false);

    const events = recorder.eventsOf('crash-once');
    assertOrdered(events);
    const restart = events.findIndex((e) => e.type === 'run.restarted');
    expect(events[restart]).toMatchObject({ attempt: 2, seq: 0, reason: 'worker_crashed', message: expect.stringContaining('SIGKILL') });
    expect(events.slice(0, restart).every((e) => e.attempt === 1)).toBe(true);
    expect(events[restart + 1]).toMatchObject({ type: 'run.started', attempt: 2, seq: 1 });
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', attempt: 2, status: 'succeeded' });
    expect(queue.stats()).toMatchObject({ retries: 1, workerDeaths: 1 });
  });

  it('fails the run with worker_crashed when its worker dies again', async () => {
    await queue.enqueue(job('crash-twice', 17, 16));
    process.kill(await busyWorker('crash-twice', 1), 'SIGKILL');
    process.kill(await busyWorker('crash-twice', 2), 'SIGKILL');
    const outcome = await recorder.settled('crash-twice');
    expect(outcome).toMatchObject({ status: 'failed', attempts: 2 });
    expect(outcome.errors).toEqual([expect.objectContaining({ nodeId: null, code: 'worker_crashed' })]);
    assertOrdered(recorder.eventsOf('crash-twice'));
    // No worker finished it, yet its stream still ends with run.finished.
    expect(recorder.eventsOf('crash-twice').at(-1)).toMatchObject({ type: 'run.finished', status: 'failed', errors: [expect.objectContaining({ code: 'worker_crashed' })] });
    expect(queue.stats()).toMatchObject({ retries: 2, workerDeaths: 3 });
  });

  it('kills a worker that cannot take a cancel (stuck in synchronous work) and settles the run cancelled', async () => {
    await queue.enqueue(job('stuck', 18, 16));
    const pid = await busyWorker('stuck', 1);
    expect(await queue.cancel('stuck')).toBe(true);
    const outcome = await recorder.settled('stuck');
    expect(outcome).toMatchObject({ status: 'cancelled', attempts: 1 });
    expect(isAlive(pid)).toBe(false);
    expect(recorder.eventsOf('stuck').at(-1)).toMatchObject({ type: 'run.finished', status: 'cancelled' });
    // A kill the pool asked for is neither a death nor a reason to retry.
    expect(queue.stats()).toMatchObject({ retries: 2, workerDeaths: 3, queued: 0, running: 0 });
  });
});
