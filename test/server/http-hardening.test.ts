// Issue 12, items 5, 10, 16 and 18: cross-site requests with the session cookie are refused in one place for tRPC
// and REST alike; every /api response carries security headers; request bodies are limited before they are read
// whole or parsed; graph documents have a size limit. One engine (PGlite): this is the HTTP layer.
process.env.PIXELWIRE_MAX_DOCUMENT_BYTES = String(32 * 1024); // read once per process, before any document is checked

import { request as httpRequest } from 'node:http';
import type { NextConfig } from 'next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { maxTrpcBatchSize } from '../../server/api/limits';
import type { AppRouter } from '../../server/api/root';
import { passwordHashQueue } from '../../server/auth/password';
import { appRequestHeaders } from '../../server/http/app-request';
import { apiSecurityHeaders } from '../../server/http/security-headers';
import { jsonByteLength } from '../../server/services/document-size';
import { signedUpClient, startTestServer, type TestServer } from '../helpers/server-harness';
import { blurGraph, noisyPng, trpcError, upload } from './server-fixtures';

const evil = 'http://evil.example';

/** The error code of an /api error body: REST's `{ error: { code } }`, or tRPC's `{ error: { data: { code } } }`. */
function errorCode(body: unknown): string | undefined {
  const error = (body as { error?: { code?: unknown; data?: { code?: string } } }).error;
  return error?.data?.code ?? (typeof error?.code === 'string' ? error.code : undefined);
}

describe('cross-site requests (pglite)', () => {
  let server: TestServer;
  let alice: Awaited<ReturnType<typeof signedUpClient>>;
  let graphId: string;
  let runId: string;
  beforeAll(async () => {
    server = await startTestServer('pglite', { maxRequestBytes: 64 * 1024 });
    alice = await signedUpClient(server, 'alice');
    const file = await upload(alice, await noisyPng());
    ({ graph: { id: graphId } } = await alice.trpc.graphs.create.mutate({ name: 'Target', document: blurGraph(file.sha256) }));
    ({ id: runId } = await alice.trpc.runs.start.mutate({ graphId }));
  });
  afterAll(async () => {
    await server?.close();
  });

  /** A request as a browser sends it: only the cookie, and the headers given (no app header). */
  const asBrowser = (path: string, init: { method?: string; headers?: Record<string, string>; body?: BodyInit }) =>
    fetch(`${server.url}${path}`, { method: 'POST', ...init, headers: { cookie: alice.cookie, ...init.headers } });

  it('refuses simple requests from another site: run start, upload, cancel and sign-out do nothing', async () => {
    const runsBefore = await server.app.db.prisma.run.count();
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(await noisyPng())], { type: 'image/png' }), 'x.png');
    const attempts = {
      'REST run start (text/plain)': await asBrowser(`/api/v1/graphs/${graphId}/runs`, { headers: { origin: evil, 'content-type': 'text/plain' }, body: '{}' }),
      'upload (multipart form)': await asBrowser('/api/uploads', { headers: { origin: evil }, body: form }),
      'REST cancel (no body)': await asBrowser(`/api/v1/runs/${runId}/cancel`, { headers: { origin: evil } }),
      'tRPC sign-out (text/plain)': await asBrowser('/api/trpc/auth.signOut', { headers: { origin: evil, 'content-type': 'text/plain' }, body: '{}' }),
      // Even JSON (which a browser could send only after a preflight) is refused when the origin is another site.
      'tRPC run start (JSON)': await asBrowser('/api/trpc/runs.start', { headers: { origin: evil, 'content-type': 'application/json' }, body: JSON.stringify({ graphId }) }),
      // Another port of the same host is another origin, though SameSite cookies go there.
      'another port': await asBrowser(`/api/v1/runs/${runId}/cancel`, { headers: { origin: 'http://127.0.0.1:1', 'x-pixelwire-request': '1' } }),
      'Referer of another site, no Origin': await asBrowser(`/api/v1/runs/${runId}/cancel`, { headers: { referer: `${evil}/page`, 'x-pixelwire-request': '1' } }),
      'Origin: null': await asBrowser(`/api/v1/runs/${runId}/cancel`, { headers: { origin: 'null', 'x-pixelwire-request': '1' } }),
    };
    for (const [what, response] of Object.entries(attempts)) {
      expect(response.status, what).toBe(403);
      expect(errorCode(await response.json()), what).toBe('FORBIDDEN');
    }
    expect(await server.app.db.prisma.run.count()).toBe(runsBefore);
    expect(await server.app.db.prisma.artifact.count({ where: { ownerUserId: alice.userId } })).toBe(1);
    expect((await alice.trpc.runs.get.query({ runId })).status).not.toBe('cancelled');
    expect(await alice.trpc.auth.me.query()).toMatchObject({ id: alice.userId });
  });

  it('refuses a cookie mutation from the app’s own origin that is neither JSON nor carries the app header', async () => {
    const own = { origin: server.url };
    expect((await asBrowser(`/api/v1/runs/${runId}/cancel`, { headers: own })).status).toBe(403);
    expect((await asBrowser('/api/uploads', { headers: { ...own, 'content-type': 'image/png' }, body: new Uint8Array(await noisyPng()) })).status).toBe(403);
    expect((await asBrowser('/api/trpc/auth.signIn', { headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(403);
  });

  it('refuses sign-in from another site even without a cookie, and leaves cookie-less scripts to the routes', async () => {
    const signIn = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/trpc/auth.signIn`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ email: alice.email, password: 'correct horse battery' }) });
    const forged = await signIn({ origin: evil });
    expect(forged.status).toBe(403);
    expect(forged.headers.getSetCookie()).toEqual([]);
    expect((await signIn({})).status).toBe(200);
    // No cookie, no Origin: nothing to forge; the route answers (here: sign in or send a token).
    expect((await fetch(`${server.url}/api/v1/runs/${runId}/cancel`, { method: 'POST', body: '{}' })).status).toBe(401);
  });

  it('accepts the app’s own requests: JSON, or the app header, from its origin or with no Origin at all', async () => {
    const png = new Uint8Array(await noisyPng(8, 8));
    const uploaded = await asBrowser('/api/uploads', { headers: { origin: server.url, 'content-type': 'image/png', 'x-pixelwire-request': '1' }, body: png });
    expect(uploaded.status).toBe(201);
    const viaReferer = await asBrowser('/api/uploads', { headers: { referer: `${server.url}/graphs/x`, 'content-type': 'image/png', 'x-pixelwire-request': '1' }, body: png });
    expect(viaReferer.status).toBe(201);
    const json = await asBrowser('/api/trpc/auth.me', { method: 'GET' });
    expect(json.status).toBe(200);
    const mutation = await asBrowser('/api/trpc/graphs.update', { headers: { origin: server.url, 'content-type': 'application/json' }, body: JSON.stringify({ graphId, name: 'Renamed' }) });
    expect(mutation.status).toBe(200);
  });

  it('leaves API-token requests alone: no cookie is involved', async () => {
    const { token } = await alice.trpc.tokens.create.mutate({ name: 'script' });
    const script = (path: string, init: RequestInit) => fetch(`${server.url}${path}`, { method: 'POST', ...init, headers: { authorization: `Bearer ${token}`, origin: evil, ...(init.headers as Record<string, string>) } });
    const started = await script(`/api/v1/graphs/${graphId}/runs`, { headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(started.status).toBe(201);
    const { id } = (await started.json()) as { id: string };
    expect((await script(`/api/v1/runs/${id}/cancel`, {})).status).toBe(200);
  });

  it('takes the app’s origin from PIXELWIRE_PUBLIC_URL when set, else from the Host (X-Forwarded-* only behind a trusted proxy)', async () => {
    const cancel = (origin: string, headers: Record<string, string> = {}) =>
      asBrowser(`/api/v1/runs/${runId}/cancel`, { headers: { origin, 'x-pixelwire-request': '1', ...headers } }).then((r) => r.status);
    // The test server trusts its proxy: the forwarded host and scheme are the app's origin.
    expect(await cancel('https://app.example', { 'x-forwarded-host': 'app.example', 'x-forwarded-proto': 'https' })).toBe(200);
    expect(await cancel('https://app.example')).toBe(403);

    const untrusting = await startTestServer('pglite', { trustProxy: false });
    const fixed = await startTestServer('pglite', { publicOrigin: 'https://pixelwire.example' });
    try {
      const bob = await signedUpClient(untrusting, 'bob');
      const forwarded = { origin: 'https://app.example', 'x-forwarded-host': 'app.example', 'x-forwarded-proto': 'https', cookie: bob.cookie, 'content-type': 'application/json' };
      expect((await fetch(`${untrusting.url}/api/trpc/graphs.create`, { method: 'POST', headers: forwarded, body: '{"name":"x"}' })).status).toBe(403);
      expect((await fetch(`${untrusting.url}/api/trpc/graphs.create`, { method: 'POST', headers: { ...forwarded, origin: untrusting.url }, body: '{"name":"x"}' })).status).toBe(200);

      const carol = await signedUpClient(fixed, 'carol');
      const create = (origin: string) =>
        fetch(`${fixed.url}/api/trpc/graphs.create`, { method: 'POST', headers: { origin, cookie: carol.cookie, 'content-type': 'application/json' }, body: '{"name":"x"}' }).then((r) => r.status);
      expect(await create('https://pixelwire.example')).toBe(200);
      expect(await create(fixed.url)).toBe(403);
    } finally {
      await untrusting.close();
      await fixed.close();
    }
  });

  it('puts the security headers on every /api response: JSON, errors, images, thumbnails, event streams', async () => {
    const file = await upload(alice, await noisyPng());
    const responses = {
      'tRPC query': await alice.fetch('/api/trpc/auth.me'),
      'tRPC error': await fetch(`${server.url}/api/trpc/graphs.list?input=%7B%7D`),
      'unknown route': await fetch(`${server.url}/api/nothing`),
      'refused cross-site': await asBrowser('/api/uploads', { headers: { origin: evil } }),
      artifact: await alice.fetch(`/api/artifacts/${file.id}`),
      thumbnail: await alice.fetch(`/api/uploads/${file.sha256}`),
      'OpenAPI document': await fetch(`${server.url}/api/v1/openapi.json`),
    };
    for (const [what, response] of Object.entries(responses)) {
      for (const [name, value] of Object.entries(apiSecurityHeaders)) expect(response.headers.get(name), `${what}: ${name}`).toBe(value);
      await response.arrayBuffer();
    }
    expect(responses.artifact.headers.get('x-content-type-options')).toBe('nosniff');
    expect(responses.thumbnail.headers.get('content-type')).toBe('image/webp');
    const events = await alice.fetch(`/api/v1/runs/${runId}/events`);
    expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(events.headers.get('x-content-type-options')).toBe('nosniff');
    await events.body?.cancel();
  });
});

describe('page security headers (next.config.js)', () => {
  it('sends a CSP that forbids framing, X-Frame-Options, nosniff and a same-origin Referrer-Policy on every page, not /api', async () => {
    const configPath: string = '../../next.config.js'; // plain JS: typed here
    const { default: nextConfig } = (await import(configPath)) as { default: NextConfig };
    const rules = await nextConfig.headers!();
    expect(rules).toHaveLength(1);
    const [rule] = rules;
    const headers = Object.fromEntries(rule!.headers.map((h) => [h.key.toLowerCase(), h.value]));
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('same-origin');
    const csp = Object.fromEntries(headers['content-security-policy']!.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['script-src']).toContain("'self'");
    const source = new RegExp(`^${rule!.source}$`);
    for (const page of ['/', '/graphs', '/sign-in', '/graphs/abc/runs']) expect(source.test(page), page).toBe(true);
    for (const api of ['/api/trpc/auth.me', '/api/uploads']) expect(source.test(api), api).toBe(false);
  });
});

/** Sends a POST whose body streams in chunks until the server answers; resolves with the status and the bytes sent. */
function streamUntilAnswered(url: string, headers: Record<string, string>, chunkBytes: number, maxBytes: number): Promise<{ status: number; sent: number; body: string }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, sent, body });
      });
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const pump = () => {
      if (answered || sent >= maxBytes) return void (answered ? undefined : req.end());
      req.write(Buffer.alloc(chunkBytes, 0x20));
      sent += chunkBytes;
      setTimeout(pump, 5);
    };
    pump();
  });
}

describe('request body limits (pglite)', () => {
  const limit = 64 * 1024;
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite', { maxRequestBytes: limit, maxUploadBytes: 1024 * 1024 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses an anonymous sign-in declaring 64 MiB from its Content-Length, before reading it', async () => {
    const hashes = passwordHashQueue().stats.started;
    const attempts = await server.app.db.prisma.loginAttempt.count();
    const answer = await streamUntilAnswered(`${server.url}/api/trpc/auth.signIn`, { 'content-type': 'application/json', 'content-length': String(64 * 1024 * 1024) }, 16 * 1024, 64 * 1024 * 1024);
    expect(answer.status).toBe(413);
    expect(errorCode(JSON.parse(answer.body))).toBe('PAYLOAD_TOO_LARGE');
    expect(answer.sent).toBeLessThan(4 * 1024 * 1024);
    expect(passwordHashQueue().stats.started).toBe(hashes);
    expect(await server.app.db.prisma.loginAttempt.count()).toBe(attempts);
  });

  it('refuses a streamed body (no Content-Length) as soon as it passes the limit, without reading the rest', async () => {
    const answer = await streamUntilAnswered(`${server.url}/api/trpc/auth.signIn`, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, 16 * 1024, 64 * 1024 * 1024);
    expect(answer.status).toBe(413);
    expect(errorCode(JSON.parse(answer.body))).toBe('PAYLOAD_TOO_LARGE');
    // Answered once the limit was passed: a few chunks past it at most, not the 64 MiB on offer.
    expect(answer.sent).toBeLessThan(2 * 1024 * 1024);
  });

  it('limits REST JSON bodies the same way, and leaves uploads to their own limit', async () => {
    const alice = await signedUpClient(server, 'alice');
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Limits' });
    const big = JSON.stringify({ inputs: { text: 'x'.repeat(limit) } });
    const rest = await alice.fetch(`/api/v1/graphs/${graph.id}/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(rest.status).toBe(413);
    // A 200 KiB image is over the request limit but within the upload limit.
    const image = await noisyPng(256, 256);
    expect(image.length).toBeGreaterThan(limit);
    await upload(alice, image);
    // Under the limit, tRPC still works (its body is read once the size is known).
    expect((await alice.trpc.graphs.update.mutate({ graphId: graph.id, name: 'y'.repeat(50) })).name).toBe('y'.repeat(50));
  });

  it('answers an oversized tRPC batch with a tRPC error per call, which the app’s client reads', async () => {
    const alice = await signedUpClient(server, 'batcher');
    const client = createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${server.url}/api/trpc`, maxItems: maxTrpcBatchSize, headers: () => ({ ...appRequestHeaders, cookie: alice.cookie }) })],
    });
    const calls = [client.graphs.create.mutate({ name: 'small' }), client.graphs.create.mutate({ name: 'big', description: 'x'.repeat(limit) })];
    const errors = await Promise.all(calls.map((call) => trpcError(call)));
    expect(errors.map((e) => e.code)).toEqual(['PAYLOAD_TOO_LARGE', 'PAYLOAD_TOO_LARGE']);
    expect(errors[0]!.message).toMatch(/limit is 65536/);
  });

  it('refuses a graph document over PIXELWIRE_MAX_DOCUMENT_BYTES when saved or run, before storing anything', async () => {
    const alice = await signedUpClient(server, 'bob');
    const file = await upload(alice, await noisyPng());
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Docs', document: blurGraph(file.sha256) });
    const version = { number: 1 };
    // Over the document limit (32 KiB), under the request limit (64 KiB): the document check refuses it.
    const oversized = { ...blurGraph(file.sha256), ui: { note: 'x'.repeat(40 * 1024) } };
    expect(jsonByteLength(oversized)).toBeGreaterThan(32 * 1024);
    expect(JSON.stringify(oversized).length).toBeLessThan(limit - 1024);

    const versions = await server.app.db.prisma.graphVersion.count({ where: { graphId: graph.id } });
    const saved = await trpcError(alice.trpc.graphs.save.mutate({ graphId: graph.id, baseVersion: version.number, document: oversized }));
    expect(saved.code).toBe('PAYLOAD_TOO_LARGE');
    expect(saved.message).toMatch(/graph document/);
    expect(await server.app.db.prisma.graphVersion.count({ where: { graphId: graph.id } })).toBe(versions);
    const created = await trpcError(alice.trpc.graphs.create.mutate({ name: 'Big', document: oversized }));
    expect(created.code).toBe('PAYLOAD_TOO_LARGE');
    const runs = await server.app.db.prisma.run.count();
    const started = await trpcError(alice.trpc.runs.start.mutate({ graphId: graph.id, document: oversized }));
    expect(started.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await server.app.db.prisma.run.count()).toBe(runs);
    // Just under the limit is fine.
    const fits = { ...blurGraph(file.sha256), ui: { note: 'x'.repeat(24 * 1024) } };
    expect((await alice.trpc.graphs.save.mutate({ graphId: graph.id, baseVersion: version.number, document: fits })).version.number).toBe(version.number + 1);
  });
});

describe('jsonByteLength', () => {
  it('matches JSON.stringify for plain documents and stops early past the limit', () => {
    const doc = { format: 'pixelwire.graph', version: 1, nodes: [{ id: 'a', params: { x: 1.5, on: true, none: null, list: [1, 'two', { three: 3 }] } }], edges: [], é: 'ünïcode' };
    expect(jsonByteLength(doc)).toBe(Buffer.byteLength(JSON.stringify(doc)));
    expect(jsonByteLength({ a: 'x'.repeat(1000) }, 100)).toBeLessThan(2000);
  });

  it('counts a value nested far deeper than the stack allows without overflowing', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(jsonByteLength(deep)).toBe(200_000 * 2 + 6);
  });
});
