import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedUpClient, startTestServer, type TestClient, type TestServer } from '../helpers/server-harness';
import { noisyPng, resizeGraph, subscribeRunEvents, trpcError, upload, type UploadedFile } from './server-fixtures';

/** Saved graphs used as nodes: flattened per run for the caller, checked per referenced graph. */
describe('pipeline nodes', () => {
  let server: TestServer;
  let alice: TestClient & { userId: string };
  let bob: TestClient & { userId: string };
  let photo: UploadedFile;
  let resizeId: string;

  const user = (graphId: string, inputs: Record<string, unknown> = {}, version = 1) => ({
    format: 'pixelwire.graph',
    version: 1,
    nodes: [
      { id: 'small', type: 'pipeline.call', params: { graphId, version, inputs } },
      { id: 'blur', type: 'image.blur', params: { sigma: 1 } },
    ],
    edges: [{ from: { node: 'small', port: 'result' }, to: { node: 'blur', port: 'image' } }],
    inputs: [{ name: 'photo', kind: 'image', targets: [{ node: 'small', port: 'photo' }] }],
    outputs: [{ name: 'out', kind: 'image', source: { node: 'blur', port: 'image' } }],
  });

  beforeAll(async () => {
    server = await startTestServer('pglite', { workers: 1 });
    alice = await signedUpClient(server, 'alice');
    bob = await signedUpClient(server, 'bob');
    photo = await upload(alice, await noisyPng(96, 64));
    resizeId = (await alice.trpc.graphs.create.mutate({ name: 'Resize', document: resizeGraph() })).graph.id;
  });
  afterAll(() => server.close());

  it('runs a graph that uses a saved pipeline as a node; its inner nodes report under the node\'s path', async () => {
    const { graph, problems } = await alice.trpc.graphs.create.mutate({ name: 'Uses resize', document: user(resizeId, { width: 24 }) });
    expect(problems).toEqual([]);
    const run = await alice.trpc.runs.start.mutate({ graphId: graph.id, inputs: { photo: photo.sha256 } });
    const events = await subscribeRunEvents(alice, { runId: run.id });
    expect(events.at(-1)!.event).toMatchObject({ type: 'run.finished', status: 'succeeded', outputs: { out: { width: 24, height: 16 } } });
    const nodeIds = new Set(events.flatMap((e) => ('nodeId' in e.event ? [e.event.nodeId] : [])));
    expect([...nodeIds].sort()).toEqual(['blur', 'small/resize']);
    // Inner nodes cache like any other: the same run again is all cached.
    const again = await alice.trpc.runs.start.mutate({ graphId: graph.id, inputs: { photo: photo.sha256 } });
    const cached = (await subscribeRunEvents(alice, { runId: again.id })).filter((e) => e.event.type === 'node.cached');
    expect(cached.map((e) => ('nodeId' in e.event ? e.event.nodeId : '')).sort()).toEqual(['blur', 'small/resize']);
  });

  it('lists the graphs a user may use as pipelines, with their ports', async () => {
    const mine = await alice.trpc.catalogue.pipelines.query();
    expect(mine.find((p) => p.graphId === resizeId)).toMatchObject({
      name: 'Resize',
      headVersion: 1,
      team: null,
      inputs: [
        { name: 'photo', kind: 'image', required: true, setsParams: false },
        { name: 'width', kind: 'number', required: false, default: 16, setsParams: true },
      ],
      outputs: [{ name: 'result', kind: 'image' }],
    });
    expect((await bob.trpc.catalogue.pipelines.query()).some((p) => p.graphId === resizeId)).toBe(false);
  });

  it('refuses a pipeline the caller may not read as not found, when saving (a problem) and when running (an error)', async () => {
    const { graph, problems } = await bob.trpc.graphs.create.mutate({ name: 'Borrowed pipeline', document: user(resizeId) });
    expect(problems).toEqual([expect.objectContaining({ nodeId: 'small', code: 'pipeline_not_found' })]);
    const bobPhoto = await upload(bob, await noisyPng(32, 32));
    const error = await trpcError(bob.trpc.runs.start.mutate({ graphId: graph.id, inputs: { photo: bobPhoto.sha256 } }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.data.details.validationErrors).toEqual([expect.objectContaining({ nodeId: 'small', code: 'pipeline_not_found' })]);
  });

  it('refuses a graph that uses itself, unknown pipeline inputs and problems inside the pipeline, on the pipeline node', async () => {
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Loop', document: resizeGraph() });
    const { version } = await alice.trpc.graphs.save.mutate({ graphId: graph.id, baseVersion: 1, document: user(graph.id, {}, 2) });
    expect(version.number).toBe(2);
    const loop = await trpcError(alice.trpc.runs.start.mutate({ graphId: graph.id, inputs: { photo: photo.sha256 } }));
    expect(loop.data.details.validationErrors).toEqual([expect.objectContaining({ nodeId: 'small', code: 'pipeline_cycle' })]);

    const { problems } = await alice.trpc.graphs.create.mutate({ name: 'Wrong input', document: user(resizeId, { height: 3 }) });
    expect(problems).toEqual([expect.objectContaining({ nodeId: 'small', code: 'unknown_param' })]);
    const { problems: inner } = await alice.trpc.graphs.create.mutate({ name: 'Bad width', document: user(resizeId, { width: -5 }) });
    expect(inner).toEqual([expect.objectContaining({ nodeId: 'small', code: 'invalid_param', message: expect.stringContaining('inside the pipeline, node resize') })]);
  });
});
