import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readPngText } from '../../nodes/_impl/png-text';
import type { WireEvent } from '../../server/runs/wire-events';
import { signedUpClient, startTestServer, type TestServer } from '../helpers/server-harness';
import { noisyPng, subscribeRunEvents, upload } from './server-fixtures';

/** The file an image.save node's node.finished event names (its `artifact` output). */
const savedFile = (event: WireEvent | undefined) =>
  event?.type === 'node.finished' ? z.object({ value: z.object({ id: z.string() }) }).parse(event.outputs.artifact).value : undefined;

const candySha256 = '50d77c5711ce3c3ceb5339179713456dca0303650da9a610b8d264fa12eba4de';

/** Saved PNGs and run details say where they come from: graph, version, run and the models' sha256. */
describe('provenance', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { workers: 1 });
  });
  afterAll(() => server.close());

  it('records the graph, its version and the sha256 of each model in the PNG and the run', async () => {
    const alice = await signedUpClient(server, 'alice');
    const photo = await upload(alice, await noisyPng(64, 48));
    const document = {
      format: 'pixelwire.graph',
      version: 1,
      nodes: [
        { id: 'load', type: 'image.load', params: { artifact: photo.sha256 } },
        { id: 'style', type: 'style.fast', params: { model: 'candy' } },
        { id: 'save', type: 'image.save', params: { filename: 'styled' } },
      ],
      edges: [
        { from: { node: 'load', port: 'image' }, to: { node: 'style', port: 'image' } },
        { from: { node: 'style', port: 'image' }, to: { node: 'save', port: 'image' } },
      ],
    };
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Styled', document });
    const run = await alice.trpc.runs.start.mutate({ graphId: graph.id });
    const events = await subscribeRunEvents(alice, { runId: run.id });
    expect(events.at(-1)!.event).toMatchObject({ type: 'run.finished', status: 'succeeded' });
    const saved = events.map((e) => e.event).find((e) => e.type === 'node.finished' && e.nodeId === 'save');
    const file = savedFile(saved);
    if (!file) throw new Error('no saved file');

    const png = Buffer.from(await (await alice.fetch(`/api/runs/${run.id}/files/${file.id}`)).arrayBuffer());
    const text = readPngText(png);
    expect(JSON.parse(text['pixelwire.provenance']!)).toEqual({ graphId: graph.id, version: 1, runId: run.id, models: { 'style/candy': candySha256 } });
    expect(JSON.parse(text['pixelwire.graph']!)).toMatchObject({ nodes: expect.any(Array) });
    expect(await alice.trpc.runs.get.query({ runId: run.id })).toMatchObject({ models: { 'style/candy': candySha256 }, version: { number: 1 } });

    // Run from the canvas: the file says the version it was edited from.
    const edited = await alice.trpc.runs.start.mutate({ graphId: graph.id, document: { ...document, nodes: document.nodes.map((n) => (n.id === 'save' ? { ...n, params: { filename: 'edited' } } : n)) } });
    const editedEvents = await subscribeRunEvents(alice, { runId: edited.id });
    const editedSave = editedEvents.map((e) => e.event).find((e) => e.type === 'node.finished' && e.nodeId === 'save');
    const editedFile = savedFile(editedSave);
    const editedPng = Buffer.from(await (await alice.fetch(`/api/runs/${edited.id}/files/${editedFile!.id}`)).arrayBuffer());
    expect(JSON.parse(readPngText(editedPng)['pixelwire.provenance']!)).toMatchObject({ graphId: graph.id, version: 1, edited: true, runId: edited.id });
  });
});
