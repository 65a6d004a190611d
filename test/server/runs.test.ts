import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import type { ServerConfig } from '../../server/config';
import { createApiHandler } from '../../server/http/api-handler';
import { listen } from '../../server/http/node-adapter';
import { createTestDatabase, engines } from '../db/harness';
import { clientFor, codeOf, readSse, signedUpClient, startTestServer, type SseEvent, type TestClient, type TestServer } from '../helpers/server-harness';
import {
  blurGraph,
  noisyPng,
  resizeGraph,
  spottyPng,
  subscribeRunEvents,
  trpcError,
  unwiredGraph,
  upload,
  type StreamedEvent,
  type UploadedFile,
} from './server-fixtures';

type Signed = TestClient & { email: string; userId: string };


/**
 * Seconds of synchronous work: 8 passes of a radius-32 disc dilation on a large image,
 * fed by the graph input "photo" (so no image has to be stored before it starts, and its
 * node.started reaches the server while it works).
 */
const slowGraph = () => ({
  format: 'pixelwire.graph',
  version: 1,
  nodes: [{ id: 'morph', type: 'image.morphology', params: { operation: 'dilate', radius: 32, shape: 'disc', iterations: 8 } }],
  edges: [],
  inputs: [{ name: 'photo', kind: 'image', targets: [{ node: 'morph', port: 'image' }] }],
  outputs: [{ name: 'result', kind: 'mask', source: { node: 'morph', port: 'image' } }],
});

/** The code a refused subscription answers with: an HTTP error before the stream, or a serialized-error event in it. */
async function refusedCode(client: TestClient, input: { runId: string }): Promise<string> {
  try {
    await subscribeRunEvents(client, input);
  } catch (error) {
    const e = error as { status?: number; data?: { data?: { code?: string } } };
    if (e.data?.data?.code) return e.data.data.code;
    if (e.status === 401) return 'UNAUTHORIZED';
    if (e.status === 404) return 'NOT_FOUND';
    throw error;
  }
  return 'OK';
}

const finishedOf = (events: StreamedEvent[]) => {
  const last = events.at(-1)?.event;
  if (last?.type !== 'run.finished') throw new Error(`the stream did not end with run.finished: ${JSON.stringify(last)}`);
  return last;
};

/** v1 SSE frames of a run's events (id, event, data) up to the final `end`. */
async function v1Events(client: TestClient, runId: string, headers: Record<string, string> = {}): Promise<SseEvent[]> {
  const response = await client.fetch(`/api/v1/runs/${runId}/events`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const events = await readSse(response, (e) => e.event === 'end');
  expect(events.at(-1)?.event).toBe('end');
  return events;
}

describe.each(engines)('runs (%s)', (kind) => {
  let server: TestServer;
  let alice: Signed;
  let bob: Signed;
  let photo: UploadedFile;
  let sigma = 0.5;
  /** A fresh sigma per graph, so no run is answered from the result cache of an earlier one. */
  const freshBlur = () => blurGraph(photo.sha256, (sigma += 0.25));

  beforeAll(async () => {
    server = await startTestServer(kind);
    [alice, bob] = await Promise.all([signedUpClient(server, 'alice'), signedUpClient(server, 'bob')]);
    photo = await upload(alice, await noisyPng(96, 64));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('streams a run over the tRPC subscription, in order with ids, and resumes after lastEventId', async () => {
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Stream', document: freshBlur() });
    const run = await alice.trpc.runs.start.mutate({ graphId: graph.id });
    expect(run).toMatchObject({ graphId: graph.id, status: 'queued', version: { number: 1 }, createdById: alice.userId });

    const events = await subscribeRunEvents(alice, { runId: run.id });
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => String(i + 1)));
    const types = events.map((e) => e.event.type);
    expect(types[0]).toBe('run.started');
    expect(types.at(-1)).toBe('run.finished');
    for (const node of ['load', 'blur']) {
      const started = events.findIndex((e) => e.event.type === 'node.started' && e.event.nodeId === node);
      const finished = events.findIndex((e) => e.event.type === 'node.finished' && e.event.nodeId === node);
      expect(started, node).toBeGreaterThan(0);
      expect(finished, node).toBeGreaterThan(started);
    }
    // A node's status does not wait for another node's PNG to be stored, so blur's node.started may arrive
    // before load's node.finished; the engine's times say blur started after load finished, and stored
    // events (finished, previews) keep the engine's order.
    const at = (type: string, node: string) => events.find((e) => e.event.type === type && 'nodeId' in e.event && e.event.nodeId === node)?.event;
    expect(at('node.started', 'blur')!.t).toBeGreaterThanOrEqual(at('node.finished', 'load')!.t);
    expect(events.indexOf(events.find((e) => e.event === at('node.finished', 'blur'))!)).toBeGreaterThan(
      events.indexOf(events.find((e) => e.event === at('node.finished', 'load'))!),
    );
    const finished = finishedOf(events);
    expect(finished).toMatchObject({ status: 'succeeded', errors: [], outputs: { result: { kind: 'image', width: 96, height: 64 } } });

    // Once the stream has ended, the stored run says so too.
    const stored = await alice.trpc.runs.get.query({ runId: run.id });
    expect(stored).toMatchObject({ status: 'succeeded', outputs: { result: { kind: 'image', width: 96 } } });
    expect(stored.startedAt).not.toBeNull();
    expect(stored.finishedAt).not.toBeNull();
    expect(stored.nodes.map((n) => [n.nodeId, n.status])).toEqual([
      ['blur', 'finished'],
      ['load', 'finished'],
    ]);

    // Resuming: only what came after the given id, from the input or from the Last-Event-ID header.
    const k = 2;
    const resumed = await subscribeRunEvents(alice, { runId: run.id, lastEventId: String(k) });
    expect(resumed).toEqual(events.slice(k));
    const viaHeader = await subscribeRunEvents(alice, { runId: run.id }, { headers: { 'last-event-id': String(events.length - 1) } });
    expect(viaHeader).toEqual(events.slice(-1));
    expect(await subscribeRunEvents(alice, { runId: run.id, lastEventId: String(events.length) })).toEqual([]);

    // Nobody else may watch it.
    expect(await refusedCode(bob, { runId: run.id })).toBe('NOT_FOUND');
    expect(await refusedCode(clientFor(server), { runId: run.id })).toBe('UNAUTHORIZED');
    expect(await refusedCode(alice, { runId: 'no-such-run' })).toBe('NOT_FOUND');
  });

  it('shows two concurrent viewers of one run the same event sequence', async () => {
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Two viewers', document: freshBlur() });
    const run = await alice.trpc.runs.start.mutate({ graphId: graph.id });
    const tab = clientFor(server);
    await tab.trpc.auth.signIn.mutate({ email: alice.email, password: 'correct horse battery' });
    const [first, second] = await Promise.all([subscribeRunEvents(alice, { runId: run.id }), subscribeRunEvents(tab, { runId: run.id })]);
    expect(first.length).toBeGreaterThan(3);
    expect(second).toEqual(first);
    expect(finishedOf(first).status).toBe('succeeded');
    // A viewer that arrives afterwards reads the same log, and so does the HTTP API.
    expect(await subscribeRunEvents(alice, { runId: run.id })).toEqual(first);
    const v1 = await v1Events(alice, run.id);
    expect(v1.slice(0, -1).map((e) => ({ id: e.id, event: JSON.parse(e.data) }))).toEqual(first);
    expect(v1.slice(0, -1).map((e) => e.event)).toEqual(first.map((e) => e.event.type));
  });

  it('cancels a running run: the stream ends, and the stored run is cancelled', async () => {
    const large = await upload(alice, await spottyPng(2400, 2400));
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Slow', document: slowGraph() });
    const run = await alice.trpc.runs.start.mutate({ graphId: graph.id, inputs: { photo: large.id } });
    let cancelled: Promise<unknown> | undefined;
    let cancelledAt = 0;
    const events = await subscribeRunEvents(
      alice,
      { runId: run.id },
      {
        onEvent: ({ event }) => {
          if (event.type === 'node.started' && event.nodeId === 'morph' && !cancelled) {
            cancelledAt = performance.now();
            // Someone who may not see the run is refused first.
            cancelled = codeOf(bob.trpc.runs.cancel.mutate({ runId: run.id })).then(async (bobs) => ({ bobs, alices: await alice.trpc.runs.cancel.mutate({ runId: run.id }) }));
          }
        },
      },
    );
    const endedAfterMs = performance.now() - cancelledAt;
    expect(cancelled, 'the morphology node never started').toBeDefined();
    expect(await cancelled).toEqual({ bobs: 'NOT_FOUND', alices: { cancelled: true, status: expect.stringMatching(/^(queued|running)$/) } });
    // The node is busy in synchronous work: its worker is stopped after the grace period (2 s), long before 8 passes end.
    expect(endedAfterMs).toBeLessThan(6_000);
    expect(events.some((e) => e.event.type === 'node.finished' && e.event.nodeId === 'morph')).toBe(false);
    const last = events.at(-1)!.event;
    if (last.type === 'run.finished') expect(last.status).toBe('cancelled');

    // The stream's end means the run is recorded: no waiting needed.
    const stored = await alice.trpc.runs.get.query({ runId: run.id });
    expect(stored.status).toBe('cancelled');
    expect(stored.finishedAt).not.toBeNull();
    expect(stored.outputs).toEqual({});
    expect(stored.nodes.filter((n) => n.status === 'finished')).toEqual([]);
    // Cancelling a finished run changes nothing.
    expect(await alice.trpc.runs.cancel.mutate({ runId: run.id })).toEqual({ cancelled: false, status: 'cancelled' });
    // The pool replaced the stopped worker: the next run works.
    const { graph: quick } = await alice.trpc.graphs.create.mutate({ name: 'After cancel', document: freshBlur() });
    const next = await alice.trpc.runs.start.mutate({ graphId: quick.id });
    expect(finishedOf(await subscribeRunEvents(alice, { runId: next.id })).status).toBe('succeeded');
  });

  it('refuses to start a graph that cannot run, with structured validation errors', async () => {
    const { graph, problems } = await alice.trpc.graphs.create.mutate({ name: 'Unwired', document: unwiredGraph() });
    expect(problems).toHaveLength(1);
    const error = await trpcError(alice.trpc.runs.start.mutate({ graphId: graph.id }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.data.httpStatus).toBe(400);
    expect(error.data.details.validationErrors).toEqual([{ nodeId: 'blur', port: 'image', code: 'missing_input', message: expect.any(String) }]);
    expect((await alice.trpc.runs.list.query({ graphId: graph.id })).items).toEqual([]);

    // An image that was never uploaded (or belongs to someone else) is refused the same way.
    const secret = await upload(bob, await noisyPng(8, 8));
    const { graph: borrowed } = await alice.trpc.graphs.create.mutate({ name: 'Borrowed', document: blurGraph(secret.sha256) });
    const forbidden = await trpcError(alice.trpc.runs.start.mutate({ graphId: borrowed.id }));
    expect(forbidden.code).toBe('FORBIDDEN');
    expect(forbidden.data.details.validationErrors).toEqual([expect.objectContaining({ nodeId: 'load', param: 'artifact', code: 'forbidden' })]);
    expect(await codeOf(bob.trpc.runs.start.mutate({ graphId: graph.id }))).toBe('NOT_FOUND');
    expect(await codeOf(alice.trpc.runs.start.mutate({ graphId: graph.id, version: 7 }))).toBe('NOT_FOUND');
  });

  it('checks the artifacts a run reads after graph inputs and their defaults are applied (no reading others\' images by sha256)', async () => {
    const secret = await upload(bob, await noisyPng(8, 8));
    /** image.load whose artifact param is set by a text input: the attack from the security review. */
    const viaInput = (defaultSha?: string) => ({
      format: 'pixelwire.graph',
      version: 1,
      nodes: [{ id: 'load', type: 'image.load', params: { source: 'artifact', artifact: photo.sha256 } }],
      edges: [],
      inputs: [{ name: 'pick', kind: 'text', required: false, ...(defaultSha ? { default: defaultSha } : {}), targets: [{ node: 'load', param: 'artifact' }] }],
      outputs: [{ name: 'image', kind: 'image', source: { node: 'load', port: 'image' } }],
    });
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Pick', document: viaInput() });
    // The caller's value for the input replaces the param: checked as the node will run with it.
    const byInput = await trpcError(alice.trpc.runs.start.mutate({ graphId: graph.id, inputs: { pick: secret.sha256 } }));
    expect(byInput.code).toBe('FORBIDDEN');
    expect(byInput.data.details.validationErrors).toEqual([expect.objectContaining({ nodeId: 'load', param: 'artifact', code: 'forbidden' })]);
    // The same through the HTTP API.
    const rest = await alice.fetch(`/api/v1/graphs/${graph.id}/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: { pick: secret.sha256 } }) });
    expect(rest.status).toBe(403);
    // An input's default counts too.
    const { graph: defaulted } = await alice.trpc.graphs.create.mutate({ name: 'Pick default', document: viaInput(secret.sha256) });
    expect(await codeOf(alice.trpc.runs.start.mutate({ graphId: defaulted.id }))).toBe('FORBIDDEN');
    // Her own image through the same input runs and returns it.
    const own = await alice.trpc.runs.start.mutate({ graphId: graph.id, inputs: { pick: photo.sha256 } });
    expect(finishedOf(await subscribeRunEvents(alice, { runId: own.id }))).toMatchObject({ status: 'succeeded', outputs: { image: { width: 96 } } });
    expect((await alice.trpc.runs.list.query({ graphId: defaulted.id })).items).toEqual([]);
  });

  it('runs the document it is given (the canvas) without making a version, and keeps it with the run', async () => {
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Edited on the canvas', document: blurGraph(photo.sha256, 2) });
    const run = await alice.trpc.runs.start.mutate({ graphId: graph.id, document: blurGraph(photo.sha256, 6) });
    expect(finishedOf(await subscribeRunEvents(alice, { runId: run.id })).status).toBe('succeeded');
    expect(run.version).toMatchObject({ number: 1 });
    const stored = await alice.trpc.runs.get.query({ runId: run.id });
    expect(stored.document).toMatchObject({ nodes: expect.arrayContaining([expect.objectContaining({ id: 'blur', params: { sigma: 6 } })]) });
    expect((await alice.trpc.graphs.versions.query({ graphId: graph.id })).map((v) => v.number)).toEqual([1]);
    // The document is checked like a saved one: an invalid one is refused with structured errors.
    const refused = await trpcError(alice.trpc.runs.start.mutate({ graphId: graph.id, document: unwiredGraph() }));
    expect(refused.code).toBe('BAD_REQUEST');
    expect(refused.data.details.validationErrors).toEqual([expect.objectContaining({ nodeId: 'blur', code: 'missing_input' })]);
    // Running the version as saved keeps no document.
    const plain = await alice.trpc.runs.start.mutate({ graphId: graph.id });
    await subscribeRunEvents(alice, { runId: plain.id });
    expect((await alice.trpc.runs.get.query({ runId: plain.id })).document).toBeNull();
  });

  it('passes graph inputs: an image by artifact id or sha256, a number into a param; checks them first', async () => {
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Resize', document: resizeGraph() });
    const byId = await alice.trpc.runs.start.mutate({ graphId: graph.id, inputs: { photo: photo.id, width: 24 } });
    expect(byId.inputs).toEqual({ photo: photo.id, width: 24 });
    const byIdResult = finishedOf(await subscribeRunEvents(alice, { runId: byId.id }));
    expect(byIdResult).toMatchObject({ status: 'succeeded', outputs: { result: { width: 24, height: 16 } } });

    // Optional input left out: its default (16) applies.
    const byDefault = await alice.trpc.runs.start.mutate({ graphId: graph.id, inputs: { photo: photo.sha256 } });
    expect(finishedOf(await subscribeRunEvents(alice, { runId: byDefault.id }))).toMatchObject({ status: 'succeeded', outputs: { result: { width: 16 } } });

    const refused = async (inputs: Record<string, unknown>, graphId = graph.id) => {
      const error = await trpcError(alice.trpc.runs.start.mutate({ graphId, inputs: inputs as never }));
      expect(error.code, JSON.stringify(inputs)).toBe('BAD_REQUEST');
      return error.data.details.validationErrors as { nodeId: null; input: string; code: string }[];
    };
    expect(await refused({})).toEqual([expect.objectContaining({ nodeId: null, input: 'photo', code: 'missing_graph_input' })]);
    expect(await refused({ photo: photo.id, width: 'wide' })).toEqual([expect.objectContaining({ input: 'width', code: 'invalid_graph_input' })]);
    expect(await refused({ photo: photo.id, colour: 'red' })).toEqual([expect.objectContaining({ input: 'colour', code: 'invalid_graph_input' })]);
    expect(await refused({ photo: 'not-an-artifact' })).toEqual([expect.objectContaining({ input: 'photo', code: 'invalid_graph_input' })]);
    const bobsPhoto = await upload(bob, await noisyPng(10, 10));
    expect(await refused({ photo: bobsPhoto.id })).toEqual([expect.objectContaining({ input: 'photo', code: 'invalid_graph_input' })]);
    expect(await refused({ photo: bobsPhoto.sha256 })).toEqual([expect.objectContaining({ input: 'photo', code: 'invalid_graph_input' })]);
    const { graph: strict } = await alice.trpc.graphs.create.mutate({ name: 'Resize (width required)', document: resizeGraph(true) });
    expect(await refused({ photo: photo.id }, strict.id)).toEqual([expect.objectContaining({ input: 'width', code: 'missing_graph_input' })]);
    // None of the refused starts left a run behind.
    expect((await alice.trpc.runs.list.query({ graphId: graph.id })).items.map((r) => r.id)).toEqual([byDefault.id, byId.id]);
  });

  it('lists the runs of one graph, newest first, page by page', async () => {
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Listed', document: freshBlur() });
    const { graph: other } = await alice.trpc.graphs.create.mutate({ name: 'Other', document: freshBlur() });
    const started: string[] = [];
    for (let i = 0; i < 3; i++) started.push((await alice.trpc.runs.start.mutate({ graphId: graph.id })).id);
    const elsewhere = await alice.trpc.runs.start.mutate({ graphId: other.id });
    await Promise.all([...started, elsewhere.id].map((runId) => subscribeRunEvents(alice, { runId })));

    const all = await alice.trpc.runs.list.query({ graphId: graph.id });
    expect(all.items.map((r) => r.id)).toEqual([...started].reverse());
    expect(all.items.every((r) => r.graphId === graph.id && r.status === 'succeeded')).toBe(true);
    expect(all.nextCursor).toBeNull();
    const page1 = await alice.trpc.runs.list.query({ graphId: graph.id, limit: 2 });
    expect(page1.items.map((r) => r.id)).toEqual([started[2], started[1]]);
    const page2 = await alice.trpc.runs.list.query({ graphId: graph.id, limit: 2, cursor: page1.nextCursor! });
    expect(page2.items.map((r) => r.id)).toEqual([started[0]]);
    expect(page2.nextCursor).toBeNull();
    expect((await alice.trpc.runs.list.query({ graphId: other.id })).items.map((r) => r.id)).toEqual([elsewhere.id]);
    expect(await codeOf(bob.trpc.runs.list.query({ graphId: graph.id }))).toBe('NOT_FOUND');
  });

  describe('HTTP API v1', () => {
    let script: TestClient;
    let graphId: string;
    beforeAll(async () => {
      const { token } = await alice.trpc.tokens.create.mutate({ name: 'v1 tests' });
      script = clientFor(server, { token });
      graphId = (await alice.trpc.graphs.create.mutate({ name: 'Resize via API', document: resizeGraph() })).graph.id;
    });

    it('starts a run from JSON, reads it back, and streams its events with Last-Event-ID', async () => {
      const response = await script.fetch(`/api/v1/graphs/${graphId}/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: { photo: photo.id, width: 32 } }),
      });
      expect(response.status).toBe(201);
      const run = (await response.json()) as { id: string; status: string; graphId: string };
      expect(run).toMatchObject({ graphId, status: 'queued' });
      expect(response.headers.get('location')).toBe(`/api/v1/runs/${run.id}`);

      const events = await v1Events(script, run.id);
      const data = events.slice(0, -1);
      expect(data.map((e) => e.id)).toEqual(data.map((_, i) => String(i + 1)));
      expect(data[0]!.event).toBe('run.started');
      expect(data.at(-1)!.event).toBe('run.finished');
      expect(JSON.parse(data.at(-1)!.data)).toMatchObject({ status: 'succeeded', outputs: { result: { width: 32 } } });

      const got = await script.fetch(`/api/v1/runs/${run.id}`);
      expect(got.status).toBe(200);
      const body = (await got.json()) as { outputs: { result: { artifactId: string; preview: { artifactId: string } } } };
      expect(body).toMatchObject({ id: run.id, status: 'succeeded', nodes: [{ nodeId: 'resize', status: 'finished' }] });
      // The output and its preview download with the same token, under /api/v1.
      const output = await script.fetch(`/api/v1/runs/${run.id}/files/${body.outputs.result.artifactId}`);
      expect(output.status).toBe(200);
      expect(output.headers.get('etag')).toBe(`"${body.outputs.result.artifactId}"`);
      expect((await sharp(Buffer.from(await output.arrayBuffer())).metadata()).width).toBe(32);
      const preview = await script.fetch(`/api/v1/runs/${run.id}/files/${body.outputs.result.preview.artifactId}`);
      expect(preview.headers.get('content-type')).toBe('image/webp');
      expect((await script.fetch(`/api/v1/runs/${run.id}/files/${'0'.repeat(64)}`)).status).toBe(404);

      const resumed = await v1Events(script, run.id, { 'last-event-id': '2' });
      expect(resumed.slice(0, -1).map((e) => e.id)).toEqual(data.slice(2).map((e) => e.id));
      expect(resumed.slice(0, -1).map((e) => e.data)).toEqual(data.slice(2).map((e) => e.data));
    });

    it('starts a run from multipart, the image part named after the input', async () => {
      const form = new FormData();
      form.set('photo', new Blob([new Uint8Array(await noisyPng(40, 20))], { type: 'image/png' }), 'photo.png');
      form.set('inputs', JSON.stringify({ width: 12 }));
      const response = await script.fetch(`/api/v1/graphs/${graphId}/runs`, { method: 'POST', body: form });
      expect(response.status, await response.clone().text()).toBe(201);
      const run = (await response.json()) as { id: string; inputs: { photo: string; width: number } };
      expect(run.inputs.width).toBe(12);
      // The part became an artifact of the caller, passed by id.
      const artifact = await alice.trpc.artifacts.get.query({ id: run.inputs.photo });
      expect(artifact).toMatchObject({ width: 40, height: 20, mediaType: 'image/png' });

      const events = await v1Events(script, run.id);
      expect(JSON.parse(events.at(-2)!.data)).toMatchObject({ type: 'run.finished', status: 'succeeded', outputs: { result: { width: 12, height: 6 } } });
    });

    it('answers errors as JSON with their code and details', async () => {
      const missing = await script.fetch(`/api/v1/graphs/${graphId}/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"inputs":{}}' });
      expect(missing.status).toBe(400);
      expect(await missing.json()).toMatchObject({
        error: { code: 'BAD_REQUEST', details: { validationErrors: [{ input: 'photo', code: 'missing_graph_input' }] } },
      });
      const notJson = await script.fetch(`/api/v1/graphs/${graphId}/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{inputs' });
      expect(notJson.status).toBe(400);
      const anonymous = await fetch(`${server.url}/api/v1/graphs/${graphId}/runs`, { method: 'POST', body: '{}' });
      expect(anonymous.status).toBe(401);
      const bobs = await bob.fetch(`/api/v1/graphs/${graphId}/runs`, { method: 'POST', body: '{}' });
      expect(bobs.status).toBe(404);
      expect((await script.fetch('/api/v1/runs/nope')).status).toBe(404);
      expect((await script.fetch('/api/v1/runs/nope/events')).status).toBe(404);
      const unwired = (await alice.trpc.graphs.create.mutate({ name: 'Unwired (API)', document: unwiredGraph() })).graph.id;
      const invalid = await script.fetch(`/api/v1/graphs/${unwired}/runs`, { method: 'POST', body: '{}' });
      expect(invalid.status).toBe(400);
      expect(await invalid.json()).toMatchObject({ error: { details: { validationErrors: [{ nodeId: 'blur', code: 'missing_input' }] } } });
    });
  });

  it('marks runs a previous process left active as interrupted when the app starts again', async () => {
    const database = await createTestDatabase(kind);
    const dataDir = await mkdtemp(join(tmpdir(), 'pw-restart-'));
    const config: ServerConfig = {
      dataDir,
      workers: 1,
      maxUploadBytes: 5 * 1024 * 1024,
      maxPixels: 25_000_000,
      previewMaxSide: 256,
      sessionDays: 30,
      secureCookies: false,
      trustProxy: false,
    };
    const serve = async () => {
      const app = await createApp({ database: database.config, config });
      const http = await listen(createApiHandler(app));
      return { app, url: http.url, close: async () => (await http.close(), await app.close()) };
    };
    try {
      // First life: a user, a graph and an image, then runs the process was in the middle of.
      const first = await serve();
      const carol = await signedUpClient(first, 'carol');
      const image = await upload(carol, await noisyPng(16, 16));
      const { graph } = await carol.trpc.graphs.create.mutate({ name: 'Survivor', document: blurGraph(image.sha256) });
      const versionId = graph.headVersion!.id;
      const prisma = first.app.db.prisma;
      const base = { graphId: graph.id, versionId, createdById: carol.userId };
      const running = await prisma.run.create({ data: { ...base, status: 'running', startedAt: new Date() } });
      const queued = await prisma.run.create({ data: { ...base, status: 'queued' } });
      const done = await prisma.run.create({ data: { ...base, status: 'succeeded', startedAt: new Date(), finishedAt: new Date() } });
      await first.close();

      // Second life on the same database and data folder.
      const second = await serve();
      try {
        const rows = await second.app.db.prisma.run.findMany({ where: { graphId: graph.id }, select: { id: true, status: true, error: true, finishedAt: true } });
        const byId = new Map(rows.map((r) => [r.id, r]));
        expect(byId.get(running.id)).toMatchObject({ status: 'interrupted', error: { code: 'interrupted' }, finishedAt: expect.any(Date) });
        expect(byId.get(queued.id)).toMatchObject({ status: 'interrupted', error: { code: 'interrupted' } });
        expect(byId.get(done.id)).toMatchObject({ status: 'succeeded', error: null });

        const again = clientFor(second);
        await again.trpc.auth.signIn.mutate({ email: carol.email, password: 'correct horse battery' });
        expect(await again.trpc.runs.get.query({ runId: running.id })).toMatchObject({ status: 'interrupted' });
        // Watching an interrupted run ends at once with run.finished (as every run's stream does); cancelling it does nothing.
        const interrupted = await subscribeRunEvents(again, { runId: running.id });
        expect(interrupted.map((e) => e.event.type)).toEqual(['run.finished']);
        expect(finishedOf(interrupted)).toMatchObject({ status: 'failed', errors: [{ code: 'interrupted' }] });
        expect(await again.trpc.runs.cancel.mutate({ runId: running.id })).toEqual({ cancelled: false, status: 'interrupted' });
        // The restarted app runs the same graph from the stored image.
        const fresh = await again.trpc.runs.start.mutate({ graphId: graph.id });
        expect(finishedOf(await subscribeRunEvents(again, { runId: fresh.id })).status).toBe('succeeded');
      } finally {
        await second.close();
      }
    } finally {
      await database.dispose();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('serves the output image of a finished run to its owner only', async () => {
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Download', document: freshBlur() });
    const run = await alice.trpc.runs.start.mutate({ graphId: graph.id });
    const result = finishedOf(await subscribeRunEvents(alice, { runId: run.id })).outputs.result as { artifactId: string };
    const file = await alice.fetch(`/api/runs/${run.id}/files/${result.artifactId}`);
    expect(file.status).toBe(200);
    expect((await sharp(Buffer.from(await file.arrayBuffer())).metadata()).width).toBe(96);
    expect((await bob.fetch(`/api/runs/${run.id}/files/${result.artifactId}`)).status).toBe(404);
  });
});
