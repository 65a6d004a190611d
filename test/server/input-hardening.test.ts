import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../db/harness';
import { clientFor, signedUpClient, startTestServer, type TestClient, type TestServer } from '../helpers/server-harness';
import { blurGraph, noisyPng, trpcError, type UploadedFile } from './server-fixtures';

// Issue 12, items 7, 8 and 17: hostile strings, hostile nesting and truncated images are refused at the boundary
// with 400/415 and a field error, never a 500 from PostgreSQL, zod or a stack overflow.

type Signed = TestClient & { email: string; userId: string };

/** Strings PostgreSQL cannot store (NUL) or that are not Unicode (lone surrogates). */
const badStrings: [string, string][] = [
  ['NUL', 'a\u0000b'],
  ['lone high surrogate', 'tail \ud800'],
  ['lone low surrogate', '\udc00 head'],
];

/** A graph with one text input (feeding a draw-text node) and a labelled param in a json-ish place. */
const textGraph = (artifact: string, label = 'caption') => ({
  format: 'pixelwire.graph',
  version: 1,
  nodes: [
    { id: 'load', type: 'image.load', params: { source: 'artifact', artifact } },
    { id: 'text', type: 'image.draw-text', params: { defaultText: label } },
  ],
  edges: [{ from: { node: 'load', port: 'image' }, to: { node: 'text', port: 'image' } }],
  inputs: [{ name: 'caption', kind: 'text', required: false, targets: [{ node: 'text', port: 'text' }] }],
  outputs: [{ name: 'result', kind: 'image', source: { node: 'text', port: 'image' } }],
});

/** A raw-body upload as the web app sends it (its request header marks it as the app's own, not a cross-site post). */
async function postImage(client: TestClient, bytes: Buffer): Promise<Response> {
  return client.fetch('/api/uploads', { method: 'POST', headers: { 'content-type': 'image/png', 'x-pixelwire-request': '1' }, body: new Uint8Array(bytes) });
}

async function upload(client: TestClient, bytes: Buffer): Promise<UploadedFile> {
  const response = await postImage(client, bytes);
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { file: UploadedFile }).file;
}

describe.each(engines)('input hardening (%s)', (kind) => {
  let server: TestServer;
  let alice: Signed;
  let sha: string;
  let graphId: string;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    alice = await signedUpClient(server, 'alice');
    sha = (await upload(alice, await noisyPng(32, 24))).sha256;
    graphId = (await alice.trpc.graphs.create.mutate({ name: 'Captioned', document: textGraph(sha) })).graph.id;
    token = (await alice.trpc.tokens.create.mutate({ name: 'script' })).token;
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Each procedure with one string field set to the bad value, and the top-level field the error must name. */
  const procedures: [string, string, (bad: string) => Promise<unknown>][] = [
    ['graphs.create name', 'name', (bad) => alice.trpc.graphs.create.mutate({ name: bad })],
    ['graphs.create description', 'description', (bad) => alice.trpc.graphs.create.mutate({ name: 'ok', description: bad })],
    ['graphs.create tags', 'tags', (bad) => alice.trpc.graphs.create.mutate({ name: 'ok', tags: [bad] })],
    ['graphs.create message', 'message', (bad) => alice.trpc.graphs.create.mutate({ name: 'ok', message: bad })],
    ['graphs.create document string', 'document', (bad) => alice.trpc.graphs.create.mutate({ name: 'ok', document: textGraph(sha, bad) })],
    ['graphs.create document key', 'document', (bad) => alice.trpc.graphs.create.mutate({ name: 'ok', document: { ...textGraph(sha), ui: { [bad]: 1 } } })],
    ['graphs.save message', 'message', (bad) => alice.trpc.graphs.save.mutate({ graphId, baseVersion: 1, document: textGraph(sha), message: bad })],
    ['graphs.save document', 'document', (bad) => alice.trpc.graphs.save.mutate({ graphId, baseVersion: 1, document: textGraph(sha, bad) })],
    ['graphs.update name', 'name', (bad) => alice.trpc.graphs.update.mutate({ graphId, name: bad })],
    ['graphs.update description', 'description', (bad) => alice.trpc.graphs.update.mutate({ graphId, description: bad })],
    ['graphs.duplicate name', 'name', (bad) => alice.trpc.graphs.duplicate.mutate({ graphId, name: bad })],
    ['graphs.list search', 'search', (bad) => alice.trpc.graphs.list.query({ search: bad })],
    ['graphs.list tag', 'tag', (bad) => alice.trpc.graphs.list.query({ tag: bad })],
    ['teams.create name', 'name', (bad) => alice.trpc.teams.create.mutate({ name: bad })],
    ['tokens.create name', 'name', (bad) => alice.trpc.tokens.create.mutate({ name: bad })],
    ['auth.signUp name', 'name', (bad) => clientFor(server).trpc.auth.signUp.mutate({ email: `n-${Math.random()}@example.com`, password: 'correct horse battery', name: bad })],
    ['runs.start inputs', 'inputs', (bad) => alice.trpc.runs.start.mutate({ graphId, inputs: { caption: bad } })],
    ['runs.start document', 'document', (bad) => alice.trpc.runs.start.mutate({ graphId, document: textGraph(sha, bad) })],
    ['catalogue.validate document', 'document', (bad) => alice.trpc.catalogue.validate.query({ document: textGraph(sha, bad) })],
  ];

  describe.each(badStrings)('%s', (_name, bad) => {
    it.each(procedures)('%s → 400 with a field error', async (_label, field, call) => {
      const error = await trpcError(call(bad));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.data.httpStatus).toBe(400);
      expect(error.data.zodError?.fieldErrors?.[field]?.[0]).toMatch(/NUL|surrogate/);
      expect(error.message).toContain(field);
    });
  });

  it('keeps well-formed Unicode (emoji, CJK, control characters other than NUL)', async () => {
    const name = 'Katze 🐈 猫 \t tab';
    const created = await alice.trpc.graphs.create.mutate({ name, tags: ['😀'], document: textGraph(sha, '🐈\u0001') });
    expect(created.graph.name).toBe(name.trim());
    const run = await alice.trpc.runs.start.mutate({ graphId, inputs: { caption: 'héllo 🐈' } });
    expect(run.inputs).toEqual({ caption: 'héllo 🐈' });
  });

  it('refuses bad strings in the HTTP API run body (JSON and multipart) with 400 naming the field', async () => {
    const script = clientFor(server, { token });
    for (const [, bad] of badStrings) {
      const json = await script.fetch(`/api/v1/graphs/${graphId}/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: { caption: bad } }),
      });
      expect(json.status).toBe(400);
      const body = (await json.json()) as { error: { code: string; message: string; details?: { issues?: { path: string; code: string }[] } } };
      expect(body.error.code).toBe('BAD_REQUEST');
      expect(body.error.details?.issues?.[0]).toMatchObject({ path: 'inputs.caption', code: 'invalid_string' });

      const form = new FormData();
      form.set('inputs', JSON.stringify({ caption: bad }));
      const multipart = await script.fetch(`/api/v1/graphs/${graphId}/runs`, { method: 'POST', body: form });
      expect(multipart.status).toBe(400);
    }
  });

  describe('deep nesting (5,000 levels)', () => {
    // Sent as raw JSON text: JSON.stringify itself overflows the stack on such a value.
    const deep = (text: string, levels = 5000) => text.replace('"@deep@"', `${'{"a":'.repeat(levels)}"bottom"${'}'.repeat(levels)}`);
    const deepGraph = () => ({ ...blurGraph(sha), nodes: [{ ...blurGraph(sha).nodes[0]!, params: { source: 'artifact', artifact: sha, extra: '@deep@' } }, blurGraph(sha).nodes[1]!] });

    /** One tRPC call over plain HTTP with a hand-written input: a POST body for mutations, ?input= for queries. */
    async function rawCall(path: string, input: unknown, type: 'query' | 'mutation' = 'mutation') {
      // A query's input travels in the URL, which Node's 16 KiB header limit keeps to a few hundred levels.
      const text = deep(JSON.stringify(input), type === 'query' ? 500 : 5000);
      const response =
        type === 'mutation'
          ? await alice.fetch(`/api/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text })
          : await alice.fetch(`/api/trpc/${path}?input=${encodeURIComponent(text)}`);
      const body = (await response.json()) as { error?: { message: string; data: Record<string, any> } };
      return { status: response.status, error: body.error };
    }

    it.each([
      ['graphs.create', 'document', () => rawCall('graphs.create', { name: 'deep', document: deepGraph() })],
      ['graphs.save', 'document', () => rawCall('graphs.save', { graphId, baseVersion: 1, document: deepGraph() })],
      ['graphs.create ui', 'document', () => rawCall('graphs.create', { name: 'deep', document: { ...blurGraph(sha), ui: '@deep@' } })],
      ['runs.start document', 'document', () => rawCall('runs.start', { graphId, document: deepGraph() })],
      ['runs.start inputs', 'inputs', () => rawCall('runs.start', { graphId, inputs: { caption: '@deep@' } })],
      ['graphs.update name', 'name', () => rawCall('graphs.update', { graphId, name: '@deep@' })],
      ['catalogue.validate', 'document', () => rawCall('catalogue.validate', { document: deepGraph() }, 'query')],
    ] as const)('%s → 400 too deep', async (_label, field, call) => {
      const { status, error } = await call();
      expect(status).toBe(400);
      expect(error?.data.code).toBe('BAD_REQUEST');
      expect(error?.data.zodError?.fieldErrors?.[field]?.[0]).toMatch(/nested more than 64 levels/);
    });

    it('accepts nesting up to the limit', async () => {
      // document (1) > ui (2) > 60 more levels stays within 64.
      let ui: unknown = 'bottom';
      for (let i = 0; i < 60; i++) ui = { a: ui };
      const created = await alice.trpc.graphs.create.mutate({ name: 'nested ok', document: { ...blurGraph(sha), ui: ui as Record<string, unknown> } });
      expect(created.graph.name).toBe('nested ok');
    });

    it('refuses a deep HTTP API run body with 400', async () => {
      const script = clientFor(server, { token });
      const response = await script.fetch(`/api/v1/graphs/${graphId}/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: deep(JSON.stringify({ inputs: { caption: '@deep@' } })),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; details?: { issues?: { code: string }[] } } };
      expect(body.error.details?.issues?.[0]?.code).toBe('too_deep');
    });
  });

  it('refuses a truncated PNG upload with 415 (item 17)', async () => {
    const whole = await noisyPng(120, 80);
    for (const cut of [whole.length >> 1, whole.length - 20]) {
      const response = await postImage(alice, whole.subarray(0, cut));
      expect(response.status, await response.clone().text()).toBe(415);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    // The whole file is still taken.
    expect((await upload(alice, whole)).sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
