import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../server/config';
import { createApp } from '../../server/app';
import { blobStoreSettingsFromEnv, createBlobStore, describeBlobStore } from '../../server/storage/blob-store-config';
import { CachedBlobStore } from '../../server/storage/cached-blob-store';
import { DiskArtifactStore } from '../../server/storage/disk-artifact-store';
import { headFirstBytes, S3BlobStore } from '../../server/storage/s3-blob-store';
import { createTestDatabase, type TestDatabase } from '../db/harness';
import { s3rverCredentials, startS3Server, type TestS3Server } from '../helpers/s3-server';
import { signedUpClient, type TestClient } from '../helpers/server-harness';
import { createApiHandler } from '../../server/http/api-handler';
import { listen } from '../../server/http/node-adapter';
import { blurGraph, noisyPng, subscribeRunEvents, upload } from '../server/server-fixtures';

// The SDK warns once per process that its 2027 releases need Node 22 (see the report); not news in a test log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function storeOn(s3: TestS3Server, prefix = 'pixelwire'): S3BlobStore {
  return new S3BlobStore({ bucket: s3.bucket, prefix, region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: s3rverCredentials });
}

/** An S3 client of its own, to look at the bucket without going through the code under test. */
function rawClient(s3: TestS3Server): S3Client {
  return new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: s3rverCredentials });
}

async function headObject(s3: TestS3Server, key: string) {
  const client = rawClient(s3);
  try {
    return await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
  } catch (error) {
    if (error instanceof Error && error.name === 'NotFound') return undefined;
    throw error;
  } finally {
    client.destroy();
  }
}

const folders: string[] = [];
async function tempFolder(name: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), `pw-${name}-`));
  folders.push(folder);
  return folder;
}
afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

describe('S3BlobStore on a real S3-compatible server (s3rver)', () => {
  let s3: TestS3Server;
  let store: S3BlobStore;
  beforeAll(async () => {
    s3 = await startS3Server();
    store = storeOn(s3);
  });
  afterAll(async () => {
    await store?.close();
    await s3?.dispose();
  });

  it('round-trips bytes and metadata under <prefix>/<ab>/<sha256>, as the disk store would', async () => {
    const bytes = await noisyPng(30, 20);
    const meta = await store.put(bytes, { mediaType: 'image/png', width: 30, height: 20 });
    expect(meta).toEqual({ id: sha256(bytes), mediaType: 'image/png', size: bytes.length, width: 30, height: 20 });
    expect(await store.has(meta.id)).toBe(true);

    const back = await store.get(meta.id);
    expect(back?.bytes.equals(bytes)).toBe(true);
    const disk = new DiskArtifactStore(await tempFolder('disk'));
    await disk.put(bytes, { mediaType: 'image/png', width: 30, height: 20 });
    expect(back?.meta).toEqual((await disk.get(meta.id))?.meta);

    const head = await headObject(s3, `pixelwire/${meta.id.slice(0, 2)}/${meta.id}`);
    expect(head?.ContentType).toBe('image/png');
    expect(head?.Metadata).toEqual({ 'media-type': 'image/png', width: '30', height: '20' });

    // No width or height: none stored, none returned.
    const blob = randomBytes(100);
    const plain = await store.put(blob, { mediaType: 'application/octet-stream' });
    expect((await store.get(plain.id))?.meta).toEqual({ id: sha256(blob), mediaType: 'application/octet-stream', size: 100 });
  });

  it('puts idempotently: a large blob already there is checked with HEAD and not sent again; a small one is just put', async () => {
    const small = randomBytes(2048);
    const before = s3.requests.length;
    await store.put(small, { mediaType: 'application/octet-stream' });
    await store.put(small, { mediaType: 'application/octet-stream' });
    expect(s3.requests.slice(before).map((r) => r.split(' ')[0])).toEqual(['PUT', 'PUT']);
    expect((await store.get(sha256(small)))?.bytes.equals(small)).toBe(true);

    const bytes = randomBytes(headFirstBytes);
    const seen = s3.requests.length;
    const first = await store.put(bytes, { mediaType: 'application/octet-stream' });
    const afterFirst = s3.requests.slice(seen).map((r) => r.split(' ')[0]);
    expect(afterFirst).toEqual(['HEAD', 'PUT']);
    const again = await store.put(bytes, { mediaType: 'application/octet-stream' });
    expect(again).toEqual(first);
    expect(s3.requests.slice(seen + 2).map((r) => r.split(' ')[0])).toEqual(['HEAD']);
  });

  it('answers undefined / false for a blob that is not there', async () => {
    const missing = sha256(randomBytes(16));
    expect(await store.get(missing)).toBeUndefined();
    expect(await store.has(missing)).toBe(false);
  });

  it('refuses malformed ids without making any request', async () => {
    const seen = s3.requests.length;
    for (const bad of ['', '../../etc/passwd', 'A'.repeat(64), `${'a'.repeat(63)}/`, `${'a'.repeat(64)}?x=1`, 'a'.repeat(65)]) {
      expect(await store.get(bad)).toBeUndefined();
      expect(await store.has(bad)).toBe(false);
      expect(() => store.keyOf(bad)).toThrow(RangeError);
    }
    expect(s3.requests.length).toBe(seen);
  });

  it('says which bucket and endpoint failed when the bucket does not exist', async () => {
    const wrong = new S3BlobStore({ ...store.config, bucket: 'no-such-bucket' });
    await expect(wrong.put(randomBytes(10), { mediaType: 'application/octet-stream' })).rejects.toThrow(/cannot put blob [0-9a-f]{64} in bucket no-such-bucket at http:\/\/127\.0\.0\.1:\d+: NoSuchBucket/);
    await wrong.close();
  });
});

describe('CachedBlobStore: a local LRU in front of the bucket', () => {
  let s3: TestS3Server;
  let remote: S3BlobStore;
  beforeAll(async () => {
    s3 = await startS3Server();
    remote = storeOn(s3, 'cache-test');
  });
  afterAll(async () => {
    await remote?.close();
    await s3?.dispose();
  });

  it('evicts the least recently used blobs by bytes, keeps the most recent, and rebuilds that order at start', async () => {
    const folder = await tempFolder('lru');
    const cache = new CachedBlobStore(remote, { directory: folder, maxBytes: 2500 });
    const blob = () => randomBytes(1000);
    const a = await cache.put(blob(), { mediaType: 'application/octet-stream' });
    await pause(5);
    const b = await cache.put(blob(), { mediaType: 'application/octet-stream' });
    await pause(5);
    expect(await cache.get(a.id)).toBeDefined(); // a is now the most recent
    await pause(5);
    const c = await cache.put(blob(), { mediaType: 'application/octet-stream' });
    expect(cache.cachedIds()).toEqual([a.id, c.id]);
    expect(cache.cachedBytes).toBe(2000);
    expect(await cache.local.has(b.id)).toBe(false);
    expect(cache.pathOf(b.id)).toBeUndefined();
    expect(cache.pathOf(c.id)).toBe(cache.local.pathOf(c.id)); // a use too: c stays the most recent

    // Evicted locally is not gone: it comes back from the bucket, and the oldest goes instead.
    await pause(5);
    expect((await cache.get(b.id))?.meta.id).toBe(b.id);
    expect(cache.cachedIds()).toEqual([c.id, b.id]);
    expect(await cache.local.has(a.id)).toBe(false);

    // A new process on the same folder (with a smaller limit) finds the order from the files' times.
    const restarted = new CachedBlobStore(remote, { directory: folder, maxBytes: 1500 });
    expect(await restarted.has(b.id)).toBe(true);
    expect(restarted.cachedIds()).toEqual([b.id]);
    expect(await restarted.local.has(c.id)).toBe(false);
  });

  it('serves a cached blob from local disk, and without the bucket only what is cached', async () => {
    const bytes = await noisyPng(40, 30);
    const other = randomBytes(500);
    // Stored in the bucket by another machine: this one has no copy yet.
    const stored = await remote.put(bytes, { mediaType: 'image/png', width: 40, height: 30 });
    const neverCached = await remote.put(other, { mediaType: 'application/octet-stream' });

    const cache = new CachedBlobStore(remote, { directory: await tempFolder('cached'), maxBytes: 10 * 1024 * 1024 });
    expect(cache.pathOf(stored.id)).toBeUndefined();
    let seen = s3.requests.length;
    const first = await cache.get(stored.id);
    expect(first?.bytes.equals(bytes)).toBe(true);
    expect(s3.requests.slice(seen).map((r) => r.split(' ')[0])).toEqual(['GET']);
    expect(existsSync(cache.pathOf(stored.id) ?? '')).toBe(true);

    seen = s3.requests.length;
    const second = await cache.get(stored.id);
    expect(second).toEqual(first);
    expect(s3.requests.length).toBe(seen);

    // Proof that it is the local copy: with the server gone, the cached blob still reads...
    await s3.stop();
    expect((await cache.get(stored.id))?.meta).toEqual({ id: stored.id, mediaType: 'image/png', size: bytes.length, width: 40, height: 30 });
    expect(await cache.has(stored.id)).toBe(true);
    // ...and one never cached fails with an error naming the blob and the bucket: "not found" would be a lie.
    await expect(cache.get(neverCached.id)).rejects.toThrow(new RegExp(`cannot get blob ${neverCached.id} in bucket ${s3.bucket} at ${s3.endpoint}`));
  });
});

describe('blob store settings from the environment', () => {
  const dataDir = '/srv/pixelwire';

  it('defaults to local disk at <dataDir>/artifacts', () => {
    expect(blobStoreSettingsFromEnv({ dataDir, env: {} })).toEqual({ kind: 'disk', directory: '/srv/pixelwire/artifacts' });
    expect(blobStoreSettingsFromEnv({ dataDir, env: { PIXELWIRE_S3_BUCKET: '  ' } }).kind).toBe('disk');
    expect(createBlobStore({ dataDir, env: {} })).toBeInstanceOf(DiskArtifactStore);
    expect(describeBlobStore({ dataDir, env: {} })).toBe('local disk at /srv/pixelwire/artifacts');
  });

  it('reads the S3 settings, with their defaults, and puts the LRU at <dataDir>/blob-cache', () => {
    expect(blobStoreSettingsFromEnv({ dataDir, env: { PIXELWIRE_S3_BUCKET: 'images' } })).toEqual({
      kind: 's3',
      s3: { bucket: 'images', prefix: 'pixelwire', region: 'us-east-1', endpoint: undefined, forcePathStyle: false, credentials: undefined },
      cache: { directory: '/srv/pixelwire/blob-cache', maxBytes: 2048 * 1024 * 1024 },
    });
    const env = {
      PIXELWIRE_S3_BUCKET: 'images',
      PIXELWIRE_S3_ENDPOINT: 'http://minio:9000',
      PIXELWIRE_S3_REGION: 'auto',
      PIXELWIRE_S3_PREFIX: '/team/blobs/',
      PIXELWIRE_S3_FORCE_PATH_STYLE: 'true',
      PIXELWIRE_S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      PIXELWIRE_S3_SECRET_ACCESS_KEY: 'very-secret-value',
      PIXELWIRE_BLOB_CACHE_MB: '64',
    };
    expect(blobStoreSettingsFromEnv({ dataDir, env })).toMatchObject({
      s3: { prefix: 'team/blobs', region: 'auto', endpoint: 'http://minio:9000', forcePathStyle: true, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'very-secret-value' } },
      cache: { maxBytes: 64 * 1024 * 1024 },
    });
    expect(createBlobStore({ dataDir: '/tmp/pw-never-written', env })).toBeInstanceOf(CachedBlobStore);
  });

  it('describes the store for logs without secrets', () => {
    const text = describeBlobStore({
      dataDir,
      env: {
        PIXELWIRE_S3_BUCKET: 'images',
        PIXELWIRE_S3_ENDPOINT: 'https://admin:hunter2@r2.example.com',
        PIXELWIRE_S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        PIXELWIRE_S3_SECRET_ACCESS_KEY: 'very-secret-value',
      },
    });
    expect(text).toBe(
      'S3 bucket images (prefix pixelwire/, region us-east-1, endpoint https://r2.example.com, keys from PIXELWIRE_S3_ACCESS_KEY_ID/PIXELWIRE_S3_SECRET_ACCESS_KEY), cached locally up to 2048 MB at /srv/pixelwire/blob-cache',
    );
    for (const secret of ['hunter2', 'admin', 'AKIDEXAMPLE', 'very-secret-value']) expect(text).not.toContain(secret);
  });

  it('stops with a readable message naming the bad setting', () => {
    const bad = (env: Record<string, string>) => () => blobStoreSettingsFromEnv({ dataDir, env });
    const bucket = { PIXELWIRE_S3_BUCKET: 'images' };
    expect(bad({ ...bucket, PIXELWIRE_S3_FORCE_PATH_STYLE: 'yes' })).toThrow(/^invalid blob store settings: PIXELWIRE_S3_FORCE_PATH_STYLE: /);
    expect(bad({ ...bucket, PIXELWIRE_BLOB_CACHE_MB: 'lots' })).toThrow(/PIXELWIRE_BLOB_CACHE_MB/);
    expect(bad({ ...bucket, PIXELWIRE_BLOB_CACHE_MB: '-5' })).toThrow(/PIXELWIRE_BLOB_CACHE_MB/);
    expect(bad({ ...bucket, PIXELWIRE_S3_ENDPOINT: 'minio:9000' })).toThrow(/PIXELWIRE_S3_ENDPOINT: expected an http:\/\/ or https:\/\/ URL/);
    expect(bad({ ...bucket, PIXELWIRE_S3_ENDPOINT: 'ftp://minio' })).toThrow(/PIXELWIRE_S3_ENDPOINT/);
    expect(bad({ PIXELWIRE_S3_BUCKET: 'a b' })).toThrow(/PIXELWIRE_S3_BUCKET: expected a bucket name/);
    expect(bad({ ...bucket, PIXELWIRE_S3_PREFIX: 'a//b' })).toThrow(/PIXELWIRE_S3_PREFIX/);
    expect(bad({ ...bucket, PIXELWIRE_S3_ACCESS_KEY_ID: 'AKIDEXAMPLE' })).toThrow(
      /PIXELWIRE_S3_SECRET_ACCESS_KEY: set both PIXELWIRE_S3_ACCESS_KEY_ID and PIXELWIRE_S3_SECRET_ACCESS_KEY, or neither/,
    );
    expect(bad({ PIXELWIRE_S3_ENDPOINT: 'http://minio:9000' })).toThrow(/PIXELWIRE_S3_ENDPOINT: is set but PIXELWIRE_S3_BUCKET is not/);
    expect(bad({ ...bucket, PIXELWIRE_S3_FORCE_PATH_STYLE: 'yes', PIXELWIRE_BLOB_CACHE_MB: '0' })).toThrow(/PIXELWIRE_S3_FORCE_PATH_STYLE: .*; PIXELWIRE_BLOB_CACHE_MB: /);
  });
});

describe('the server with PIXELWIRE_S3_* set', () => {
  let s3: TestS3Server;
  let database: TestDatabase;
  let dataDir: string;
  let app: Awaited<ReturnType<typeof createApp>>;
  let http: Awaited<ReturnType<typeof listen>>;
  let alice: TestClient;
  const saved = { ...process.env };
  const config = (dir: string): ServerConfig => ({
    dataDir: dir,
    workers: 1,
    maxUploadBytes: 5 * 1024 * 1024,
    maxPixels: 25_000_000,
    previewMaxSide: 512,
    sessionDays: 30,
    secureCookies: false,
    trustProxy: true,
  });

  beforeAll(async () => {
    s3 = await startS3Server();
    // The server reads them, and its worker processes inherit them.
    Object.assign(process.env, s3.env, { PIXELWIRE_S3_PREFIX: 'server-test' });
    delete process.env.REDIS_URL; // the embedded queue: its worker processes are what this checks
    dataDir = await tempFolder('server');
    database = await createTestDatabase('pglite');
    app = await createApp({ database: database.config, config: config(dataDir) });
    http = await listen(createApiHandler(app));
    alice = await signedUpClient(http, 'alice');
  });
  afterAll(async () => {
    await http?.close();
    await app?.close();
    await database?.dispose();
    await s3?.dispose();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('refuses to start on a bad setting before opening the database', async () => {
    process.env.PIXELWIRE_S3_FORCE_PATH_STYLE = 'sometimes';
    try {
      await expect(createApp({ database: { kind: 'pglite', dataDir: join(dataDir, 'never-opened') }, config: config(dataDir) })).rejects.toThrow(
        /invalid blob store settings: PIXELWIRE_S3_FORCE_PATH_STYLE/,
      );
      expect(existsSync(join(dataDir, 'never-opened'))).toBe(false);
    } finally {
      process.env.PIXELWIRE_S3_FORCE_PATH_STYLE = 'true';
    }
  });

  it('stores uploads, run outputs and previews in the bucket and serves them back', async () => {
    expect(app.artifacts).toBeInstanceOf(CachedBlobStore);
    const bytes = await noisyPng(48, 32);
    const file = await upload(alice, bytes);
    const key = (id: string) => `server-test/${id.slice(0, 2)}/${id}`;
    expect((await headObject(s3, key(file.sha256)))?.Metadata).toEqual({ 'media-type': 'image/png', width: '48', height: '32' });
    expect(existsSync(join(dataDir, 'artifacts'))).toBe(false);

    // Served from the bucket even when this machine's copy is gone.
    await rm(join(dataDir, 'blob-cache'), { recursive: true, force: true });
    const back = await alice.fetch(`/api/artifacts/${file.id}`);
    expect(back.status).toBe(200);
    expect(Buffer.from(await back.arrayBuffer()).equals(bytes)).toBe(true);

    // A worker process (same environment) writes the run's output and preview to the same bucket.
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'S3', document: blurGraph(file.sha256) });
    const run = await alice.trpc.runs.start.mutate({ graphId: graph.id });
    const events = await subscribeRunEvents(alice, { runId: run.id });
    const finished = events.at(-1)?.event;
    if (finished?.type !== 'run.finished') throw new Error(`the run did not finish: ${JSON.stringify(events.map((e) => e.event.type))}`);
    expect(finished.status).toBe('succeeded');
    const result = finished.outputs.result;
    if (!result || !('artifactId' in result)) throw new Error('no image output');
    expect(await headObject(s3, key(result.artifactId))).toBeDefined();
    expect(await headObject(s3, key(result.preview.artifactId))).toBeDefined();
    const output = await alice.fetch(`/api/v1/runs/${run.id}/files/${result.artifactId}`);
    expect(output.status).toBe(200);
    expect(output.headers.get('content-type')).toBe('image/png');
    expect(sha256(Buffer.from(await output.arrayBuffer()))).toBe(result.artifactId);
  });
});
