import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanFileName } from '../../server/services/upload-names';
import { codeOf, signedUpClient, startTestServer, type TestClient, type TestServer } from '../helpers/server-harness';
import { noisyPng, solidPng, subscribeRunEvents, trpcError, upload } from './server-fixtures';


describe('cleanFileName', () => {
  it('keeps the last path segment, without control characters', () => {
    expect(cleanFileName('photo.png')).toBe('photo.png');
    expect(cleanFileName('C:\\Users\\lin\\Pictures\\holiday 2024.jpg')).toBe('holiday 2024.jpg');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('bad\u0000name\n.png')).toBe('badname.png');
  });

  it('gives nothing for nothing usable, and shortens long names keeping the extension', () => {
    expect(cleanFileName('')).toBeUndefined();
    expect(cleanFileName(null)).toBeUndefined();
    expect(cleanFileName('dir/..')).toBeUndefined();
    const long = cleanFileName(`${'x'.repeat(300)}.png`)!;
    expect(long).toHaveLength(200);
    expect(long.endsWith('….png')).toBe(true);
  });
});

/**
 * Images are shown by file name, not by hash (issue 11, item 7): an upload keeps its file name
 * (a multipart part's, or ?name= for a raw body), artifacts.content tells it to whoever may use
 * the image, and the editor knows each installed diffusion model's conditioning and classes.
 */
describe('upload names and model facts (pglite)', () => {
  let server: TestServer;
  let lin: TestClient;
  let sam: TestClient;

  beforeAll(async () => {
    server = await startTestServer('pglite');
    [lin, sam] = await Promise.all([signedUpClient(server, 'lin'), signedUpClient(server, 'sam')]);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('keeps the name of a raw upload (?name=) and of a multipart file part', async () => {
    const raw = await upload(lin, await noisyPng(24, 16), `?name=${encodeURIComponent('Holiday photo.png')}`);
    expect(raw).toMatchObject({ fileName: 'Holiday photo.png', width: 24, height: 16 });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await solidPng(6, 6, '#123456'))], { type: 'image/png' }), 'scan-01.png');
    const response = await lin.fetch('/api/v1/artifacts', { method: 'POST', body: form });
    expect(response.status).toBe(201);
    const { file } = (await response.json()) as { file: { sha256: string; fileName: string } };
    expect(file.fileName).toBe('scan-01.png');
    expect(await lin.trpc.artifacts.content.query({ sha256: file.sha256 })).toMatchObject({ fileName: 'scan-01.png', width: 6, height: 6 });
  });

  it('tells the name to whoever may use the image, and nothing to anyone else', async () => {
    const photo = await upload(lin, await noisyPng(20, 20), '?name=mine.png');
    expect(await lin.trpc.artifacts.content.query({ sha256: photo.sha256 })).toEqual({ sha256: photo.sha256, fileName: 'mine.png', mediaType: 'image/png', width: 20, height: 20 });
    expect(await codeOf(sam.trpc.artifacts.content.query({ sha256: photo.sha256 }))).toBe('NOT_FOUND');
    expect(await codeOf(lin.trpc.artifacts.content.query({ sha256: 'f'.repeat(64) }))).toBe('NOT_FOUND');
    // An upload without a name has none (shown as an uploaded image, never as its hash).
    const unnamed = await upload(lin, await noisyPng(9, 9));
    expect(await lin.trpc.artifacts.content.query({ sha256: unnamed.sha256 })).toMatchObject({ fileName: null, width: 9, height: 9 });
  });

  it('lists each installed diffusion model with its conditioning and classes', async () => {
    const models = await lin.trpc.catalogue.diffusionModels.query();
    expect(models['fashion-unet']).toMatchObject({ space: 'pixel', conditioning: 'class', classes: expect.arrayContaining(['Trouser', 'Ankle boot']) });
  });

  it('does not check, or refuse, the image of a Load image that reads a file instead', async () => {
    const strangers = await upload(sam, await noisyPng(8, 8));
    const document = (params: Record<string, unknown>) => ({
      format: 'pixelwire.graph',
      version: 1,
      nodes: [{ id: 'load', type: 'image.load', params }],
      edges: [],
      outputs: [{ name: 'image', kind: 'image', source: { node: 'load', port: 'image' } }],
    });
    // Reading it: refused as before.
    const reads = await lin.trpc.graphs.create.mutate({ name: 'Reads', document: document({ source: 'artifact', artifact: strangers.sha256 }) });
    expect((await trpcError(lin.trpc.runs.start.mutate({ graphId: reads.graph.id }))).code).toBe('FORBIDDEN');
    // Source "file": the hidden artifact param is not read, so not checked; the run fails on the file, not on access.
    const file = await lin.trpc.graphs.create.mutate({ name: 'File', document: document({ source: 'file', artifact: strangers.sha256, path: '' }) });
    const run = await lin.trpc.runs.start.mutate({ graphId: file.graph.id });
    const finished = (await subscribeRunEvents(lin, { runId: run.id })).at(-1)?.event;
    expect(finished).toMatchObject({ type: 'run.finished', status: 'failed' });
    expect(JSON.stringify(finished)).not.toContain('may not read');
    // An empty Load image asks for an image.
    const empty = await lin.trpc.graphs.create.mutate({ name: 'Empty', document: document({}) });
    const emptyRun = await lin.trpc.runs.start.mutate({ graphId: empty.graph.id });
    const emptyFinished = (await subscribeRunEvents(lin, { runId: emptyRun.id })).at(-1)?.event;
    expect(emptyFinished).toMatchObject({ status: 'failed', errors: [{ nodeId: 'load', param: 'artifact', code: 'image_not_chosen', message: 'choose an image' }] });
  });
});
