import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, codeOf, signedUpClient, startTestServer, type TestClient, type TestServer } from '../helpers/server-harness';
import { blurGraph, noisyPng, subscribeRunEvents, trpcError, upload, type UploadedFile } from './server-fixtures';

type Signed = TestClient & { userId: string; email: string };

/** Share links: view links for anyone, run links (app mode) for signed-in users, revocable, counted, limited. */
describe('share links', () => {
  let server: TestServer;
  let alice: Signed;
  let bob: Signed;
  let photo: UploadedFile;
  let graphId: string;
  const previous = process.env.PIXELWIRE_SHARE_RUNS_PER_HOUR;

  /** Alice's graph: her uploaded watermark composited over an image input (the saved document reads her upload). */
  const appGraph = (watermark: string) => ({
    format: 'pixelwire.graph',
    version: 1,
    nodes: [
      { id: 'mark', type: 'image.load', params: { artifact: watermark } },
      { id: 'blend', type: 'image.blend', params: { mode: 'normal', opacity: 0.3 } },
    ],
    edges: [{ from: { node: 'mark', port: 'image' }, to: { node: 'blend', port: 'top' } }],
    inputs: [{ name: 'photo', kind: 'image', targets: [{ node: 'blend', port: 'base' }] }],
    outputs: [{ name: 'result', kind: 'image', source: { node: 'blend', port: 'image' } }],
  });

  beforeAll(async () => {
    process.env.PIXELWIRE_SHARE_RUNS_PER_HOUR = '2';
    server = await startTestServer('pglite', { workers: 1 });
    alice = await signedUpClient(server, 'alice');
    bob = await signedUpClient(server, 'bob');
    photo = await upload(alice, await noisyPng(48, 32));
    graphId = (await alice.trpc.graphs.create.mutate({ name: 'Watermarker', document: appGraph(photo.sha256) })).graph.id;
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.PIXELWIRE_SHARE_RUNS_PER_HOUR;
    else process.env.PIXELWIRE_SHARE_RUNS_PER_HOUR = previous;
    await server.close();
  });

  it('shows a view link\'s graph and latest outputs to anyone, until it is revoked', async () => {
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Shown', document: blurGraph(photo.sha256) });
    const run = await alice.trpc.runs.start.mutate({ graphId: graph.id });
    const finished = (await subscribeRunEvents(alice, { runId: run.id })).at(-1)!.event;
    if (finished.type !== 'run.finished' || !finished.outputs.result || !('artifactId' in finished.outputs.result)) throw new Error('no output');
    const output = finished.outputs.result;

    const { token, path, link } = await alice.trpc.shares.create.mutate({ graphId: graph.id, kind: 'view', expiresInDays: 7 });
    expect(path).toBe(`/s/${token}`);
    const anonymous = clientFor(server);
    const shown = await anonymous.trpc.shares.open.query({ token });
    expect(shown).toMatchObject({ kind: 'view', name: 'Shown', version: 1, latestRun: { id: run.id } });
    expect(shown).toHaveProperty('document.nodes');
    const file = await anonymous.fetch(`/api/shares/${token}/files/${output.artifactId}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    // Only files of that graph's runs: an upload of alice's is not served through the link.
    expect((await anonymous.fetch(`/api/shares/${token}/files/${photo.sha256}`)).status).toBe(404);
    // Nor can the link run anything, and the listing (editors only) never shows the token.
    expect(await codeOf(bob.trpc.shares.run.mutate({ token }))).toBe('FORBIDDEN');
    expect(JSON.stringify(await alice.trpc.shares.list.query({ graphId: graph.id }))).not.toContain(token);

    await alice.trpc.shares.revoke.mutate({ id: link.id });
    expect(await codeOf(anonymous.trpc.shares.open.query({ token }))).toBe('NOT_FOUND');
    expect((await anonymous.fetch(`/api/shares/${token}/files/${output.artifactId}`)).status).toBe(404);
    expect(await codeOf(anonymous.trpc.shares.open.query({ token: `pws_${'x'.repeat(32)}` }))).toBe('NOT_FOUND');
  });

  it("names the images a view link's document reads, from its sharer's uploads only, and no others", async () => {
    const png = await noisyPng(20, 20);
    const named = await upload(alice, png, '?name=watermark.png');
    // The same bytes uploaded later by someone else under another name: that name is Bob's, never shown.
    await upload(bob, png, '?name=bobs-private-name.png');
    // An upload of Alice's that the graph does not read: the link says nothing of it.
    const unrelated = await upload(alice, await noisyPng(12, 12), '?name=unrelated.png');
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Marked', document: appGraph(named.sha256) });
    const { token } = await alice.trpc.shares.create.mutate({ graphId: graph.id, kind: 'view' });
    const shown = await clientFor(server).trpc.shares.open.query({ token });
    expect('imageNames' in shown && shown.imageNames).toEqual([{ sha256: named.sha256, fileName: 'watermark.png' }]);
    expect(JSON.stringify(shown)).not.toContain('bobs-private-name');
    expect(JSON.stringify(shown)).not.toContain(unrelated.sha256);

    // A document whose image has no name known to its sharer names nothing; a run link's answer has no names at all.
    const bare = await alice.trpc.graphs.create.mutate({ name: 'Bare', document: blurGraph(photo.sha256) });
    const bareLink = await alice.trpc.shares.create.mutate({ graphId: bare.graph.id, kind: 'view' });
    expect(await clientFor(server).trpc.shares.open.query({ token: bareLink.token })).toMatchObject({ imageNames: [] });
    const runLink = await alice.trpc.shares.create.mutate({ graphId: graph.id, kind: 'run' });
    expect(await bob.trpc.shares.open.query({ token: runLink.token })).not.toHaveProperty('imageNames');
  });

  it('runs the graph for a signed-in stranger through a run link: a form of the inputs, their own uploads, their own run only, limited', async () => {
    const { token } = await alice.trpc.shares.create.mutate({ graphId, kind: 'run' });
    expect(await codeOf(clientFor(server).trpc.shares.open.query({ token }))).toBe('UNAUTHORIZED');
    const form = await bob.trpc.shares.open.query({ token });
    expect(form).toMatchObject({ kind: 'run', name: 'Watermarker', inputs: [{ name: 'photo', kind: 'image', required: true }], outputs: [{ name: 'result', kind: 'image' }] });
    expect(form).not.toHaveProperty('document');

    // His own image: the run reads alice's watermark (the saved document's) and his photo.
    const bobPhoto = await upload(bob, await noisyPng(48, 32));
    const run = await bob.trpc.shares.run.mutate({ token, inputs: { photo: bobPhoto.sha256 } });
    const events = await subscribeRunEvents(bob, { runId: run.id });
    expect(events.at(-1)!.event).toMatchObject({ type: 'run.finished', status: 'succeeded', outputs: { result: { width: 48, height: 32 } } });
    expect(await bob.trpc.runs.get.query({ runId: run.id })).toMatchObject({ status: 'succeeded' });
    // Alice's image as his input is refused; he sees none of the graph's other runs.
    const refused = await trpcError(bob.trpc.shares.run.mutate({ token, inputs: { photo: photo.sha256 } }));
    expect(refused.code).toBe('BAD_REQUEST');
    const hers = await alice.trpc.runs.start.mutate({ graphId, inputs: { photo: photo.sha256 } });
    expect(await codeOf(bob.trpc.runs.get.query({ runId: hers.id }))).toBe('NOT_FOUND');
    expect(await codeOf(bob.trpc.runs.list.query({ graphId }))).toBe('NOT_FOUND');
    // Counted, and limited per person and hour (2 here).
    await bob.trpc.shares.run.mutate({ token, inputs: { photo: bobPhoto.sha256 } });
    expect(await codeOf(bob.trpc.shares.run.mutate({ token, inputs: { photo: bobPhoto.sha256 } }))).toBe('TOO_MANY_REQUESTS');
    const [listed] = await alice.trpc.shares.list.query({ graphId });
    expect(listed).toMatchObject({ kind: 'run', uses: 2 });
  });
});
