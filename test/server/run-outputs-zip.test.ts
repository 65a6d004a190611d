import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzip } from '../../server/util/unzip';
import { GRAPH_PNG_KEYWORD } from '../../nodes/_impl/embedded-graph';
import { signedUpClient, startTestServer, type TestClient, type TestServer } from '../helpers/server-harness';
import { loadNode, noisyPng, subscribeRunEvents, upload } from './server-fixtures';

/** The entries of a downloaded ZIP, read with the project's own (tested) reader. */
const readZip = (zip: Buffer) => new Map(unzip(zip, { maxEntries: 1000, maxBytes: 1 << 30 }).map((e) => [e.name, e.bytes]));

describe('GET /api/v1/runs/{runId}/outputs.zip', () => {
  let server: TestServer;
  let alice: TestClient & { userId: string };
  let bob: TestClient & { userId: string };

  beforeAll(async () => {
    server = await startTestServer('pglite');
    alice = await signedUpClient(server, 'alice');
    bob = await signedUpClient(server, 'bob');
  });
  afterAll(() => server.close());

  it('zips the graph outputs, the saved PNG that carries the graph and results.json, for readers of the run only', async () => {
    const photo = await upload(alice, await noisyPng(40, 30));
    const document = {
      format: 'pixelwire.graph',
      version: 1,
      nodes: [loadNode(photo.sha256), { id: 'blur', type: 'image.blur', params: { sigma: 1 } }, { id: 'save', type: 'image.save', params: { filename: 'blurred' } }],
      edges: [
        { from: { node: 'load', port: 'image' }, to: { node: 'blur', port: 'image' } },
        { from: { node: 'blur', port: 'image' }, to: { node: 'save', port: 'image' } },
      ],
      outputs: [{ name: 'result', kind: 'image', source: { node: 'blur', port: 'image' } }],
    };
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Zip me', document });
    const run = await alice.trpc.runs.start.mutate({ graphId: graph.id });
    await subscribeRunEvents(alice, { runId: run.id });

    const response = await alice.fetch(`/api/v1/runs/${run.id}/outputs.zip`);
    expect(response.status, await response.clone().text()).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toContain(`run-${run.id}.zip`);
    const entries = readZip(Buffer.from(await response.arrayBuffer()));
    expect([...entries.keys()]).toEqual(['outputs/result.png', 'saved/blurred.png', 'results.json']);
    expect((await sharp(entries.get('outputs/result.png')!).metadata()).width).toBe(40);
    // The saved file is the PNG that carries the graph, so it reopens in the editor.
    expect(entries.get('saved/blurred.png')!.includes(Buffer.from(GRAPH_PNG_KEYWORD))).toBe(true);
    expect(JSON.parse(entries.get('results.json')!.toString())).toMatchObject({ runId: run.id, status: 'succeeded', saved: [{ nodeId: 'save', file: 'saved/blurred.png' }] });

    // Someone who may not read the run learns nothing, as for the run's files; no token, no archive.
    expect((await bob.fetch(`/api/v1/runs/${run.id}/outputs.zip`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/v1/runs/${run.id}/outputs.zip`)).status).toBe(401);
  });
});
