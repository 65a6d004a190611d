import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../db/harness';
import { addToTeam, clientFor, signedUpClient, startTestServer, type TestClient, type TestServer } from '../helpers/server-harness';
import { blurGraph, noisyPng, solidPng, subscribeRunEvents, upload } from './server-fixtures';

type Signed = TestClient & { email: string; userId: string };

const maxUploadBytes = 256 * 1024;
const maxPixels = 25_000_000;

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A PNG whose header says width × height (8-bit RGB) but whose pixel data is a few
 * bytes of one row: readable only as far as the header. Deciding on it without
 * decoding gives 413; decoding it would fail.
 */
function headerOnlyPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(64))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real 6000×6000 PNG (small: one colour), made once for both engines. */
let bigPicture: Promise<Buffer> | undefined;
const big = () => (bigPicture ??= solidPng(6000, 6000));

async function post(client: TestClient, body: BodyInit | null, query = '', headers: Record<string, string> = { 'content-type': 'image/png' }) {
  const response = await client.fetch(`/api/uploads${query}`, { method: 'POST', headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as { error?: { code: string; message: string }; [name: string]: unknown } };
}

describe.each(engines)('uploads (%s)', (kind) => {
  let server: TestServer;
  let alice: Signed;
  const artifactsOf = (userId: string) => server.app.db.prisma.artifact.count({ where: { ownerUserId: userId } });

  beforeAll(async () => {
    server = await startTestServer(kind, { maxUploadBytes, maxPixels });
    alice = await signedUpClient(server, 'alice');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('stores an image and serves it back to its owner only', async () => {
    const bytes = await noisyPng(30, 20);
    const file = await upload(alice, bytes);
    expect(file).toMatchObject({ mediaType: 'image/png', width: 30, height: 20, size: bytes.length });
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    const back = await alice.fetch(`/api/artifacts/${file.id}`);
    expect(back.status).toBe(200);
    expect(back.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await back.arrayBuffer()).equals(bytes)).toBe(true);
    const bob = await signedUpClient(server, 'bob');
    expect((await bob.fetch(`/api/artifacts/${file.id}`)).status).toBe(404);
    expect((await post(clientFor(server), new Uint8Array(bytes))).status).toBe(401);
  });

  it('serves a WebP thumbnail by sha256 to whoever may use the image, 404 to anyone else', async () => {
    const file = await upload(alice, await solidPng(600, 300, '#884422'));
    const url = `/api/uploads/${file.sha256}`;
    const thumb = await alice.fetch(url);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    expect(thumb.headers.get('cache-control')).toMatch(/^private\b/);
    const etag = thumb.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{64}-256\.webp"$/);
    expect(await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).toMatchObject({ format: 'webp', width: 256, height: 128 });
    const again = await alice.fetch(url, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);

    // Small images keep their size.
    const small = await upload(alice, await solidPng(40, 30, '#224488'));
    const smallThumb = await alice.fetch(`/api/uploads/${small.sha256}`);
    expect(await sharp(Buffer.from(await smallThumb.arrayBuffer())).metadata()).toMatchObject({ width: 40, height: 30 });

    // Someone else gets the same 404 as for a hash nobody uploaded or one that is no hash at all.
    const bob = await signedUpClient(server, 'thumb-bob');
    const refused = await bob.fetch(url);
    expect(refused.status).toBe(404);
    const refusedBody = await refused.text();
    const unknown = await bob.fetch(`/api/uploads/${'0'.repeat(64)}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toBe(refusedBody);
    expect((await alice.fetch('/api/uploads/not-a-hash')).status).toBe(404);
    expect((await alice.fetch(`/api/uploads/${file.sha256.toUpperCase()}`)).status).toBe(404);
    expect((await clientFor(server).fetch(url)).status).toBe(401);

    // A team's upload is every member's.
    const team = await alice.trpc.teams.create.mutate({ name: 'Thumbnails' });
    const teamFile = await upload(alice, await solidPng(20, 20, '#123456'), `?teamId=${team.id}`);
    expect((await bob.fetch(`/api/uploads/${teamFile.sha256}`)).status).toBe(404);
    await addToTeam(alice, bob, team.id, 'viewer');
    expect((await bob.fetch(`/api/uploads/${teamFile.sha256}`)).status).toBe(200);
    expect((await bob.fetch(url)).status).toBe(404);
  });

  it('refuses a body over the size limit with 413, declared or streamed', async () => {
    const before = await artifactsOf(alice.userId);
    const tooBig = await noisyPng(400, 300);
    expect(tooBig.length).toBeGreaterThan(maxUploadBytes);
    const declared = await post(alice, new Uint8Array(tooBig));
    expect(declared.status).toBe(413);
    expect(declared.body.error?.code).toBe('PAYLOAD_TOO_LARGE');

    // No Content-Length: the server counts while reading and stops at the limit.
    const streamed = await post(
      alice,
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < tooBig.length; at += 64 * 1024) controller.enqueue(new Uint8Array(tooBig.subarray(at, at + 64 * 1024)));
          controller.close();
        },
      }),
    );
    expect(streamed.status).toBe(413);

    const form = new FormData();
    form.set('big', new Blob([new Uint8Array(tooBig)], { type: 'image/png' }), 'big.png');
    const multipart = await post(alice, form, '', {});
    expect(multipart.status).toBe(413);
    expect(await artifactsOf(alice.userId)).toBe(before);
    // The refused bodies were never read, yet the (kept-alive) connections still serve the next uploads.
    for (let i = 0; i < 3; i++) await upload(alice, await noisyPng(8 + i, 8));
    expect(await artifactsOf(alice.userId)).toBe(before + 3);
  });

  it('refuses too many pixels with 413, from the header alone', async () => {
    const header = await post(alice, new Uint8Array(headerOnlyPng(6000, 6000)));
    expect(header.status).toBe(413);
    expect(header.body.error?.message).toContain('6000x6000');

    const real = await big();
    expect(real.length).toBeLessThan(maxUploadBytes);
    const refused = await post(alice, new Uint8Array(real));
    expect(refused.status).toBe(413);
    expect(refused.body.error?.code).toBe('PAYLOAD_TOO_LARGE');

    // Exactly at the limit passes this check.
    const atLimit = await post(alice, new Uint8Array(headerOnlyPng(5000, 5000)));
    expect(atLimit.status).not.toBe(413);
  });

  it('refuses what is not an image with 415, and an empty body with 400', async () => {
    const text = await post(alice, new TextEncoder().encode('just some words, not a picture'));
    expect(text.status).toBe(415);
    expect(text.body.error?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const svg = await post(alice, new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'), '', {
      'content-type': 'image/svg+xml',
    });
    expect(svg.status).toBe(415);

    const empty = await post(alice, new Uint8Array(0));
    expect(empty.status).toBe(400);
    expect(empty.body.error?.code).toBe('BAD_REQUEST');
    const noFiles = new FormData();
    noFiles.set('note', 'no file here');
    expect((await post(alice, noFiles, '', {})).status).toBe(400);
    const garbled = await post(alice, new TextEncoder().encode('--x\r\nnot really multipart'), '', { 'content-type': 'multipart/form-data; boundary=y' });
    expect(garbled.status).toBe(400);
  });

  it('refuses a corrupt image, and fails a run on a truncated one cleanly', async () => {
    const signatureOnly = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('garbage after the signature')]);
    const corrupt = await post(alice, new Uint8Array(signatureOnly));
    expect(corrupt.status).toBe(415);
    expect(JSON.stringify(corrupt.body)).not.toMatch(/\n\s+at /);

    // Cut in half: the header is intact, so the upload may be taken on the header's word…
    const whole = await noisyPng(120, 80);
    const truncated = await post(alice, new Uint8Array(whole.subarray(0, whole.length >> 1)));
    expect([201, 415]).toContain(truncated.status);
    if (truncated.status === 201) {
      // …and then a run that loads it fails with a node error instead of crashing anything.
      const { sha256 } = truncated.body.file as { sha256: string };
      const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Truncated', document: blurGraph(sha256) });
      const run = await alice.trpc.runs.start.mutate({ graphId: graph.id });
      const finished = (await subscribeRunEvents(alice, { runId: run.id })).at(-1)!.event;
      expect(finished).toMatchObject({ type: 'run.finished', status: 'failed', errors: [expect.objectContaining({ nodeId: 'load' })] });
      expect(await alice.trpc.runs.get.query({ runId: run.id })).toMatchObject({ status: 'failed' });
    }
  });

  it('takes several files in one multipart upload, by field name', async () => {
    const form = new FormData();
    form.set('front', new Blob([new Uint8Array(await noisyPng(21, 13))], { type: 'image/png' }), 'front.png');
    const jpeg = await sharp({ create: { width: 17, height: 11, channels: 3, background: '#aa3300' } }).jpeg().toBuffer();
    form.set('back', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'back.jpg');
    form.set('caption', 'a text field is not a file');
    const response = await post(alice, form, '', {});
    expect(response.status).toBe(201);
    expect(Object.keys(response.body).sort()).toEqual(['back', 'front']);
    expect(response.body.front).toMatchObject({ mediaType: 'image/png', width: 21, height: 13 });
    expect(response.body.back).toMatchObject({ mediaType: 'image/jpeg', width: 17, height: 11 });
    for (const name of ['front', 'back']) {
      const id = (response.body[name] as { id: string }).id;
      expect(await alice.trpc.artifacts.get.query({ id })).toMatchObject({ id });
    }

    // One bad file spoils the request.
    const mixed = new FormData();
    mixed.set('good', new Blob([new Uint8Array(await noisyPng(5, 5))], { type: 'image/png' }), 'good.png');
    mixed.set('bad', new Blob(['not an image'], { type: 'image/png' }), 'bad.png');
    expect((await post(alice, mixed, '', {})).status).toBe(415);
  });

  it('uploads to a team only with at least the runner role', async () => {
    const owner = await signedUpClient(server, 'owner');
    const [viewer, runner, outsider] = await Promise.all([signedUpClient(server, 'viewer'), signedUpClient(server, 'runner'), signedUpClient(server, 'outsider')]);
    const team = await owner.trpc.teams.create.mutate({ name: 'Uploaders' });
    await addToTeam(owner, viewer, team.id, 'viewer');
    await addToTeam(owner, runner, team.id, 'runner');
    const bytes = new Uint8Array(await noisyPng(9, 9));
    const query = `?teamId=${team.id}`;

    expect((await post(outsider, bytes, query)).status).toBe(404);
    const byViewer = await post(viewer, bytes, query);
    expect(byViewer.status).toBe(403);
    expect(byViewer.body.error?.code).toBe('FORBIDDEN');
    expect(await server.app.db.prisma.artifact.count({ where: { ownerTeamId: team.id } })).toBe(0);

    const byRunner = await post(runner, bytes, query);
    expect(byRunner.status).toBe(201);
    const file = byRunner.body.file as { id: string };
    expect(await server.app.db.prisma.artifact.findUnique({ where: { id: file.id }, select: { ownerTeamId: true, ownerUserId: true } })).toEqual({
      ownerTeamId: team.id,
      ownerUserId: null,
    });
    // The team's image is the team's: every member reads it, outsiders do not.
    expect((await viewer.fetch(`/api/artifacts/${file.id}`)).status).toBe(200);
    expect((await owner.fetch(`/api/artifacts/${file.id}`)).status).toBe(200);
    expect((await outsider.fetch(`/api/artifacts/${file.id}`)).status).toBe(404);
    expect((await post(owner, bytes, query)).status).toBe(201);
  });
});
