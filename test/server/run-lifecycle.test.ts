import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse, signedUpClient, startTestServer, type TestServer } from '../helpers/server-harness';

async function photo(width = 640, height = 480): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 30 } } })
    .png()
    .toBuffer();
}

const blurGraph = (artifact: string) => ({
  format: 'pixelwire.graph',
  version: 1,
  nodes: [
    { id: 'load', type: 'image.load', params: { source: 'artifact', artifact } },
    { id: 'blur', type: 'image.blur', params: { sigma: 2 } },
  ],
  edges: [{ from: { node: 'load', port: 'image' }, to: { node: 'blur', port: 'image' } }],
  outputs: [{ name: 'result', kind: 'image', source: { node: 'blur', port: 'image' } }],
});

describe('run lifecycle (PGlite)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('uploads, saves, runs, streams events with previews, and records the outcome', async () => {
    const alice = await signedUpClient(server, 'alice');
    const upload = await alice.fetch('/api/uploads', { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(await photo()) });
    expect(upload.status).toBe(201);
    const { file } = (await upload.json()) as { file: { id: string; sha256: string; width: number } };
    expect(file.width).toBe(640);

    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Blur', document: blurGraph(file.sha256) });
    const run = await alice.trpc.runs.start.mutate({ graphId: graph.id });
    expect(run.status).toBe('queued');

    const stream = await alice.fetch(`/api/v1/runs/${run.id}/events`);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const events = await readSse(stream, (e) => e.event === 'end');
    const types = events.map((e) => e.event);
    expect(types[0]).toBe('run.started');
    expect(types).toContain('node.finished');
    expect(types.at(-2)).toBe('run.finished');
    expect(events.slice(0, -1).map((e) => Number(e.id))).toEqual(events.slice(0, -1).map((_, i) => i + 1));

    const finished = JSON.parse(events.find((e) => e.event === 'run.finished')!.data);
    expect(finished.status).toBe('succeeded');
    const result = finished.outputs.result;
    expect(result).toMatchObject({ kind: 'image', width: 640, height: 480 });
    const preview = await alice.fetch(`/api/runs/${run.id}/files/${result.preview.artifactId}`);
    expect(preview.status).toBe(200);
    const meta = await sharp(Buffer.from(await preview.arrayBuffer())).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(512);

    const stored = await alice.trpc.runs.get.query({ runId: run.id });
    expect(stored.status).toBe('succeeded');
    expect(stored.nodes.map((n) => n.nodeId).sort()).toEqual(['blur', 'load']);

    // A viewer that comes back later resumes after the last event it saw.
    const resumed = await readSse(await alice.fetch(`/api/v1/runs/${run.id}/events`, { headers: { 'last-event-id': String(events.length - 3) } }), (e) => e.event === 'end');
    expect(resumed.map((e) => e.id).filter(Boolean)).toEqual([String(events.length - 2), String(events.length - 1)]);
  });

  it('serves a file named by an event as soon as the event arrives, while the run goes on', async () => {
    const bob = await signedUpClient(server, 'bob');
    const upload = await bob.fetch('/api/uploads', { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(await photo(400, 300)) });
    const { file } = (await upload.json()) as { file: { sha256: string } };
    const { graph } = await bob.trpc.graphs.create.mutate({ name: 'Blur', document: blurGraph(file.sha256) });
    const run = await bob.trpc.runs.start.mutate({ graphId: graph.id });
    const statuses: number[] = [];
    // Fetch each preview the moment its node.finished arrives (the event log reaches the database in batches).
    await readSse(await bob.fetch(`/api/v1/runs/${run.id}/events`), (e) => {
      if (e.event === 'node.finished') {
        const { outputs } = JSON.parse(e.data) as { outputs: { image: { preview: { artifactId: string } } } };
        void bob.fetch(`/api/runs/${run.id}/files/${outputs.image.preview.artifactId}`).then((r) => statuses.push(r.status));
      }
      return e.event === 'end';
    });
    await expect.poll(() => statuses).toEqual([200, 200]);
  });
});
