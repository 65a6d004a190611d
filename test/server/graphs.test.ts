import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../db/harness';
import { addToTeam, codeOf, signedUpClient, startTestServer, type TestClient, type TestServer } from '../helpers/server-harness';
import { blurGraph, noisyPng, subscribeRunEvents, trpcError, unwiredGraph, upload } from './server-fixtures';

type Signed = TestClient & { email: string; userId: string };
let counter = 0;
/** A tag no other test uses, so list filters see only this test's graphs. */
const uniqueTag = (name: string) => `${name}-${++counter}`;

describe.each(engines)('graphs (%s)', (kind) => {
  let server: TestServer;
  let alice: Signed;
  let bob: Signed;
  let sha: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    [alice, bob] = await Promise.all([signedUpClient(server, 'alice'), signedUpClient(server, 'bob')]);
    sha = (await upload(alice, await noisyPng(32, 24))).sha256;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates a graph with version 1 and gets it back; others cannot see it', async () => {
    const document = blurGraph(sha);
    const created = await alice.trpc.graphs.create.mutate({ name: 'Soft focus', description: 'blurs', tags: ['photo', 'blur'], document });
    expect(created.problems).toEqual([]);
    expect(created.graph).toMatchObject({ name: 'Soft focus', description: 'blurs', tags: ['photo', 'blur'], ownerUserId: alice.userId, ownerTeamId: null });
    expect(created.graph.headVersion).toMatchObject({ number: 1, message: 'created', authorId: alice.userId });

    const got = await alice.trpc.graphs.get.query({ graphId: created.graph.id });
    expect(got.role).toBe('owner');
    expect(got.version.number).toBe(1);
    expect(got.version.document).toEqual({ ...document, inputs: [] }); // stored parsed, defaults filled in

    const empty = await alice.trpc.graphs.create.mutate({ name: 'Blank' });
    expect((await alice.trpc.graphs.get.query({ graphId: empty.graph.id })).version.document).toEqual({
      format: 'pixelwire.graph',
      version: 1,
      nodes: [],
      edges: [],
      inputs: [],
      outputs: [],
    });

    expect(await codeOf(bob.trpc.graphs.get.query({ graphId: created.graph.id }))).toBe('NOT_FOUND');
    expect(await codeOf(bob.trpc.graphs.save.mutate({ graphId: created.graph.id, baseVersion: 1, document }))).toBe('NOT_FOUND');
    expect((await bob.trpc.graphs.list.query({})).items.map((g) => g.id)).not.toContain(created.graph.id);
    expect(await codeOf(alice.trpc.graphs.get.query({ graphId: 'no-such-graph' }))).toBe('NOT_FOUND');
  });

  it('lists with search by name, by tag and by team', async () => {
    const tag = uniqueTag('list');
    const team = await alice.trpc.teams.create.mutate({ name: 'Studio' });
    const mk = (name: string, tags: string[], teamId?: string) => alice.trpc.graphs.create.mutate({ name, tags, teamId }).then((r) => r.graph.id);
    const sunset = await mk('Sunset Warmth', [tag, 'colour']);
    const sharpen = await mk('Sharpen edges', [tag]);
    const teamGraph = await mk('Team sunset', [tag], team.id);
    const bobs = await bob.trpc.graphs.create.mutate({ name: 'Sunset (bob)', tags: [tag] });

    const ids = async (input: Parameters<typeof alice.trpc.graphs.list.query>[0]) => (await alice.trpc.graphs.list.query(input)).items.map((g) => g.id);
    expect(new Set(await ids({ tag }))).toEqual(new Set([sunset, sharpen, teamGraph]));
    expect(new Set(await ids({ tag, search: 'SUNSET' }))).toEqual(new Set([sunset, teamGraph])); // case-insensitive substring
    expect(await ids({ tag, search: 'edges' })).toEqual([sharpen]);
    expect(await ids({ tag: 'colour', search: 'warmth' })).toEqual([sunset]);
    expect(await ids({ tag, teamId: team.id })).toEqual([teamGraph]);
    expect(await ids({ tag: uniqueTag('nothing') })).toEqual([]);
    // Newest first.
    expect(await ids({ tag })).toEqual([teamGraph, sharpen, sunset]);

    // Bob is not in the team: filtering by it shows nothing, and he cannot create graphs there
    // (the team is as good as unknown to him).
    expect((await bob.trpc.graphs.list.query({ teamId: team.id })).items).toEqual([]);
    expect((await bob.trpc.graphs.list.query({ tag })).items.map((g) => g.id)).toEqual([bobs.graph.id]);
    expect(await codeOf(bob.trpc.graphs.create.mutate({ name: 'intruder', teamId: team.id }))).toBe('NOT_FOUND');
    // A viewer of the team sees its graphs but may not create any there.
    await addToTeam(alice, bob, team.id, 'viewer');
    expect((await bob.trpc.graphs.list.query({ teamId: team.id })).items.map((g) => g.id)).toEqual([teamGraph]);
    expect(await codeOf(bob.trpc.graphs.create.mutate({ name: 'intruder', teamId: team.id }))).toBe('FORBIDDEN');
  });

  it('pages through a list with the cursor, each graph exactly once', async () => {
    const tag = uniqueTag('page');
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await alice.trpc.graphs.create.mutate({ name: `page ${i}`, tags: [tag] })).graph.id);
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await alice.trpc.graphs.list.query({ tag, limit: 2, cursor });
      pages.push(page.items.map((g) => g.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages.length < 10);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual([...made].reverse());
    // An exact fit ends with no cursor.
    const all = await alice.trpc.graphs.list.query({ tag, limit: 5 });
    expect(all.items).toHaveLength(5);
    expect(all.nextCursor).toBeNull();
  });

  it('saves new versions on the head only: a stale base is a CONFLICT carrying the head, and is not stored', async () => {
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Versions', document: blurGraph(sha, 1) });
    const v2 = await alice.trpc.graphs.save.mutate({ graphId: graph.id, baseVersion: 1, document: blurGraph(sha, 2), message: 'softer' });
    expect(v2.version).toMatchObject({ number: 2, message: 'softer' });
    expect(v2.problems).toEqual([]);

    // Someone still editing version 1 tries to save over it.
    const stale = await trpcError(alice.trpc.graphs.save.mutate({ graphId: graph.id, baseVersion: 1, document: blurGraph(sha, 9) }));
    expect(stale.code).toBe('CONFLICT');
    expect(stale.data.details).toEqual({ headVersion: 2, baseVersion: 1 });
    const ahead = await trpcError(alice.trpc.graphs.save.mutate({ graphId: graph.id, baseVersion: 5, document: blurGraph(sha, 9) }));
    expect(ahead.code).toBe('CONFLICT');
    expect(ahead.data.details.headVersion).toBe(2);

    const head = await alice.trpc.graphs.get.query({ graphId: graph.id });
    expect(head.version.number).toBe(2);
    expect(head.version.document).toMatchObject({ nodes: [{}, { params: { sigma: 2 } }] });
    const versions = await alice.trpc.graphs.versions.query({ graphId: graph.id });
    expect(versions.map((v) => v.number)).toEqual([2, 1]);
    expect(JSON.stringify(await server.app.db.prisma.graphVersion.findMany({ where: { graphId: graph.id } }))).not.toContain('"sigma":9');

    // Saving on the real head works.
    const v3 = await alice.trpc.graphs.save.mutate({ graphId: graph.id, baseVersion: 2, document: blurGraph(sha, 3) });
    expect(v3.version.number).toBe(3);
  });

  it('lets exactly one of several concurrent saves on the same base win', async () => {
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Race', document: blurGraph(sha, 1) });
    for (let round = 1; round <= 3; round++) {
      const sigmas = [10, 11, 12, 13, 14].map((s) => s + round * 10);
      const results = await Promise.allSettled(
        sigmas.map((sigma) => alice.trpc.graphs.save.mutate({ graphId: graph.id, baseVersion: round, document: blurGraph(sha, sigma) })),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const lost of results.filter((r) => r.status === 'rejected')) {
        const error = await trpcError(Promise.reject((lost as PromiseRejectedResult).reason));
        expect(error.code).toBe('CONFLICT');
        expect(error.data.details).toEqual({ headVersion: round + 1, baseVersion: round });
      }
      const winner = (won[0] as PromiseFulfilledResult<{ version: { number: number } }>).value.version.number;
      expect(winner).toBe(round + 1);
      // The head holds the winner's document, and the winner only.
      const head = await alice.trpc.graphs.get.query({ graphId: graph.id });
      expect(head.version.number).toBe(round + 1);
      const winningSigma = (head.version.document as { nodes: { params: { sigma?: number } }[] }).nodes[1]!.params.sigma;
      expect(sigmas).toContain(winningSigma);
    }
    expect((await alice.trpc.graphs.versions.query({ graphId: graph.id })).map((v) => v.number)).toEqual([4, 3, 2, 1]);
  });

  it('keeps the version history newest first, reads old versions, and restores one as a new head', async () => {
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'History', document: blurGraph(sha, 1), message: 'first' });
    await alice.trpc.graphs.save.mutate({ graphId: graph.id, baseVersion: 1, document: blurGraph(sha, 2), message: 'second' });
    await alice.trpc.graphs.save.mutate({ graphId: graph.id, baseVersion: 2, document: blurGraph(sha, 3), message: 'third' });

    const versions = await alice.trpc.graphs.versions.query({ graphId: graph.id });
    expect(versions.map((v) => [v.number, v.message])).toEqual([
      [3, 'third'],
      [2, 'second'],
      [1, 'first'],
    ]);
    expect(versions.every((v) => v.author?.id === alice.userId)).toBe(true);
    expect(versions[0]!.parentVersionId).toBe(versions[1]!.id);
    expect(versions[2]!.parentVersionId).toBeNull();

    const v1 = await alice.trpc.graphs.get.query({ graphId: graph.id, version: 1 });
    expect(v1.version.document).toMatchObject({ nodes: [{}, { params: { sigma: 1 } }] });
    expect(await codeOf(alice.trpc.graphs.get.query({ graphId: graph.id, version: 9 }))).toBe('NOT_FOUND');

    // Restoring on a stale base is refused like a save.
    expect(await codeOf(alice.trpc.graphs.restore.mutate({ graphId: graph.id, number: 1, baseVersion: 2 }))).toBe('CONFLICT');
    const restored = await alice.trpc.graphs.restore.mutate({ graphId: graph.id, number: 1, baseVersion: 3 });
    expect(restored.version).toMatchObject({ number: 4, message: 'restored version 1' });
    const head = await alice.trpc.graphs.get.query({ graphId: graph.id });
    expect(head.version.number).toBe(4);
    expect(head.version.document).toEqual(v1.version.document);
    // History is not rewritten.
    expect((await alice.trpc.graphs.versions.query({ graphId: graph.id })).map((v) => v.number)).toEqual([4, 3, 2, 1]);
    expect((await alice.trpc.graphs.get.query({ graphId: graph.id, version: 3 })).version.document).toMatchObject({ nodes: [{}, { params: { sigma: 3 } }] });
    expect(await codeOf(alice.trpc.graphs.restore.mutate({ graphId: graph.id, number: 42, baseVersion: 4 }))).toBe('NOT_FOUND');
  });

  it('renames and retags without making a version', async () => {
    const oldTag = uniqueTag('old');
    const newTag = uniqueTag('new');
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Before', tags: [oldTag] });
    const updated = await alice.trpc.graphs.update.mutate({ graphId: graph.id, name: '  After  ', tags: [newTag, 'extra'], description: 'now described' });
    expect(updated).toMatchObject({ name: 'After', tags: [newTag, 'extra'], description: 'now described' });
    expect(updated.headVersion?.number).toBe(1);
    expect((await alice.trpc.graphs.list.query({ tag: oldTag })).items).toEqual([]);
    expect((await alice.trpc.graphs.list.query({ tag: newTag })).items.map((g) => g.name)).toEqual(['After']);
    expect(await codeOf(alice.trpc.graphs.update.mutate({ graphId: graph.id, name: '   ' }))).toBe('BAD_REQUEST');
    expect(await codeOf(bob.trpc.graphs.update.mutate({ graphId: graph.id, name: 'hijacked' }))).toBe('NOT_FOUND');
  });

  it('duplicates a graph: a new graph whose first version points at the source version', async () => {
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Original', tags: ['dup'], document: blurGraph(sha, 1) });
    await alice.trpc.graphs.save.mutate({ graphId: graph.id, baseVersion: 1, document: blurGraph(sha, 4) });
    const source = await alice.trpc.graphs.get.query({ graphId: graph.id });

    const copy = await alice.trpc.graphs.duplicate.mutate({ graphId: graph.id });
    expect(copy.graph.id).not.toBe(graph.id);
    expect(copy.graph).toMatchObject({ name: 'Original (copy)', tags: ['dup'], ownerUserId: alice.userId });
    const copied = await alice.trpc.graphs.get.query({ graphId: copy.graph.id });
    expect(copied.version.number).toBe(1);
    expect(copied.version.parentVersionId).toBe(source.version.id);
    expect(copied.version.document).toEqual(source.version.document);
    expect(copied.version.message).toBe('copied from Original v2');

    const named = await alice.trpc.graphs.duplicate.mutate({ graphId: graph.id, name: 'Fork' });
    expect(named.graph.name).toBe('Fork');
    // The source is untouched.
    expect((await alice.trpc.graphs.versions.query({ graphId: graph.id })).map((v) => v.number)).toEqual([2, 1]);
    // Someone who cannot read the source cannot copy it.
    expect(await codeOf(bob.trpc.graphs.duplicate.mutate({ graphId: graph.id }))).toBe('NOT_FOUND');
  });

  it("lists a copy with its source's name while the viewer may read the source, never otherwise", async () => {
    const tag = uniqueTag('copies');
    const team = await alice.trpc.teams.create.mutate({ name: 'Copy source team' });
    await addToTeam(alice, bob, team.id, 'viewer');
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Team original', teamId: team.id, document: blurGraph(sha, 1) });
    await bob.trpc.graphs.duplicate.mutate({ graphId: graph.id, name: 'Bob copy' });
    const mine = await alice.trpc.graphs.duplicate.mutate({ graphId: graph.id, name: 'Alice copy' });
    await bob.trpc.graphs.update.mutate({ graphId: (await bob.trpc.graphs.list.query({ search: 'Bob copy' })).items[0]!.id, tags: [tag] });
    await alice.trpc.graphs.update.mutate({ graphId: mine.graph.id, tags: [tag] });
    const provenance = async (who: Signed) => (await who.trpc.graphs.list.query({ tag })).items.map((g) => [g.name, g.copiedFromGraphId, g.copiedFromName]);
    expect(await provenance(bob)).toEqual([['Bob copy', graph.id, 'Team original']]);
    expect(await provenance(alice)).toEqual([['Alice copy', graph.id, 'Team original']]);
    // Out of the team, bob's copy still says where it came from, but not the name of a graph he cannot open.
    await alice.trpc.teams.removeMember.mutate({ teamId: team.id, userId: bob.userId });
    expect(await provenance(bob)).toEqual([['Bob copy', graph.id, null]]);
    // Nor does anyone get the name of a deleted source; graphs that are not copies have none.
    await alice.trpc.graphs.delete.mutate({ graphId: graph.id });
    expect(await provenance(alice)).toEqual([['Alice copy', graph.id, null]]);
    expect((await alice.trpc.graphs.list.query({ search: 'Copy source' })).items.every((g) => g.copiedFromName === null)).toBe(true);
  });

  it('soft-deletes: the graph leaves list and get, its versions and runs stay in the database', async () => {
    const tag = uniqueTag('deleted');
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Doomed', tags: [tag], document: blurGraph(sha) });
    const run = await alice.trpc.runs.start.mutate({ graphId: graph.id });
    const events = await subscribeRunEvents(alice, { runId: run.id });
    expect(events.at(-1)?.event).toMatchObject({ type: 'run.finished', status: 'succeeded' });

    expect(await codeOf(bob.trpc.graphs.delete.mutate({ graphId: graph.id }))).toBe('NOT_FOUND');
    expect(await alice.trpc.graphs.delete.mutate({ graphId: graph.id })).toEqual({ ok: true });

    expect((await alice.trpc.graphs.list.query({ tag })).items).toEqual([]);
    expect(await codeOf(alice.trpc.graphs.get.query({ graphId: graph.id }))).toBe('NOT_FOUND');
    expect(await codeOf(alice.trpc.graphs.versions.query({ graphId: graph.id }))).toBe('NOT_FOUND');
    expect(await codeOf(alice.trpc.graphs.save.mutate({ graphId: graph.id, baseVersion: 1, document: blurGraph(sha) }))).toBe('NOT_FOUND');
    expect(await codeOf(alice.trpc.graphs.delete.mutate({ graphId: graph.id }))).toBe('NOT_FOUND');
    expect(await codeOf(alice.trpc.runs.start.mutate({ graphId: graph.id }))).toBe('NOT_FOUND');
    expect(await codeOf(alice.trpc.runs.get.query({ runId: run.id }))).toBe('NOT_FOUND');

    const prisma = server.app.db.prisma;
    const row = await prisma.graph.findUnique({ where: { id: graph.id }, select: { deletedAt: true } });
    expect(row?.deletedAt).toBeInstanceOf(Date);
    expect(await prisma.graphVersion.count({ where: { graphId: graph.id } })).toBe(1);
    expect(await prisma.run.findMany({ where: { graphId: graph.id }, select: { id: true } })).toEqual([{ id: run.id }]);
    expect(await prisma.runEvent.count({ where: { runId: run.id } })).toBe(events.length);
  });

  it('refuses malformed documents with BAD_REQUEST and the structured validation errors', async () => {
    const cases: { document: unknown; code: string; nodeId: string | null }[] = [
      { document: { format: 'pixelwire.graph', version: 1, nodes: 'not a list' }, code: 'invalid_document', nodeId: null },
      {
        document: { format: 'pixelwire.graph', version: 1, nodes: [{ id: 'blur', type: 'image.blur', params: {}, colour: 'red' }] },
        code: 'invalid_document',
        nodeId: 'blur',
      },
      { document: { format: 'pixelwire.graph', version: 1, nodes: [{ id: 'has spaces', type: 'image.blur' }] }, code: 'invalid_document', nodeId: 'has spaces' },
      { document: { format: 'something.else', version: 1, nodes: [] }, code: 'unsupported_version', nodeId: null },
      { document: { format: 'pixelwire.graph', version: 99, nodes: [] }, code: 'unsupported_version', nodeId: null },
      { document: 'just a string', code: 'invalid_document', nodeId: null },
    ];
    const tag = uniqueTag('malformed');
    for (const { document, code, nodeId } of cases) {
      const error = await trpcError(alice.trpc.graphs.create.mutate({ name: 'Bad', tags: [tag], document }));
      expect(error.code, JSON.stringify(document)).toBe('BAD_REQUEST');
      const validationErrors = error.data.details?.validationErrors;
      expect(validationErrors, JSON.stringify(error)).toBeInstanceOf(Array);
      expect(validationErrors.length).toBeGreaterThan(0);
      expect(validationErrors[0]).toMatchObject({ code, nodeId });
      expect(typeof validationErrors[0].message).toBe('string');
    }
    expect((await alice.trpc.graphs.list.query({ tag })).items).toEqual([]);

    // On save too, and nothing is stored.
    const { graph } = await alice.trpc.graphs.create.mutate({ name: 'Good', document: blurGraph(sha) });
    const error = await trpcError(alice.trpc.graphs.save.mutate({ graphId: graph.id, baseVersion: 1, document: { format: 'pixelwire.graph', version: 1, nodes: [{ id: 'x' }] } }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.data.details.validationErrors[0]).toMatchObject({ nodeId: 'x', code: 'invalid_document' });
    expect((await alice.trpc.graphs.versions.query({ graphId: graph.id })).map((v) => v.number)).toEqual([1]);
  });

  it('accepts semantically incomplete documents and returns their problems', async () => {
    const created = await alice.trpc.graphs.create.mutate({ name: 'Work in progress', document: unwiredGraph() });
    expect(created.graph.headVersion?.number).toBe(1);
    expect(created.problems).toEqual([expect.objectContaining({ nodeId: 'blur', port: 'image', code: 'missing_input' })]);

    const withUnknown = {
      ...unwiredGraph(),
      nodes: [...unwiredGraph().nodes, { id: 'mystery', type: 'image.does-not-exist', params: {} }, { id: 'tooblurry', type: 'image.blur', params: { sigma: 1000 } }],
    };
    const saved = await alice.trpc.graphs.save.mutate({ graphId: created.graph.id, baseVersion: 1, document: withUnknown });
    expect(saved.version.number).toBe(2);
    const codes = saved.problems.map((p) => `${p.nodeId}:${p.code}`);
    expect(codes).toEqual(expect.arrayContaining(['blur:missing_input', 'mystery:unknown_node_type', 'tooblurry:invalid_param']));
    expect(saved.problems.find((p) => p.nodeId === 'tooblurry')).toMatchObject({ param: 'sigma' });
    expect((await alice.trpc.graphs.get.query({ graphId: created.graph.id })).version.document).toMatchObject({ nodes: [{ id: 'blur' }, { id: 'mystery' }, { id: 'tooblurry' }] });

    // Fixing it clears the problems.
    const fixed = await alice.trpc.graphs.save.mutate({ graphId: created.graph.id, baseVersion: 2, document: blurGraph(sha) });
    expect(fixed.problems).toEqual([]);
  });
});
