import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineNode } from '../../nodes/define';
import { NodeRegistry } from '../../nodes/node-registry';
import { port } from '../../nodes/ports';
import { serverConfigFromEnv } from '../../server/config';
import { executeJob } from '../../server/runs/execute-job';
import { InProcessRunQueue } from '../../server/runs/in-process-queue';
import { zRunJob, type RunJobInput } from '../../server/runs/run-job';
import type { WireEvent } from '../../server/runs/wire-events';
import { graph } from '../helpers/graph-builder';
import { isAlive, putSolid, RunRecorder, slowGraph, tempData } from './run-fixtures';

// Issue 12, item 9: runs have a wall-clock limit (PIXELWIRE_RUN_TIMEOUT_S, carried in the job's limits). The
// worker stops a run past it and the run ends failed with run_timeout; a worker too stuck to stop it is killed.

const data = await tempData();
afterAll(() => data.remove());

/** Waits until the run is cancelled (a node that would otherwise take an hour). */
const waitNode = defineNode({
  type: 'test.wait',
  version: 1,
  title: 'Wait',
  category: 'test',
  inputs: {},
  params: z.object({ ms: z.number().min(0).max(3_600_000).default(3_600_000) }),
  outputs: { value: port.number() },
  run({ params, ctx }) {
    return new Promise<{ value: number }>((resolve, reject) => {
      const timer = setTimeout(() => resolve({ value: 1 }), params.ms);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
      });
    });
  },
});
const registry = new NodeRegistry([waitNode]);
const waitGraph = (ms?: number) =>
  graph([{ id: 'wait', type: 'test.wait', params: ms === undefined ? {} : { ms } }], [], {
    outputs: [{ name: 'value', kind: 'number', source: { node: 'wait', port: 'value' } }],
  });

async function execute(input: RunJobInput, signal?: AbortSignal) {
  const events: WireEvent[] = [];
  const started = performance.now();
  const outcome = await executeJob(zRunJob.parse(input), { artifacts: data.artifacts, registry, signal, onEvent: (e) => events.push(e) });
  return { outcome, events, elapsed: performance.now() - started };
}

describe('run time limit', () => {
  it('PIXELWIRE_RUN_TIMEOUT_S is a setting with a default of an hour', () => {
    expect(serverConfigFromEnv({}).runTimeoutS).toBe(3600);
    expect(serverConfigFromEnv({ PIXELWIRE_RUN_TIMEOUT_S: '90' }).runTimeoutS).toBe(90);
    expect(() => serverConfigFromEnv({ PIXELWIRE_RUN_TIMEOUT_S: '0' })).toThrow(/PIXELWIRE_RUN_TIMEOUT_S/);
  });

  it('executeJob stops a run past limits.runTimeoutMs: failed with run_timeout, the run.finished event saying so', async () => {
    const { outcome, events, elapsed } = await execute({ runId: 'slow-1', document: waitGraph(), limits: { runTimeoutMs: 300 } });
    expect(elapsed).toBeLessThan(5000);
    expect(outcome.status).toBe('failed');
    expect(outcome.errors).toContainEqual(expect.objectContaining({ nodeId: null, code: 'run_timeout' }));
    expect(outcome.nodes.wait?.status).toBe('cancelled');
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'failed', errors: expect.arrayContaining([expect.objectContaining({ code: 'run_timeout' })]) });
  });

  it('leaves runs within their limit alone, and a cancel before the limit stays a cancel', async () => {
    const quick = await execute({ runId: 'quick-1', document: waitGraph(20), limits: { runTimeoutMs: 5000 } });
    expect(quick.outcome).toMatchObject({ status: 'succeeded', errors: [] });

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const cancelled = await execute({ runId: 'cancel-1', document: waitGraph(), limits: { runTimeoutMs: 5000 } }, controller.signal);
    expect(cancelled.outcome.status).toBe('cancelled');
    expect(cancelled.outcome.errors.some((e) => e.code === 'run_timeout')).toBe(false);
  });

  describe('in the worker pool', () => {
    let queue: InProcessRunQueue;
    let recorder: RunRecorder;
    let photo: string;

    beforeAll(async () => {
      queue = new InProcessRunQueue({ dataDir: data.dataDir, concurrency: 1, diskCache: false, cancelGraceMs: 300 });
      recorder = new RunRecorder(queue);
      photo = await putSolid(data.artifacts, 2000, 2000);
    });
    afterAll(() => queue.close());

    it('kills a worker stuck in synchronous work past the limit and fails the run with run_timeout', async () => {
      // Wide morphology passes blocking the worker's event loop for seconds each: its own timer cannot fire in time.
      const started = performance.now();
      await queue.enqueue({
        runId: 'stuck-1',
        document: slowGraph(32, 16),
        inputs: { photo: { kind: 'artifact', artifactId: photo } },
        limits: { runTimeoutMs: 500 },
      });
      await recorder.event('stuck-1', (e) => e.type === 'node.started');
      const pid = queue.stats().workers.find((w) => w.runId === 'stuck-1')?.pid;
      const outcome = await recorder.settled('stuck-1');
      // A worker's start-up, the limit and the grace (300 ms): nowhere near the 16 wide passes.
      expect(performance.now() - started).toBeLessThan(15_000);
      expect(outcome).toMatchObject({ status: 'failed', attempts: 1 });
      expect(outcome.errors).toContainEqual(expect.objectContaining({ code: 'run_timeout' }));
      expect(recorder.eventsOf('stuck-1').at(-1)).toMatchObject({ type: 'run.finished', status: 'failed' });
      // Not retried as a crash; the pool does not count it as a death.
      expect(queue.stats()).toMatchObject({ retries: 0, workerDeaths: 0 });
      if (pid) await expect.poll(() => isAlive(pid), { timeout: 5000 }).toBe(false);
    });
  });
});
