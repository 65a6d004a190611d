import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../db/harness';
import { clientFor, codeOf, signedUpClient, startTestServer, type TestServer } from '../helpers/server-harness';
import { trpcError } from './server-fixtures';

let counter = 0;

describe.each(engines)('teams (%s)', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.close();
  });

  const roleOf = async (client: Awaited<ReturnType<typeof signedUpClient>>, teamId: string, userId: string) =>
    (await client.trpc.teams.members.query({ teamId })).members.find((m) => m.id === userId)?.role;

  it('makes the creator the owner', async () => {
    const owner = await signedUpClient(server, 'owner');
    const team = await owner.trpc.teams.create.mutate({ name: '  Darkroom  ' });
    expect(team.name).toBe('Darkroom');
    expect(await owner.trpc.teams.list.query()).toEqual([expect.objectContaining({ id: team.id, name: 'Darkroom', role: 'owner' })]);
    const { members, invitations } = await owner.trpc.teams.members.query({ teamId: team.id });
    expect(members).toEqual([expect.objectContaining({ id: owner.userId, email: owner.email, role: 'owner' })]);
    expect(invitations).toEqual([]);

    // Outsiders learn nothing about it.
    const outsider = await signedUpClient(server, 'outsider');
    expect(await outsider.trpc.teams.list.query()).toEqual([]);
    expect(await codeOf(outsider.trpc.teams.members.query({ teamId: team.id }))).toBe('NOT_FOUND');
    expect(await codeOf(outsider.trpc.teams.invite.mutate({ teamId: team.id, email: outsider.email, role: 'owner' }))).toBe('NOT_FOUND');
    expect(await codeOf(clientFor(server).trpc.teams.create.mutate({ name: 'anonymous' }))).toBe('UNAUTHORIZED');
  });

  it('adds an existing user at once with the invited role', async () => {
    const owner = await signedUpClient(server, 'owner');
    const member = await signedUpClient(server, 'member');
    const team = await owner.trpc.teams.create.mutate({ name: 'Lab' });
    // The address is normalised before it is looked up.
    expect(await owner.trpc.teams.invite.mutate({ teamId: team.id, email: ` ${member.email.toUpperCase()} `, role: 'editor' })).toEqual({ status: 'added' });
    expect(await roleOf(owner, team.id, member.userId)).toBe('editor');
    expect(await member.trpc.teams.list.query()).toEqual([expect.objectContaining({ id: team.id, role: 'editor' })]);
    // Inviting again does not change the role.
    expect(await owner.trpc.teams.invite.mutate({ teamId: team.id, email: member.email, role: 'viewer' })).toEqual({ status: 'added' });
    expect(await roleOf(owner, team.id, member.userId)).toBe('editor');
    // Only owners invite.
    expect(await codeOf(member.trpc.teams.invite.mutate({ teamId: team.id, email: `x-${++counter}@example.com` }))).toBe('FORBIDDEN');
  });

  it('invites an unknown address; signing up with it makes a member with the invited role', async () => {
    const owner = await signedUpClient(server, 'owner');
    const team = await owner.trpc.teams.create.mutate({ name: 'Print shop' });
    const other = await owner.trpc.teams.create.mutate({ name: 'Other shop' });
    const email = `newcomer-${process.pid}-${++counter}@example.com`;
    expect(await owner.trpc.teams.invite.mutate({ teamId: team.id, email: email.toUpperCase(), role: 'runner' })).toEqual({ status: 'invited' });
    expect(await owner.trpc.teams.invite.mutate({ teamId: other.id, email })).toEqual({ status: 'invited' }); // role defaults to viewer
    const pending = await owner.trpc.teams.members.query({ teamId: team.id });
    expect(pending.invitations).toEqual([expect.objectContaining({ email, role: 'runner' })]);
    expect(pending.members).toHaveLength(1);

    const newcomer = clientFor(server);
    const { user } = await newcomer.trpc.auth.signUp.mutate({ email, password: 'correct horse battery', name: 'Newcomer' });
    const teams = await newcomer.trpc.teams.list.query();
    expect(new Map(teams.map((t) => [t.id, t.role]))).toEqual(
      new Map([
        [team.id, 'runner'],
        [other.id, 'viewer'],
      ]),
    );
    const after = await owner.trpc.teams.members.query({ teamId: team.id });
    expect(after.invitations).toEqual([]);
    expect(after.members.find((m) => m.id === user.id)).toMatchObject({ email, role: 'runner' });
    const invitation = await server.app.db.prisma.invitation.findFirst({ where: { teamId: team.id, email } });
    expect(invitation?.acceptedAt).toBeInstanceOf(Date);
  });

  it('ignores expired invitations at sign-up', async () => {
    const owner = await signedUpClient(server, 'owner');
    const team = await owner.trpc.teams.create.mutate({ name: 'Stale' });
    const email = `late-${process.pid}-${++counter}@example.com`;
    await owner.trpc.teams.invite.mutate({ teamId: team.id, email, role: 'editor' });
    await server.app.db.prisma.invitation.updateMany({ where: { teamId: team.id, email }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const late = clientFor(server);
    await late.trpc.auth.signUp.mutate({ email, password: 'correct horse battery', name: 'Late' });
    expect(await late.trpc.teams.list.query()).toEqual([]);
  });

  it('changes roles and removes members; only owners manage', async () => {
    const owner = await signedUpClient(server, 'owner');
    const [editor, viewer] = await Promise.all([signedUpClient(server, 'editor'), signedUpClient(server, 'viewer')]);
    const team = await owner.trpc.teams.create.mutate({ name: 'Gallery' });
    await owner.trpc.teams.invite.mutate({ teamId: team.id, email: editor.email, role: 'editor' });
    await owner.trpc.teams.invite.mutate({ teamId: team.id, email: viewer.email, role: 'viewer' });

    expect(await owner.trpc.teams.changeRole.mutate({ teamId: team.id, userId: viewer.userId, role: 'runner' })).toEqual({ ok: true });
    expect(await roleOf(owner, team.id, viewer.userId)).toBe('runner');
    expect(await codeOf(editor.trpc.teams.changeRole.mutate({ teamId: team.id, userId: viewer.userId, role: 'owner' }))).toBe('FORBIDDEN');
    expect(await codeOf(editor.trpc.teams.changeRole.mutate({ teamId: team.id, userId: editor.userId, role: 'owner' }))).toBe('FORBIDDEN');
    expect(await codeOf(editor.trpc.teams.removeMember.mutate({ teamId: team.id, userId: viewer.userId }))).toBe('FORBIDDEN');
    expect(await codeOf(owner.trpc.teams.changeRole.mutate({ teamId: team.id, userId: 'nobody', role: 'editor' }))).toBe('NOT_FOUND');
    expect(await codeOf(owner.trpc.teams.changeRole.mutate({ teamId: team.id, userId: viewer.userId, role: 'admin' as never }))).toBe('BAD_REQUEST');

    expect(await owner.trpc.teams.removeMember.mutate({ teamId: team.id, userId: viewer.userId })).toEqual({ ok: true });
    expect(await roleOf(owner, team.id, viewer.userId)).toBeUndefined();
    expect(await viewer.trpc.teams.list.query()).toEqual([]);
    expect(await codeOf(viewer.trpc.teams.members.query({ teamId: team.id }))).toBe('NOT_FOUND');
    expect(await codeOf(owner.trpc.teams.removeMember.mutate({ teamId: team.id, userId: viewer.userId }))).toBe('NOT_FOUND');
  });

  it('keeps at least one owner: the last owner cannot be demoted or removed (CONFLICT), a second owner can', async () => {
    const first = await signedUpClient(server, 'first');
    const second = await signedUpClient(server, 'second');
    const team = await first.trpc.teams.create.mutate({ name: 'Owners' });

    const demote = await trpcError(first.trpc.teams.changeRole.mutate({ teamId: team.id, userId: first.userId, role: 'editor' }));
    expect(demote.code).toBe('CONFLICT');
    expect(await codeOf(first.trpc.teams.removeMember.mutate({ teamId: team.id, userId: first.userId }))).toBe('CONFLICT');
    expect(await roleOf(first, team.id, first.userId)).toBe('owner');

    await first.trpc.teams.invite.mutate({ teamId: team.id, email: second.email, role: 'owner' });
    // With two owners, one may step down; then the other is the last again.
    expect(await first.trpc.teams.changeRole.mutate({ teamId: team.id, userId: first.userId, role: 'editor' })).toEqual({ ok: true });
    expect(await codeOf(second.trpc.teams.changeRole.mutate({ teamId: team.id, userId: second.userId, role: 'viewer' }))).toBe('CONFLICT');
    expect(await codeOf(second.trpc.teams.removeMember.mutate({ teamId: team.id, userId: second.userId }))).toBe('CONFLICT');
    // The demoted owner lost the right to manage.
    expect(await codeOf(first.trpc.teams.changeRole.mutate({ teamId: team.id, userId: first.userId, role: 'owner' }))).toBe('FORBIDDEN');
    const { members } = await second.trpc.teams.members.query({ teamId: team.id });
    expect(members.filter((m) => m.role === 'owner').map((m) => m.id)).toEqual([second.userId]);
  });

  it('keeps an owner when two owners demote each other at the same time', async () => {
    const a = await signedUpClient(server, 'a');
    const b = await signedUpClient(server, 'b');
    for (let round = 0; round < 5; round++) {
      const team = await a.trpc.teams.create.mutate({ name: `Standoff ${round}` });
      await a.trpc.teams.invite.mutate({ teamId: team.id, email: b.email, role: 'owner' });
      const results = await Promise.all([
        codeOf(a.trpc.teams.changeRole.mutate({ teamId: team.id, userId: b.userId, role: 'editor' })),
        codeOf(b.trpc.teams.changeRole.mutate({ teamId: team.id, userId: a.userId, role: 'editor' })),
      ]);
      const owners = await server.app.db.prisma.membership.count({ where: { teamId: team.id, role: 'owner' } });
      expect(owners, `round ${round}: ${results.join(', ')}`).toBe(1);
      // The second either finds itself no longer an owner (FORBIDDEN) or the last owner left (CONFLICT).
      expect([['CONFLICT', 'OK'], ['FORBIDDEN', 'OK']]).toContainEqual([...results].sort());
    }
  });

  it('lets a member leave on their own', async () => {
    const owner = await signedUpClient(server, 'owner');
    const member = await signedUpClient(server, 'member');
    const team = await owner.trpc.teams.create.mutate({ name: 'Club' });
    await owner.trpc.teams.invite.mutate({ teamId: team.id, email: member.email, role: 'viewer' });
    expect(await member.trpc.teams.removeMember.mutate({ teamId: team.id, userId: member.userId })).toEqual({ ok: true });
    expect(await member.trpc.teams.list.query()).toEqual([]);
    expect((await owner.trpc.teams.members.query({ teamId: team.id })).members.map((m) => m.id)).toEqual([owner.userId]);
    // Having left, they cannot act on the team any more.
    expect(await codeOf(member.trpc.teams.removeMember.mutate({ teamId: team.id, userId: member.userId }))).toBe('NOT_FOUND');
  });
});
