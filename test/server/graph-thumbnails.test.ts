import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zOutputSummaries } from '../../server/runs/wire-events';
import { engines } from '../db/harness';
import { signedUpClient, startTestServer, type TestClient, type TestServer } from '../helpers/server-harness';
import { blurGraph, noisyPng, subscribeRunEvents, upload } from './server-fixtures';

/** Starts a run of the graph's head version and waits until it is recorded as settled. */
async function runToEnd(client: TestClient, graphId: string) {
  const run = await client.trpc.runs.start.mutate({ graphId });
  await subscribeRunEvents(client, { runId: run.id });
  const settled = await client.trpc.runs.get.query({ runId: run.id });
  expect(settled.status).toBe('succeeded');
  return settled;
}

/** The preview URL of a run's image output (the named one, else any). */
function previewUrl(run: { id: string; outputs: unknown }, name?: string): string {
  const outputs = zOutputSummaries.parse(run.outputs);
  const image = name ? outputs[name] : Object.values(outputs).find((o) => 'artifactId' in o);
  if (!image || !('preview' in image)) throw new Error('the run has no image output');
  return `/api/runs/${run.id}/files/${image.preview.artifactId}`;
}

describe.each(engines)('graph list thumbnails (%s)', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("shows the preview of the latest succeeded run's first image output, and null before any run", async () => {
    const alice = await signedUpClient(server, 'alice');
    const sha = (await upload(alice, await noisyPng(80, 60))).sha256;
    const { graph: ran } = await alice.trpc.graphs.create.mutate({ name: 'Ran twice', document: blurGraph(sha, 1) });
    const { graph: never } = await alice.trpc.graphs.create.mutate({ name: 'Never ran', document: blurGraph(sha, 2) });

    const first = await runToEnd(alice, ran.id);
    await alice.trpc.graphs.save.mutate({ graphId: ran.id, baseVersion: 1, document: blurGraph(sha, 4) });
    const second = await runToEnd(alice, ran.id);
    expect(previewUrl(second)).not.toBe(previewUrl(first));

    const { items } = await alice.trpc.graphs.list.query({});
    const byId = new Map(items.map((item) => [item.id, item]));
    expect(byId.get(never.id)?.thumbnail).toBeNull();
    expect(byId.get(ran.id)?.thumbnail).toBe(previewUrl(second));

    // The URL serves the preview to the owner, and to no one else.
    const image = await alice.fetch(byId.get(ran.id)!.thumbnail!);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toMatch(/^image\/(webp|jpeg)/);
    const bob = await signedUpClient(server, 'bob');
    expect((await bob.fetch(byId.get(ran.id)!.thumbnail!)).status).not.toBe(200);
  });

  it('gives each listed graph its own thumbnail in one page', async () => {
    const carol = await signedUpClient(server, 'carol');
    const sha = (await upload(carol, await noisyPng(40, 30))).sha256;
    const graphs = await Promise.all([1, 2, 3].map((sigma) => carol.trpc.graphs.create.mutate({ name: `Blur ${sigma}`, document: blurGraph(sha, sigma) })));
    const runs = await Promise.all(graphs.map(({ graph }) => runToEnd(carol, graph.id)));
    const { items } = await carol.trpc.graphs.list.query({ limit: 2 });
    expect(items).toHaveLength(2);
    for (const item of items) {
      const index = graphs.findIndex(({ graph }) => graph.id === item.id);
      expect(item.thumbnail).toBe(previewUrl(runs[index]!));
    }
  });

  it("follows the graph's order of outputs, not the stored one", async () => {
    const dave = await signedUpClient(server, 'dave');
    const sha = (await upload(dave, await noisyPng(48, 36))).sha256;
    // Stored as jsonb, "raw" (shorter) comes back before "softened"; the graph declares "softened" first.
    const document = {
      ...blurGraph(sha, 3),
      outputs: [
        { name: 'softened', kind: 'image', source: { node: 'blur', port: 'image' } },
        { name: 'raw', kind: 'image', source: { node: 'load', port: 'image' } },
      ],
    };
    const { graph } = await dave.trpc.graphs.create.mutate({ name: 'Two outputs', document });
    const run = await runToEnd(dave, graph.id);
    const { items } = await dave.trpc.graphs.list.query({});
    expect(items.find((item) => item.id === graph.id)?.thumbnail).toBe(previewUrl(run, 'softened'));
  });
});
