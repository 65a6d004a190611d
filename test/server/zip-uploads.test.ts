import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipStored } from '../../server/util/zip';
import { clientFor, signedUpClient, startTestServer, type TestClient, type TestServer } from '../helpers/server-harness';
import { claimingSize, deflated } from '../helpers/zip-files';
import { noisyPng, resizeGraph, solidPng, subscribeRunEvents } from './server-fixtures';

type Signed = TestClient & { userId: string };
interface ZipAnswer {
  images?: { name: string; id: string; sha256: string; width: number; height: number }[];
  skipped?: string[];
  error?: { code: string; message: string; details?: { reason?: string; entry?: string; skipped?: string[] } };
}

/** A ZIP of images uploaded from the browser for a batch: its images become uploads, within limits, or nothing does. */
describe('ZIP uploads (POST /api/uploads/zip)', () => {
  let server: TestServer;
  let alice: Signed;
  let bob: Signed;
  /** The per-file upload limit here; a ZIP may be 4× that, packed and unpacked. */
  const maxUploadBytes = 64 * 1024;

  const send = async (client: TestClient, zip: Buffer): Promise<{ status: number; body: ZipAnswer }> => {
    const response = await client.fetch('/api/uploads/zip', { method: 'POST', headers: { 'content-type': 'application/zip' }, body: new Uint8Array(zip) });
    return { status: response.status, body: (await response.json()) as ZipAnswer };
  };
  const uploadsOf = (userId: string) => server.app.db.prisma.artifact.count({ where: { ownerUserId: userId } });
  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

  beforeAll(async () => {
    server = await startTestServer('pglite', { workers: 1, maxUploadBytes });
    alice = await signedUpClient(server, 'alice');
    bob = await signedUpClient(server, 'bob');
  });
  afterAll(() => server.close());

  it("stores the ZIP's images as the uploader's, in the ZIP's order, skipping other files and archivers' junk; they run as a batch", async () => {
    const [red, blue] = await Promise.all([solidPng(40, 30, '#aa2222'), noisyPng(24, 16)]);
    const zip = deflated([
      { name: 'photos/b-red.png', bytes: red },
      { name: 'notes.txt', bytes: Buffer.from('not an image') },
      { name: '__MACOSX/photos/._b-red.png', bytes: Buffer.from('resource fork') },
      { name: 'photos/.DS_Store', bytes: Buffer.from('finder') },
      { name: 'a-blue.PNG', bytes: blue },
    ]);
    const { status, body } = await send(alice, zip);
    expect(status, JSON.stringify(body)).toBe(201);
    expect(body.images!.map((i) => [i.name, i.sha256, i.width])).toEqual([
      ['photos/b-red.png', sha256(red), 40],
      ['a-blue.PNG', sha256(blue), 24],
    ]);
    expect(body.skipped).toEqual(['notes.txt']);
    // Each keeps its file name, as a single upload does.
    expect(await alice.trpc.artifacts.content.query({ sha256: sha256(red) })).toMatchObject({ fileName: 'b-red.png', width: 40 });
    // The uploader's own: readable by her, by nobody else.
    expect((await alice.fetch(`/api/artifacts/${body.images![0]!.id}`)).status).toBe(200);
    expect((await bob.fetch(`/api/artifacts/${body.images![0]!.id}`)).status).toBe(404);

    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Resize', document: resizeGraph() });
    const { batch, runs } = await alice.trpc.runs.startBatch.mutate({ graphId: graph.id, items: body.images!.map((i) => ({ inputs: { photo: i.sha256, width: 8 } })) });
    for (const run of runs) await subscribeRunEvents(alice, { runId: run.id });
    expect(await alice.trpc.batches.get.query({ batchId: batch.id })).toMatchObject({ total: 2, done: 2, counts: { succeeded: 2 } });
  });

  it('refuses what is not a ZIP, a damaged one and a ZIP bomb with a typed reason, storing nothing', async () => {
    const before = await uploadsOf(alice.userId);
    const good = zipStored([{ name: 'ok.png', bytes: await solidPng(8, 8) }]);
    const cases: [string, Buffer][] = [
      ['random bytes', Buffer.from('this is not a zip file, just some text')],
      ['a PNG sent as a ZIP', await solidPng(8, 8)],
      ['a truncated ZIP', good.subarray(0, good.length - 30)],
      ['an entry that inflates past its declared size', claimingSize(deflated([{ name: 'bomb.png', bytes: Buffer.alloc(500_000) }]), 64)],
    ];
    for (const [what, zip] of cases) {
      const { status, body } = await send(alice, zip);
      expect([what, status, body.error?.code, body.error?.details?.reason]).toEqual([what, 400, 'BAD_REQUEST', 'zip_unreadable']);
      expect(body.error?.message).toMatch(/^the file could not be read as a ZIP: /);
    }
    expect(await uploadsOf(alice.userId)).toBe(before);
  });

  it('refuses a ZIP with no images, or with an entry that is not a usable image, naming it; nothing of it is stored', async () => {
    const before = await uploadsOf(alice.userId);
    const none = await send(alice, zipStored([{ name: 'readme.md', bytes: Buffer.from('# hi') }, { name: 'data.csv', bytes: Buffer.from('a,b') }]));
    expect([none.status, none.body.error?.details?.reason, none.body.error?.details?.skipped]).toEqual([400, 'zip_no_images', ['readme.md', 'data.csv']]);
    expect(none.body.error?.message).toContain('holds no images');

    const fake = await send(alice, zipStored([{ name: 'good.png', bytes: await solidPng(8, 8) }, { name: 'fake.png', bytes: Buffer.from('text that calls itself a PNG') }]));
    expect([fake.status, fake.body.error?.code, fake.body.error?.details?.reason, fake.body.error?.details?.entry]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE', 'zip_bad_image', 'fake.png']);
    expect(fake.body.error?.message).toMatch(/^fake\.png in the ZIP: /);

    // Each image is held to the single-upload limit (64 KiB here).
    const large = await noisyPng(200, 200);
    expect(large.length).toBeGreaterThan(maxUploadBytes);
    const big = await send(alice, zipStored([{ name: 'big.png', bytes: large }]));
    expect([big.status, big.body.error?.details?.reason, big.body.error?.details?.entry]).toEqual([413, 'zip_bad_image', 'big.png']);
    expect(await uploadsOf(alice.userId)).toBe(before);
  });

  it('refuses a ZIP over its limits (entries, unpacked bytes, the archive, images per batch) with 413 before reading images', async () => {
    const before = await uploadsOf(alice.userId);
    const tiny = await solidPng(2, 2);
    const over: [string, Buffer, string][] = [
      ['2001 entries', zipStored(Array.from({ length: 2001 }, (_, i) => ({ name: `f${i}.txt`, bytes: Buffer.from('x') }))), 'zip_too_large'],
      ['300 KiB unpacked (limit 256 KiB)', deflated([0, 1, 2].map((i) => ({ name: `zeros${i}.png`, bytes: Buffer.alloc(100 * 1024) }))), 'zip_too_large'],
      ['a 300 KiB archive', zipStored([{ name: 'noise.bin', bytes: Buffer.alloc(300 * 1024, 1) }]), 'zip_too_large'],
      ['501 images', zipStored(Array.from({ length: 501 }, (_, i) => ({ name: `img${i}.png`, bytes: tiny }))), 'zip_too_many_images'],
    ];
    for (const [what, zip, reason] of over) {
      const { status, body } = await send(alice, zip);
      expect([what, status, body.error?.details?.reason]).toEqual([what, 413, reason]);
    }
    expect(await uploadsOf(alice.userId)).toBe(before);
  });

  it('needs a signed-in caller and a body', async () => {
    const anonymous = await send(clientFor(server), zipStored([{ name: 'a.png', bytes: await solidPng(4, 4) }]));
    expect(anonymous.status).toBe(401);
    const empty = await send(alice, Buffer.alloc(0));
    expect([empty.status, empty.body.error?.code]).toEqual([400, 'BAD_REQUEST']);
  });
});
