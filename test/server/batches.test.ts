import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzip } from '../../server/util/unzip';
import { codeOf, signedUpClient, startTestServer, type TestClient, type TestServer } from '../helpers/server-harness';
import { noisyPng, resizeGraph, subscribeRunEvents, trpcError, upload, type UploadedFile } from './server-fixtures';

/** The entries of a downloaded ZIP, read with the project's own (tested) reader. */
const readZip = (zip: Buffer) => new Map(unzip(zip, { maxEntries: 1000, maxBytes: 1 << 30 }).map((e) => [e.name, e.bytes]));

describe('batch runs', () => {
  let server: TestServer;
  let alice: TestClient & { userId: string };
  let bob: TestClient & { userId: string };
  let photo: UploadedFile;
  let graphId: string;


  beforeAll(async () => {
    server = await startTestServer('pglite', { workers: 2 });
    alice = await signedUpClient(server, 'alice');
    bob = await signedUpClient(server, 'bob');
    photo = await upload(alice, await noisyPng(96, 64));
    graphId = (await alice.trpc.graphs.create.mutate({ name: 'Resize', document: resizeGraph() })).graph.id;
  });
  afterAll(() => server.close());

  it('fans items out as runs, reports "n of total" with each item\'s result, and zips the outputs', async () => {
    const widths = [12, 24, 48];
    const { batch, runs } = await alice.trpc.runs.startBatch.mutate({ graphId, items: widths.map((width) => ({ inputs: { photo: photo.sha256, width } })) });
    expect(batch.total).toBe(3);
    expect(runs).toHaveLength(3);
    for (const run of runs) await subscribeRunEvents(alice, { runId: run.id });
    const seen = await alice.trpc.batches.get.query({ batchId: batch.id });
    expect(seen).toMatchObject({ total: 3, done: 3, counts: { succeeded: 3, failed: 0 } });
    expect(seen.runs.map((r) => (r.outputs as { result: { width: number } }).result.width)).toEqual(widths);

    const response = await alice.fetch(`/api/v1/batches/${batch.id}/outputs.zip`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const entries = readZip(Buffer.from(await response.arrayBuffer()));
    expect([...entries.keys()]).toEqual(['1-result.png', '2-result.png', '3-result.png', 'results.json']);
    expect((await sharp(entries.get('2-result.png')!).metadata()).width).toBe(24);
    expect(JSON.parse(entries.get('results.json')!.toString())).toMatchObject({ total: 3, counts: { succeeded: 3 } });
    // Someone who may not read the graph learns nothing about its batches.
    expect(await codeOf(bob.trpc.batches.get.query({ batchId: batch.id }))).toBe('NOT_FOUND');
    expect((await bob.fetch(`/api/v1/batches/${batch.id}/outputs.zip`)).status).toBe(404);
  });

  it('refuses the whole batch when one item is refused, naming the item; nothing starts', async () => {
    const theirs = await upload(bob, await noisyPng(16, 16));
    const error = await trpcError(alice.trpc.runs.startBatch.mutate({ graphId, items: [{ inputs: { photo: photo.sha256 } }, { inputs: { photo: theirs.sha256 } }] }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('item 2');
    expect(error.data.details.item).toBe(1);
    const before = (await alice.trpc.runs.list.query({ graphId, limit: 100 })).items.length;
    expect(before).toBe(3);
  });

  it('starts batches through the HTTP API and cancels what is still running', async () => {
    const slow = {
      format: 'pixelwire.graph',
      version: 1,
      nodes: [{ id: 'morph', type: 'image.morphology', params: { operation: 'dilate', radius: 20, shape: 'disc', iterations: 4 } }],
      edges: [],
      inputs: [
        { name: 'photo', kind: 'image', targets: [{ node: 'morph', port: 'image' }] },
        { name: 'radius', kind: 'number', targets: [{ node: 'morph', param: 'radius' }] },
      ],
      outputs: [{ name: 'mask', kind: 'mask', source: { node: 'morph', port: 'image' } }],
    };
    const big = await upload(alice, await noisyPng(1200, 900));
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Slow', document: slow });
    const response = await alice.fetch(`/api/v1/graphs/${graph.id}/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [20, 21, 22, 23].map((radius) => ({ inputs: { photo: big.sha256, radius } })) }),
    });
    expect(response.status).toBe(201);
    const { batch } = (await response.json()) as { batch: { id: string } };
    expect(response.headers.get('location')).toBe(`/api/v1/batches/${batch.id}`);
    const cancelled = await alice.trpc.batches.cancel.mutate({ batchId: batch.id });
    expect(cancelled.cancelled).toBeGreaterThan(0);
    await expect.poll(async () => (await alice.trpc.batches.get.query({ batchId: batch.id })).done, { timeout: 20_000 }).toBe(4);
    expect((await alice.trpc.batches.get.query({ batchId: batch.id })).counts.cancelled).toBeGreaterThan(0);
  });
});
