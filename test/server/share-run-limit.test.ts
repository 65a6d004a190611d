import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../db/harness';
import { signedUpClient, type TestClient, type TestServer, startTestServer } from '../helpers/server-harness';
import { blurGraph, solidPng, subscribeRunEvents, trpcError, upload } from './server-fixtures';

type Signed = TestClient & { userId: string; email: string };
const limit = 3;

/**
 * The hourly limit of a run link holds under concurrency: the count of a caller's runs through the link and the
 * runs it admits are one step for that (link, caller) pair, so calls racing each other never start more than the limit.
 */
describe.each(engines)('run link limit under concurrent calls (%s)', (kind) => {
  let server: TestServer;
  let alice: Signed;
  let bob: Signed;
  let graphId: string;
  const previous = process.env.PIXELWIRE_SHARE_RUNS_PER_HOUR;

  beforeAll(async () => {
    process.env.PIXELWIRE_SHARE_RUNS_PER_HOUR = String(limit);
    server = await startTestServer(kind, { workers: 2 });
    [alice, bob] = [await signedUpClient(server, 'alice'), await signedUpClient(server, 'bob')];
    const image = await upload(alice, await solidPng(16, 16));
    graphId = (await alice.trpc.graphs.create.mutate({ name: 'Blur', document: blurGraph(image.sha256) })).graph.id;
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.PIXELWIRE_SHARE_RUNS_PER_HOUR;
    else process.env.PIXELWIRE_SHARE_RUNS_PER_HOUR = previous;
    await server?.close();
  });

  it('starts exactly the limit when single runs and batches of one and two race; the rest are refused whole', async () => {
    const { token, link } = await alice.trpc.shares.create.mutate({ graphId, kind: 'run' });
    // Twelve calls at once asking for 16 runs. There are enough single runs to use up whatever the batches leave,
    // so in any order exactly `limit` runs start.
    const calls: Promise<{ runIds: string[]; batchId?: string }>[] = [];
    for (let i = 0; i < 4; i++) {
      calls.push(bob.trpc.shares.run.mutate({ token }).then((run) => ({ runIds: [run.id] })));
      calls.push(bob.trpc.shares.runBatch.mutate({ token, items: [{ inputs: {} }] }).then(({ batch, runs }) => ({ runIds: runs.map((r) => r.id), batchId: batch.id })));
      calls.push(bob.trpc.shares.runBatch.mutate({ token, items: [{ inputs: {} }, { inputs: {} }] }).then(({ batch, runs }) => ({ runIds: runs.map((r) => r.id), batchId: batch.id })));
    }
    const settled = await Promise.allSettled(calls);

    const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const runIds = started.flatMap((s) => s.runIds);
    expect(runIds).toHaveLength(limit);
    for (const s of settled) {
      if (s.status === 'fulfilled') continue;
      const refused = await trpcError(Promise.reject(s.reason));
      expect(refused.code).toBe('TOO_MANY_REQUESTS');
      expect(refused.data.details).toMatchObject({ runsPerHour: limit });
    }

    const prisma = server.app.db.prisma;
    expect(await prisma.run.count({ where: { shareLinkId: link.id, createdById: bob.userId } })).toBe(limit);
    // A refused batch leaves no batch row behind; the link counts exactly the runs that started.
    expect(await prisma.batch.count({ where: { shareLinkId: link.id } })).toBe(started.filter((s) => s.batchId).length);
    expect((await prisma.shareLink.findUniqueOrThrow({ where: { id: link.id }, select: { uses: true } })).uses).toBe(limit);
    expect(await bob.trpc.shares.open.query({ token })).toMatchObject({ limit: { runsPerHour: limit, left: 0 } });

    // Every admitted run was queued after its rows were written, and finishes.
    for (const runId of runIds) {
      const events = await subscribeRunEvents(bob, { runId });
      expect(events.at(-1)!.event).toMatchObject({ type: 'run.finished', status: 'succeeded' });
    }
  });
});
