import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/client';
import { isRecordNotFound, isUniqueViolation } from '../../server/db/errors';
import { applyMigrations } from '../../server/db/migrate';
import { createTestDatabase, engines, type TestDatabase } from './harness';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const doc = (label: string) => ({ version: 1, nodes: [{ id: 'a', type: 'image.blur', params: { label } }], edges: [] });

describe.each(engines)('models on %s', (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  let seq = 0;
  const email = () => `user${++seq}@example.com`;
  const newUser = (name = 'Ada') => db.prisma.user.create({ data: { email: email(), name, passwordHash: 'scrypt$…' } });

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await testDb.open();
    await applyMigrations(db);
  });
  afterAll(() => testDb?.dispose());

  it('creates and reads a user; a second user with the same email is P2002', async () => {
    const user = await newUser();
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(user.createdAt).toBeInstanceOf(Date);
    expect(await db.prisma.user.findUnique({ where: { email: user.email } })).toEqual(user);

    const duplicate = await db.prisma.user.create({ data: { email: user.email, name: 'Bob', passwordHash: 'x' } }).catch((e: unknown) => e);
    expect(isUniqueViolation(duplicate)).toBe(true);
    expect(await db.prisma.user.findUnique({ where: { id: 'not-an-id' } })).toBeNull();
  });

  it('keeps sessions by token hash and deletes them with their user', async () => {
    const user = await newUser();
    const id = sha256(randomBytes(32).toString('base64url'));
    await db.prisma.session.create({ data: { id, userId: user.id, expiresAt: new Date(Date.now() + 3600_000) } });
    expect((await db.prisma.session.findUnique({ where: { id }, include: { user: true } }))?.user.email).toBe(user.email);
    await db.prisma.user.delete({ where: { id: user.id } });
    expect(await db.prisma.session.count({ where: { id } })).toBe(0);
    expect(isRecordNotFound(await db.prisma.user.delete({ where: { id: user.id } }).catch((e: unknown) => e))).toBe(true);
  });

  it('counts recent failed logins per key', async () => {
    const key = `email:${email()}`;
    const now = Date.now();
    await db.prisma.loginAttempt.createMany({
      data: [
        { key, success: false, at: new Date(now - 60 * 60_000) },
        { key, success: false, at: new Date(now - 60_000) },
        { key, success: false },
        { key, success: true },
      ],
    });
    const since = new Date(now - 15 * 60_000);
    expect(await db.prisma.loginAttempt.count({ where: { key, success: false, at: { gte: since } } })).toBe(2);
    const [first] = await db.prisma.loginAttempt.findMany({ where: { key }, orderBy: { id: 'asc' }, take: 1 });
    expect(typeof first?.id).toBe('bigint');
  });

  it('puts users in a team once each, with a role', async () => {
    const [owner, viewer] = [await newUser('Owner'), await newUser('Viewer')];
    const team = await db.prisma.team.create({
      data: { name: 'Studio', memberships: { create: [{ userId: owner.id, role: 'owner' }, { userId: viewer.id, role: 'viewer' }] } },
    });
    const members = await db.prisma.membership.findMany({ where: { teamId: team.id }, include: { user: true }, orderBy: { role: 'asc' } });
    expect(members.map((m) => [m.user.name, m.role])).toEqual([
      ['Owner', 'owner'],
      ['Viewer', 'viewer'],
    ]);
    const again = await db.prisma.membership.create({ data: { teamId: team.id, userId: viewer.id, role: 'editor' } }).catch((e: unknown) => e);
    expect(isUniqueViolation(again)).toBe(true);

    await db.prisma.invitation.create({
      data: { teamId: team.id, email: email(), role: 'runner', tokenHash: sha256('invite'), expiresAt: new Date(Date.now() + 86_400_000), invitedById: owner.id },
    });
    await db.prisma.team.delete({ where: { id: team.id } });
    expect(await db.prisma.membership.count({ where: { teamId: team.id } })).toBe(0);
    expect(await db.prisma.invitation.count({ where: { teamId: team.id } })).toBe(0);
  });

  it('saves a graph with two versions and moves its head', async () => {
    const author = await newUser();
    const graph = await db.prisma.graph.create({ data: { ownerUserId: author.id, name: 'Thumbnails', tags: ['resize', 'web'] } });
    const v1 = await db.prisma.graphVersion.create({ data: { graphId: graph.id, number: 1, document: doc('one'), authorId: author.id, message: 'first' } });
    const v2 = await db.prisma.graphVersion.create({
      data: { graphId: graph.id, number: 2, document: doc('two'), authorId: author.id, parentVersionId: v1.id },
    });
    // Compare-and-set on the head, as concurrent saves would.
    const moved = await db.prisma.graph.updateMany({ where: { id: graph.id, headVersionId: null }, data: { headVersionId: v2.id } });
    expect(moved.count).toBe(1);
    expect((await db.prisma.graph.updateMany({ where: { id: graph.id, headVersionId: v1.id }, data: { headVersionId: v1.id } })).count).toBe(0);

    const loaded = await db.prisma.graph.findUniqueOrThrow({
      where: { id: graph.id },
      include: { headVersion: true, versions: { orderBy: { number: 'asc' }, select: { number: true, parentVersionId: true } } },
    });
    expect(loaded.headVersion?.document).toEqual(doc('two'));
    expect(loaded.versions).toEqual([
      { number: 1, parentVersionId: null },
      { number: 2, parentVersionId: v1.id },
    ]);
    expect(loaded.tags).toEqual(['resize', 'web']);
    expect(await db.prisma.graph.count({ where: { tags: { has: 'web' }, deletedAt: null } })).toBe(1);

    const clash = await db.prisma.graphVersion.create({ data: { graphId: graph.id, number: 2, document: doc('x') } }).catch((e: unknown) => e);
    expect(isUniqueViolation(clash)).toBe(true);

    await db.prisma.graph.update({ where: { id: graph.id }, data: { deletedAt: new Date() } });
    expect(await db.prisma.graph.count({ where: { tags: { has: 'web' }, deletedAt: null } })).toBe(0);
  });

  it('rejects a graph with no owner or two owners', async () => {
    const user = await newUser();
    const team = await db.prisma.team.create({ data: { name: 'T' } });
    await expect(db.prisma.graph.create({ data: { name: 'orphan' } })).rejects.toThrow(/Graph_one_owner/);
    await expect(db.prisma.graph.create({ data: { name: 'both', ownerUserId: user.id, ownerTeamId: team.id } })).rejects.toThrow(/Graph_one_owner/);
    expect((await db.prisma.graph.create({ data: { name: 'team graph', ownerTeamId: team.id } })).ownerUserId).toBeNull();
  });

  it('records a run with node states and events read back in seq order', async () => {
    const user = await newUser();
    const graph = await db.prisma.graph.create({ data: { ownerUserId: user.id, name: 'g' } });
    const version = await db.prisma.graphVersion.create({ data: { graphId: graph.id, number: 1, document: doc('r') } });
    const run = await db.prisma.run.create({ data: { graphId: graph.id, versionId: version.id, createdById: user.id, inputs: { width: 640 } } });
    expect(run.status).toBe('queued');
    expect(run.outputs).toBeNull();

    // Written out of order, as concurrent writers might.
    for (const seq of [3, 1, 4, 2]) {
      await db.prisma.runEvent.create({ data: { runId: run.id, seq, type: seq === 1 ? 'run.started' : 'node.progress', payload: { seq } } });
    }
    const events = await db.prisma.runEvent.findMany({ where: { runId: run.id, seq: { gt: 1 } }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.seq)).toEqual([2, 3, 4]);
    expect(events[0]?.payload).toEqual({ seq: 2 });
    const duplicate = await db.prisma.runEvent.create({ data: { runId: run.id, seq: 2, type: 'x', payload: {} } }).catch((e: unknown) => e);
    expect(isUniqueViolation(duplicate)).toBe(true);

    await db.prisma.runNode.create({ data: { runId: run.id, nodeId: 'a', status: 'finished', cacheKey: sha256('a'), durationMs: 12 } });
    await db.prisma.artifact.create({ data: { sha256: sha256('png'), mediaType: 'image/png', size: 3, width: 1, height: 1, runId: run.id } });
    const finished = await db.prisma.run.update({
      where: { id: run.id },
      data: { status: 'succeeded', outputs: { main: { artifact: sha256('png') } }, startedAt: new Date(), finishedAt: new Date() },
      include: { nodes: true, _count: { select: { events: true, artifacts: true } } },
    });
    expect(finished.nodes.map((n) => [n.nodeId, n.status])).toEqual([['a', 'finished']]);
    expect(finished._count).toEqual({ events: 4, artifacts: 1 });

    await db.prisma.run.delete({ where: { id: run.id } });
    expect(await db.prisma.runEvent.count({ where: { runId: run.id } })).toBe(0);
    expect(await db.prisma.artifact.count({ where: { runId: run.id } })).toBe(0);
  });

  it('keeps a team graph’s history when its author is deleted', async () => {
    const author = await newUser();
    const team = await db.prisma.team.create({ data: { name: 'Keep' } });
    const graph = await db.prisma.graph.create({ data: { ownerTeamId: team.id, name: 'shared' } });
    const version = await db.prisma.graphVersion.create({ data: { graphId: graph.id, number: 1, document: doc('k'), authorId: author.id } });
    await db.prisma.user.delete({ where: { id: author.id } });
    expect((await db.prisma.graphVersion.findUniqueOrThrow({ where: { id: version.id } })).authorId).toBeNull();
  });

  it('finds an API token by hash and keeps it unique', async () => {
    const user = await newUser();
    const tokenHash = sha256('pw_secret');
    await db.prisma.apiToken.create({ data: { userId: user.id, name: 'ci', tokenHash, prefix: 'pw_secr' } });
    expect((await db.prisma.apiToken.findUnique({ where: { tokenHash } }))?.revokedAt).toBeNull();
    const again = await db.prisma.apiToken.create({ data: { userId: user.id, name: 'ci2', tokenHash, prefix: 'pw_secr' } }).catch((e: unknown) => e);
    expect(isUniqueViolation(again)).toBe(true);
  });

  it('rolls back an interactive transaction that throws', async () => {
    const before = await db.prisma.team.count();
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.team.create({ data: { name: 'ghost' } });
        throw new Error('nope');
      }),
    ).rejects.toThrow('nope');
    expect(await db.prisma.team.count()).toBe(before);
  });
});
