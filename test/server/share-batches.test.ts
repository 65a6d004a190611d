import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzip } from '../../server/util/unzip';
import { clientFor, codeOf, signedUpClient, startTestServer, type TestClient, type TestServer } from '../helpers/server-harness';
import { noisyPng, subscribeRunEvents, trpcError, upload, type UploadedFile } from './server-fixtures';

type Signed = TestClient & { userId: string; email: string };

/**
 * Batches through a run link (app mode): a signed-in stranger runs the link's graph over several inputs, each item
 * counted against his hourly limit through that link; he alone (and the graph's members) may follow the batch, and
 * what he sees of it is what the link shows.
 */
describe('batches through run links', () => {
  let server: TestServer;
  let alice: Signed;
  let bob: Signed;
  let carol: Signed;
  let watermark: UploadedFile;
  let bobPhotos: UploadedFile[];
  let graphId: string;
  const previous = process.env.PIXELWIRE_SHARE_RUNS_PER_HOUR;

  /** Alice's watermark (read by the saved document) blended over an image input. */
  const appGraph = (mark: string) => ({
    format: 'pixelwire.graph',
    version: 1,
    nodes: [
      { id: 'mark', type: 'image.load', params: { artifact: mark } },
      { id: 'blend', type: 'image.blend', params: { mode: 'normal', opacity: 0.3 } },
    ],
    edges: [{ from: { node: 'mark', port: 'image' }, to: { node: 'blend', port: 'top' } }],
    inputs: [{ name: 'photo', kind: 'image', targets: [{ node: 'blend', port: 'base' }] }],
    outputs: [{ name: 'result', kind: 'image', source: { node: 'blend', port: 'image' } }],
  });
  const runLink = async () => (await alice.trpc.shares.create.mutate({ graphId, kind: 'run' })).token;
  const linkRuns = () => server.app.db.prisma.run.count({ where: { graphId, shareLinkId: { not: null } } });
  const batchCount = () => server.app.db.prisma.batch.count({ where: { graphId } });

  beforeAll(async () => {
    process.env.PIXELWIRE_SHARE_RUNS_PER_HOUR = '3';
    server = await startTestServer('pglite', { workers: 2 });
    [alice, bob, carol] = await Promise.all([signedUpClient(server, 'alice'), signedUpClient(server, 'bob'), signedUpClient(server, 'carol')]);
    watermark = await upload(alice, await noisyPng(48, 32));
    bobPhotos = [await upload(bob, await noisyPng(48, 32)), await upload(bob, await noisyPng(32, 24))];
    graphId = (await alice.trpc.graphs.create.mutate({ name: 'Watermarker', document: appGraph(watermark.sha256) })).graph.id;
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.PIXELWIRE_SHARE_RUNS_PER_HOUR;
    else process.env.PIXELWIRE_SHARE_RUNS_PER_HOUR = previous;
    await server.close();
  });

  it('runs a batch for a signed-in stranger; he follows it (progress, files, ZIP) without the graph, others learn nothing', async () => {
    const token = await runLink();
    expect(await bob.trpc.shares.open.query({ token })).toMatchObject({ kind: 'run', limit: { runsPerHour: 3, left: 3 } });

    const { batch, runs } = await bob.trpc.shares.runBatch.mutate({ token, items: bobPhotos.map((p) => ({ inputs: { photo: p.sha256 } })) });
    expect(batch.total).toBe(2);
    for (const run of runs) {
      const events = await subscribeRunEvents(bob, { runId: run.id });
      expect(events.at(-1)!.event).toMatchObject({ type: 'run.finished', status: 'succeeded' });
    }
    const seen = await bob.trpc.batches.get.query({ batchId: batch.id });
    expect(seen).toMatchObject({ access: 'link', graphName: 'Watermarker', total: 2, done: 2, counts: { succeeded: 2, failed: 0 } });
    expect(seen.runs.map((r) => (r.outputs as { result: { width: number } }).result.width)).toEqual([48, 32]);
    // Nothing of the graph's document comes with the batch or its runs.
    expect(JSON.stringify(seen)).not.toContain(watermark.sha256);
    expect((await bob.trpc.runs.get.query({ runId: runs[0]!.id })).document).toBeNull();

    const output = (seen.runs[0]!.outputs as { result: { artifactId: string } }).result.artifactId;
    expect((await bob.fetch(`/api/runs/${runs[0]!.id}/files/${output}`)).status).toBe(200);
    const zip = await bob.fetch(`/api/v1/batches/${batch.id}/outputs.zip`);
    expect(zip.status).toBe(200);
    const names = unzip(Buffer.from(await zip.arrayBuffer()), { maxEntries: 100, maxBytes: 1 << 26 }).map((e) => e.name);
    expect(names).toEqual(['1-result.png', '2-result.png', 'results.json']);

    // Alice, who owns the graph, sees the batch as hers to manage; carol and anonymous callers do not see it at all.
    expect(await alice.trpc.batches.get.query({ batchId: batch.id })).toMatchObject({ access: 'graph', done: 2 });
    expect(await codeOf(carol.trpc.batches.get.query({ batchId: batch.id }))).toBe('NOT_FOUND');
    expect(await codeOf(carol.trpc.batches.cancel.mutate({ batchId: batch.id }))).toBe('NOT_FOUND');
    expect((await carol.fetch(`/api/v1/batches/${batch.id}/outputs.zip`)).status).toBe(404);
    expect((await carol.fetch(`/api/runs/${runs[0]!.id}/files/${output}`)).status).toBe(404);
    expect(await codeOf(clientFor(server).trpc.batches.get.query({ batchId: batch.id }))).toBe('UNAUTHORIZED');
    // Every item counted: two uses of the link, one run left for bob this hour.
    const listed = (await alice.trpc.shares.list.query({ graphId })).find((l) => l.kind === 'run' && l.uses > 0);
    expect(listed?.uses).toBe(2);
    expect(await bob.trpc.shares.open.query({ token })).toMatchObject({ limit: { left: 1 } });
  });

  it('counts each item against the hourly limit: a batch larger than what is left is refused whole, and nothing starts', async () => {
    const token = await runLink();
    const [runsBefore, batchesBefore] = [await linkRuns(), await batchCount()];
    const items = (n: number) => Array.from({ length: n }, (_, i) => ({ inputs: { photo: bobPhotos[i % 2]!.sha256 } }));
    const tooMany = await trpcError(bob.trpc.shares.runBatch.mutate({ token, items: items(4) }));
    expect(tooMany.code).toBe('TOO_MANY_REQUESTS');
    expect(tooMany.message).toContain('a batch of 4 is more than the 3 runs');
    expect(tooMany.data.details).toMatchObject({ runsPerHour: 3, left: 3 });
    expect([await linkRuns(), await batchCount()]).toEqual([runsBefore, batchesBefore]);

    const { runs } = await bob.trpc.shares.runBatch.mutate({ token, items: items(3) });
    expect(runs).toHaveLength(3);
    // The batch used up the hour: single runs and batches are refused alike; carol has her own allowance.
    expect(await codeOf(bob.trpc.shares.run.mutate({ token, inputs: { photo: bobPhotos[0]!.sha256 } }))).toBe('TOO_MANY_REQUESTS');
    expect(await codeOf(bob.trpc.shares.runBatch.mutate({ token, items: items(1) }))).toBe('TOO_MANY_REQUESTS');
    const carols = await upload(carol, await noisyPng(16, 16));
    expect(await codeOf(carol.trpc.shares.runBatch.mutate({ token, items: [{ inputs: { photo: carols.sha256 } }] }))).toBe('OK');
    for (const run of runs) await subscribeRunEvents(bob, { runId: run.id });
  });

  it("refuses an item with an image the caller may not use, naming it; alice's watermark in the document is fine", async () => {
    const token = await runLink();
    const [runsBefore, batchesBefore] = [await linkRuns(), await batchCount()];
    const refused = await trpcError(bob.trpc.shares.runBatch.mutate({ token, items: [{ inputs: { photo: bobPhotos[0]!.sha256 } }, { inputs: { photo: watermark.sha256 } }] }));
    expect(refused.code).toBe('BAD_REQUEST');
    expect(refused.message).toContain('item 2');
    expect(refused.data.details.item).toBe(1);
    expect(await codeOf(bob.trpc.shares.runBatch.mutate({ token, items: [{ inputs: {} }] }))).toBe('BAD_REQUEST');
    expect([await linkRuns(), await batchCount()]).toEqual([runsBefore, batchesBefore]);
    // Refusals are not runs: the whole allowance is still there.
    expect(await bob.trpc.shares.open.query({ token })).toMatchObject({ limit: { left: 3 } });
  });

  it('starts nothing through a view link or a revoked one; a revoked link leaves the batch his to follow and cancel, without the name', async () => {
    const view = (await alice.trpc.shares.create.mutate({ graphId, kind: 'view' })).token;
    expect(await codeOf(bob.trpc.shares.runBatch.mutate({ token: view, items: [{ inputs: { photo: bobPhotos[0]!.sha256 } }] }))).toBe('FORBIDDEN');
    expect(await codeOf(clientFor(server).trpc.shares.runBatch.mutate({ token: view, items: [{ inputs: {} }] }))).toBe('UNAUTHORIZED');

    const { token, link } = await alice.trpc.shares.create.mutate({ graphId, kind: 'run' });
    const { batch, runs } = await bob.trpc.shares.runBatch.mutate({ token, items: [{ inputs: { photo: bobPhotos[1]!.sha256 } }] });
    await alice.trpc.shares.revoke.mutate({ id: link.id });
    expect(await codeOf(bob.trpc.shares.runBatch.mutate({ token, items: [{ inputs: { photo: bobPhotos[1]!.sha256 } }] }))).toBe('NOT_FOUND');
    expect(await bob.trpc.batches.get.query({ batchId: batch.id })).toMatchObject({ access: 'link', graphName: null, total: 1 });
    expect(await codeOf(bob.trpc.batches.cancel.mutate({ batchId: batch.id }))).toBe('OK');
    await subscribeRunEvents(bob, { runId: runs[0]!.id });
    // A graph the owner deletes takes its batches with it, for everyone.
    await alice.trpc.graphs.delete.mutate({ graphId });
    expect(await codeOf(bob.trpc.batches.get.query({ batchId: batch.id }))).toBe('NOT_FOUND');
  });
});
