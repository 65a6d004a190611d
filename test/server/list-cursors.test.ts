import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../db/harness';
import { codeOf, signedUpClient, startTestServer, type TestClient, type TestServer } from '../helpers/server-harness';

// Issue 12, item 12: a list cursor must not tell whether an id exists. Cursors are opaque positions (time, id)
// of the last item of a page; a foreign id, a made-up id or a forged position behave alike.

type Signed = TestClient & { email: string; userId: string };

/** A graph with no inputs that runs without images: a text-free blank document runs and succeeds at once. */
const blank = { format: 'pixelwire.graph', version: 1, nodes: [], edges: [], inputs: [], outputs: [] };

/** What a call gives back, comparable across cursors: the ids listed, or the error code. */
async function outcome(call: Promise<{ items: { id: string }[] }>): Promise<string> {
  try {
    return JSON.stringify((await call).items.map((item) => item.id));
  } catch {
    return `error ${await codeOf(call)}`;
  }
}

const forged = (at: number, id: string) => Buffer.from(JSON.stringify([at, id])).toString('base64url');

describe.each(engines)('list cursors (%s)', (kind) => {
  let server: TestServer;
  let alice: Signed;
  let bob: Signed;
  const tag = `cursor-${process.pid}`;
  let aliceGraphs: string[];
  let bobGraph: { id: string; updatedAt: string | Date };

  beforeAll(async () => {
    server = await startTestServer(kind);
    [alice, bob] = await Promise.all([signedUpClient(server, 'alice'), signedUpClient(server, 'bob')]);
    aliceGraphs = [];
    for (let i = 0; i < 3; i++) aliceGraphs.push((await alice.trpc.graphs.create.mutate({ name: `a${i}`, tags: [tag], document: blank })).graph.id);
    bobGraph = (await bob.trpc.graphs.create.mutate({ name: 'secret', tags: [tag], document: blank })).graph;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('graphs.list: another user\'s graph id as a cursor behaves like a made-up one', async () => {
    const foreign = await outcome(alice.trpc.graphs.list.query({ tag, cursor: bobGraph.id }));
    const madeUp = await outcome(alice.trpc.graphs.list.query({ tag, cursor: `${bobGraph.id.slice(0, -4)}ffff` }));
    expect(foreign).toBe(madeUp);
    expect(foreign).not.toContain(aliceGraphs[0]);
  });

  it('graphs.list: a forged position of someone else\'s graph reveals nothing about it', async () => {
    const at = new Date(bobGraph.updatedAt).getTime();
    const onBob = await outcome(alice.trpc.graphs.list.query({ tag, cursor: forged(at, bobGraph.id) }));
    const onNothing = await outcome(alice.trpc.graphs.list.query({ tag, cursor: forged(at, 'zzzzzzzz-no-such-graph') }));
    expect(onBob).toBe(onNothing);
    // Both are simply "alice's graphs older than that moment": all three of hers.
    expect(JSON.parse(onBob)).toEqual([...aliceGraphs].reverse());
  });

  it('graphs.list: pages through with opaque cursors, each graph exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await alice.trpc.graphs.list.query({ tag, limit: 1, cursor });
      seen.push(...page.items.map((g) => g.id));
      cursor = page.nextCursor ?? undefined;
      if (cursor) expect(aliceGraphs).not.toContain(cursor);
    } while (cursor && seen.length < 10);
    expect(seen).toEqual([...aliceGraphs].reverse());
  });

  it('runs.list: another user\'s run id as a cursor behaves like a made-up one', async () => {
    const graphId = aliceGraphs[0]!;
    for (let i = 0; i < 3; i++) await alice.trpc.runs.start.mutate({ graphId });
    const bobRun = await bob.trpc.runs.start.mutate({ graphId: bobGraph.id });
    const foreign = await outcome(alice.trpc.runs.list.query({ graphId, cursor: bobRun.id }));
    const madeUp = await outcome(alice.trpc.runs.list.query({ graphId, cursor: `${bobRun.id.slice(0, -4)}ffff` }));
    expect(foreign).toBe(madeUp);

    const at = new Date(bobRun.createdAt).getTime();
    expect(await outcome(alice.trpc.runs.list.query({ graphId, cursor: forged(at, bobRun.id) }))).toBe(
      await outcome(alice.trpc.runs.list.query({ graphId, cursor: forged(at, 'zzzzzzzz-no-such-run') })),
    );

    // Paging still returns every run once.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await alice.trpc.runs.list.query({ graphId, limit: 2, cursor });
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && seen.length < 10);
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
  });
});
