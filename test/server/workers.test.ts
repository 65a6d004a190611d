import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedUpClient, startTestServer, type TestServer } from '../helpers/server-harness';
import { noisyPng, subscribeRunEvents, upload } from './server-fixtures';

/** The Workers page and the Queue view in the embedded mode: what each viewer may see. */
describe('workers and queue (embedded pool)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { workers: 1 });
  });
  afterAll(() => server.close());

  it('shows a run waiting or running to whoever may read its graph, and counts it for everybody else', async () => {
    const alice = await signedUpClient(server, 'alice');
    const bob = await signedUpClient(server, 'bob');
    const photo = await upload(alice, await noisyPng(1400, 1000));
    const document = {
      format: 'pixelwire.graph',
      version: 1,
      nodes: [{ id: 'morph', type: 'image.morphology', params: { operation: 'dilate', radius: 24, shape: 'disc', iterations: 6 } }],
      edges: [],
      inputs: [{ name: 'photo', kind: 'image', targets: [{ node: 'morph', port: 'image' }] }],
      outputs: [{ name: 'mask', kind: 'mask', source: { node: 'morph', port: 'image' } }],
    };
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Slow', document });
    const first = await alice.trpc.runs.start.mutate({ graphId: graph.id, inputs: { photo: photo.sha256 } });
    const second = await alice.trpc.runs.start.mutate({ graphId: graph.id, inputs: { photo: photo.sha256 } });

    const queue = await alice.trpc.workers.queue.query();
    expect(queue.mode).toBe('embedded');
    expect(queue.runs.map((r) => r.id)).toEqual([first.id, second.id]);
    expect(queue.runs[0]).toMatchObject({ graphName: 'Slow' });
    expect(queue.runs.find((r) => r.id === second.id)).toMatchObject({ status: 'queued', position: expect.any(Number) });
    expect((await bob.trpc.workers.queue.query()).runs).toEqual([]);

    const pool = await alice.trpc.workers.list.query();
    expect(pool.mode).toBe('embedded');
    expect(pool.workers[0]).toMatchObject({ state: 'busy', runIds: [first.id], otherRuns: 0 });
    expect(pool.workers[0]!.models).toContainEqual({ id: 'style/candy' });
    expect((await bob.trpc.workers.list.query()).workers[0]).toMatchObject({ state: 'busy', runIds: [], otherRuns: 1 });
    for (const run of [second, first]) {
      expect(await alice.trpc.runs.cancel.mutate({ runId: run.id })).toMatchObject({ cancelled: true });
      await subscribeRunEvents(alice, { runId: run.id });
    }
    expect((await alice.trpc.workers.queue.query()).runs).toEqual([]);
  });
});
