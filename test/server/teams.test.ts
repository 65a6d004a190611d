import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../db/harness';
import { addToTeam, clientFor, codeOf, invitationToken, signedUpClient, startTestServer, type TestServer } from '../helpers/server-harness';
import { trpcError } from './server-fixtures';

let counter = 0;
/** An invitation link as `teams.invite` answers it: a path with the secret token. */
const linkPattern = /^\/invitations\/pwi_[A-Za-z0-9_-]{43}$/;

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

  it('invites an existing user like anyone else: a pending invitation that they accept with its link', async () => {
    const owner = await signedUpClient(server, 'owner');
    const member = await signedUpClient(server, 'member');
    const team = await owner.trpc.teams.create.mutate({ name: 'Lab' });
    // The address is normalised before it is stored; the answer carries the secret link, once.
    const first = await owner.trpc.teams.invite.mutate({ teamId: team.id, email: ` ${member.email.toUpperCase()} `, role: 'editor' });
    expect(first).toEqual({
      status: 'invited',
      invitation: { id: expect.any(String), email: member.email, role: 'editor', expiresAt: expect.any(String) },
      link: expect.stringMatching(linkPattern),
    });
    expect(Date.parse(first.invitation.expiresAt)).toBeGreaterThan(Date.now() + 13 * 86_400_000);
    // Only the token's hash is stored.
    const stored = await server.app.db.prisma.invitation.findUniqueOrThrow({ where: { id: first.invitation.id } });
    expect(JSON.stringify(stored)).not.toContain(invitationToken(first.link));

    // Nobody joined: the team lists a pending invitation (without its link), the invitee is in no team yet.
    const pending = await owner.trpc.teams.members.query({ teamId: team.id });
    expect(pending.members.map((m) => m.id)).toEqual([owner.userId]);
    expect(pending.invitations).toEqual([expect.objectContaining({ id: first.invitation.id, email: member.email, role: 'editor' })]);
    expect(JSON.stringify(pending)).not.toContain(invitationToken(first.link));
    expect(await member.trpc.teams.list.query()).toEqual([]);
    expect(await codeOf(member.trpc.teams.members.query({ teamId: team.id }))).toBe('NOT_FOUND');

    // The invitee sees the team, the role and who invited them, in Settings and on the link's page.
    expect(await member.trpc.teams.myInvitations.query()).toEqual([
      expect.objectContaining({ id: first.invitation.id, role: 'editor', team: { id: team.id, name: 'Lab' }, invitedBy: { name: 'owner', email: owner.email } }),
    ]);
    expect(await member.trpc.teams.invitation.query({ token: invitationToken(first.link) })).toEqual(
      expect.objectContaining({ id: first.invitation.id, role: 'editor', team: { id: team.id, name: 'Lab' }, joined: false }),
    );

    // Inviting again renews the same invitation with the new role and a new link; the old link stops working.
    const again = await owner.trpc.teams.invite.mutate({ teamId: team.id, email: member.email, role: 'viewer' });
    expect(again.invitation).toMatchObject({ id: first.invitation.id, role: 'viewer' });
    expect(again.link).toMatch(linkPattern);
    expect(again.link).not.toBe(first.link);
    expect(await member.trpc.teams.myInvitations.query()).toEqual([expect.objectContaining({ id: first.invitation.id, role: 'viewer' })]);
    expect(await server.app.db.prisma.invitation.count({ where: { teamId: team.id } })).toBe(1);
    expect(await codeOf(member.trpc.teams.invitation.query({ token: invitationToken(first.link) }))).toBe('NOT_FOUND');
    expect(await codeOf(member.trpc.teams.acceptInvitation.mutate({ token: invitationToken(first.link) }))).toBe('NOT_FOUND');
    expect(await member.trpc.teams.list.query()).toEqual([]);

    // Accepting with the link makes a member with the invited role; accepting again answers the same.
    const token = invitationToken(again.link);
    const accepted = await member.trpc.teams.acceptInvitation.mutate({ token });
    expect(accepted).toEqual({ team: { id: team.id, name: 'Lab' }, role: 'viewer' });
    expect(await member.trpc.teams.acceptInvitation.mutate({ token })).toEqual(accepted);
    expect(await member.trpc.teams.invitation.query({ token })).toMatchObject({ team: { id: team.id, name: 'Lab' }, role: 'viewer', joined: true });
    expect(await roleOf(owner, team.id, member.userId)).toBe('viewer');
    expect(await member.trpc.teams.list.query()).toEqual([expect.objectContaining({ id: team.id, role: 'viewer' })]);
    expect(await member.trpc.teams.myInvitations.query()).toEqual([]);
    expect((await owner.trpc.teams.members.query({ teamId: team.id })).invitations).toEqual([]);
    // Once accepted it cannot be declined.
    expect(await codeOf(member.trpc.teams.declineInvitation.mutate({ invitationId: first.invitation.id }))).toBe('NOT_FOUND');

    // A member needs a role change, not an invitation (the owner sees members' addresses anyway).
    expect(await codeOf(owner.trpc.teams.invite.mutate({ teamId: team.id, email: member.email, role: 'owner' }))).toBe('CONFLICT');
    expect(await roleOf(owner, team.id, member.userId)).toBe('viewer');
    // Only owners invite.
    expect(await codeOf(member.trpc.teams.invite.mutate({ teamId: team.id, email: `x-${++counter}@example.com` }))).toBe('FORBIDDEN');

    // Someone who left can be invited again: the old invitation is renewed and open once more, with a new link.
    await member.trpc.teams.removeMember.mutate({ teamId: team.id, userId: member.userId });
    expect(await codeOf(member.trpc.teams.acceptInvitation.mutate({ token }))).toBe('NOT_FOUND');
    const back = await owner.trpc.teams.invite.mutate({ teamId: team.id, email: member.email, role: 'runner' });
    expect(back.invitation).toMatchObject({ id: first.invitation.id, role: 'runner' });
    expect(await codeOf(member.trpc.teams.acceptInvitation.mutate({ token }))).toBe('NOT_FOUND');
    expect(await member.trpc.teams.acceptInvitation.mutate({ token: invitationToken(back.link) })).toEqual({ team: { id: team.id, name: 'Lab' }, role: 'runner' });
  });

  it('answers an owner the same whether or not the address has an account', async () => {
    const owner = await signedUpClient(server, 'owner');
    const existing = await signedUpClient(server, 'existing');
    const unknown = `nobody-${process.pid}-${++counter}@example.com`;
    const team = await owner.trpc.teams.create.mutate({ name: 'Probe' });
    const before = await owner.trpc.teams.members.query({ teamId: team.id });

    const forExisting = await owner.trpc.teams.invite.mutate({ teamId: team.id, email: existing.email, role: 'runner' });
    const forUnknown = await owner.trpc.teams.invite.mutate({ teamId: team.id, email: unknown, role: 'runner' });
    const shape = ({ status, invitation, link, ...rest }: typeof forExisting) => ({
      status,
      keys: Object.keys(invitation).sort(),
      role: invitation.role,
      link: linkPattern.test(link),
      rest: Object.keys(rest),
    });
    expect(shape(forExisting)).toEqual(shape(forUnknown));
    expect(shape(forExisting)).toMatchObject({ link: true, rest: [] });
    expect(forExisting.invitation.email).toBe(existing.email);
    expect(forUnknown.invitation.email).toBe(unknown);
    // Both are listed alike as pending; the members are as before.
    const after = await owner.trpc.teams.members.query({ teamId: team.id });
    expect(after.members).toEqual(before.members);
    const listed = new Map(after.invitations.map((i) => [i.email, { keys: Object.keys(i).sort(), role: i.role }]));
    expect(listed.get(existing.email)).toEqual(listed.get(unknown));
    expect(listed.get(existing.email)).toBeDefined();
    // Inviting again answers alike too (both renew their invitation).
    const renewed = await Promise.all([existing.email, unknown].map((email) => owner.trpc.teams.invite.mutate({ teamId: team.id, email, role: 'editor' })));
    expect(renewed.map((r) => r.invitation.id)).toEqual([forExisting.invitation.id, forUnknown.invitation.id]);
    expect(shape(renewed[0]!)).toEqual(shape(renewed[1]!));
  });

  it('lets only the signed-in addressee with the link see or accept it; anything else is the same NOT_FOUND', async () => {
    const owner = await signedUpClient(server, 'owner');
    const [alice, mallory] = await Promise.all([signedUpClient(server, 'alice'), signedUpClient(server, 'mallory')]);
    const team = await owner.trpc.teams.create.mutate({ name: 'Private' });
    const { invitation, link } = await owner.trpc.teams.invite.mutate({ teamId: team.id, email: alice.email.toUpperCase(), role: 'editor' });
    const token = invitationToken(link);

    expect(await mallory.trpc.teams.myInvitations.query()).toEqual([]);
    expect(await owner.trpc.teams.myInvitations.query()).toEqual([]);
    // Holding the link is not enough: the signed-in address must be the invited one.
    const wrongAddress = await trpcError(mallory.trpc.teams.acceptInvitation.mutate({ token }));
    const unknownToken = await trpcError(mallory.trpc.teams.acceptInvitation.mutate({ token: `pwi_${'x'.repeat(43)}` }));
    expect(wrongAddress).toMatchObject({ code: 'NOT_FOUND' });
    expect(unknownToken).toMatchObject({ code: 'NOT_FOUND', message: wrongAddress.message });
    expect(await trpcError(mallory.trpc.teams.invitation.query({ token }))).toMatchObject({ code: 'NOT_FOUND', message: wrongAddress.message });
    for (const someoneElse of [mallory, owner]) {
      expect(await codeOf(someoneElse.trpc.teams.acceptInvitation.mutate({ token }))).toBe('NOT_FOUND');
      expect(await codeOf(someoneElse.trpc.teams.invitation.query({ token }))).toBe('NOT_FOUND');
      expect(await codeOf(someoneElse.trpc.teams.declineInvitation.mutate({ invitationId: invitation.id }))).toBe('NOT_FOUND');
    }
    // A malformed token is just another unknown one.
    expect(await codeOf(mallory.trpc.teams.acceptInvitation.mutate({ token: 'no-such-invitation' }))).toBe('NOT_FOUND');
    expect(await codeOf(clientFor(server).trpc.teams.acceptInvitation.mutate({ token }))).toBe('UNAUTHORIZED');
    expect(await codeOf(clientFor(server).trpc.teams.invitation.query({ token }))).toBe('UNAUTHORIZED');
    expect(await codeOf(clientFor(server).trpc.teams.myInvitations.query())).toBe('UNAUTHORIZED');
    expect(await mallory.trpc.teams.list.query()).toEqual([]);
    // The id alone, even the addressee's own, accepts nothing.
    expect(await codeOf(alice.trpc.teams.acceptInvitation.mutate({ invitationId: invitation.id } as never))).toBe('BAD_REQUEST');
    expect(await alice.trpc.teams.list.query()).toEqual([]);

    // Untouched by all that, it is still Alice's to accept (also through an API token), and twice at once is fine.
    const { token: apiToken } = await alice.trpc.tokens.create.mutate({ name: 'script' });
    const script = clientFor(server, { token: apiToken });
    expect((await script.trpc.teams.myInvitations.query()).map((i) => i.id)).toEqual([invitation.id]);
    expect(await script.trpc.teams.invitation.query({ token })).toMatchObject({ id: invitation.id, team: { name: 'Private' }, role: 'editor' });
    const both = await Promise.all([script.trpc.teams.acceptInvitation.mutate({ token }), alice.trpc.teams.acceptInvitation.mutate({ token })]);
    expect(both).toEqual([
      { team: { id: team.id, name: 'Private' }, role: 'editor' },
      { team: { id: team.id, name: 'Private' }, role: 'editor' },
    ]);
    expect(await server.app.db.prisma.membership.count({ where: { teamId: team.id } })).toBe(2);
  });

  it('declines: the invitation is gone, its link with it, and the owner may invite again', async () => {
    const owner = await signedUpClient(server, 'owner');
    const bob = await signedUpClient(server, 'bob');
    const team = await owner.trpc.teams.create.mutate({ name: 'Declined' });
    const { invitation, link } = await owner.trpc.teams.invite.mutate({ teamId: team.id, email: bob.email, role: 'runner' });

    expect(await bob.trpc.teams.declineInvitation.mutate({ invitationId: invitation.id })).toEqual({ ok: true });
    expect(await bob.trpc.teams.myInvitations.query()).toEqual([]);
    expect(await bob.trpc.teams.list.query()).toEqual([]);
    expect((await owner.trpc.teams.members.query({ teamId: team.id })).invitations).toEqual([]);
    expect(await codeOf(bob.trpc.teams.invitation.query({ token: invitationToken(link) }))).toBe('NOT_FOUND');
    expect(await codeOf(bob.trpc.teams.acceptInvitation.mutate({ token: invitationToken(link) }))).toBe('NOT_FOUND');
    expect(await codeOf(bob.trpc.teams.declineInvitation.mutate({ invitationId: invitation.id }))).toBe('NOT_FOUND');

    const again = await owner.trpc.teams.invite.mutate({ teamId: team.id, email: bob.email, role: 'viewer' });
    expect((await bob.trpc.teams.myInvitations.query()).map((i) => [i.id, i.role])).toEqual([[again.invitation.id, 'viewer']]);
  });

  it('expired invitations are not listed and cannot be seen, accepted or declined; inviting again renews them with a new link', async () => {
    const owner = await signedUpClient(server, 'owner');
    const carol = await signedUpClient(server, 'carol');
    const team = await owner.trpc.teams.create.mutate({ name: 'Expiring' });
    const { invitation, link } = await owner.trpc.teams.invite.mutate({ teamId: team.id, email: carol.email, role: 'editor' });
    await server.app.db.prisma.invitation.update({ where: { id: invitation.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

    expect(await carol.trpc.teams.myInvitations.query()).toEqual([]);
    expect(await codeOf(carol.trpc.teams.invitation.query({ token: invitationToken(link) }))).toBe('NOT_FOUND');
    expect(await codeOf(carol.trpc.teams.acceptInvitation.mutate({ token: invitationToken(link) }))).toBe('NOT_FOUND');
    expect(await codeOf(carol.trpc.teams.declineInvitation.mutate({ invitationId: invitation.id }))).toBe('NOT_FOUND');
    expect(await carol.trpc.teams.list.query()).toEqual([]);

    const renewed = await owner.trpc.teams.invite.mutate({ teamId: team.id, email: carol.email, role: 'editor' });
    expect(await codeOf(carol.trpc.teams.acceptInvitation.mutate({ token: invitationToken(link) }))).toBe('NOT_FOUND');
    expect(await carol.trpc.teams.acceptInvitation.mutate({ token: invitationToken(renewed.link) })).toMatchObject({ role: 'editor' });
  });

  it('owners cancel pending invitations; the link stops working', async () => {
    const owner = await signedUpClient(server, 'owner');
    const [editor, dave, outsider] = await Promise.all([signedUpClient(server, 'editor'), signedUpClient(server, 'dave'), signedUpClient(server, 'outsider')]);
    const team = await owner.trpc.teams.create.mutate({ name: 'Cancelled' });
    const other = await owner.trpc.teams.create.mutate({ name: 'Elsewhere' });
    await addToTeam(owner, editor, team.id, 'editor');
    const { invitation, link } = await owner.trpc.teams.invite.mutate({ teamId: team.id, email: dave.email, role: 'viewer' });

    expect(await codeOf(editor.trpc.teams.cancelInvitation.mutate({ teamId: team.id, invitationId: invitation.id }))).toBe('FORBIDDEN');
    expect(await codeOf(outsider.trpc.teams.cancelInvitation.mutate({ teamId: team.id, invitationId: invitation.id }))).toBe('NOT_FOUND');
    // The invitation has to belong to the team named.
    expect(await codeOf(owner.trpc.teams.cancelInvitation.mutate({ teamId: other.id, invitationId: invitation.id }))).toBe('NOT_FOUND');

    expect(await owner.trpc.teams.cancelInvitation.mutate({ teamId: team.id, invitationId: invitation.id })).toEqual({ ok: true });
    expect((await owner.trpc.teams.members.query({ teamId: team.id })).invitations).toEqual([]);
    expect(await dave.trpc.teams.myInvitations.query()).toEqual([]);
    expect(await codeOf(dave.trpc.teams.invitation.query({ token: invitationToken(link) }))).toBe('NOT_FOUND');
    expect(await codeOf(dave.trpc.teams.acceptInvitation.mutate({ token: invitationToken(link) }))).toBe('NOT_FOUND');
    expect(await codeOf(owner.trpc.teams.cancelInvitation.mutate({ teamId: team.id, invitationId: invitation.id }))).toBe('NOT_FOUND');
  });

  it('invites an unknown address; signing up with it joins nothing, its link then makes a member with the invited role', async () => {
    const owner = await signedUpClient(server, 'owner');
    const team = await owner.trpc.teams.create.mutate({ name: 'Print shop' });
    const other = await owner.trpc.teams.create.mutate({ name: 'Other shop' });
    const email = `newcomer-${process.pid}-${++counter}@example.com`;
    const forTeam = await owner.trpc.teams.invite.mutate({ teamId: team.id, email: email.toUpperCase(), role: 'runner' });
    expect(forTeam).toMatchObject({ status: 'invited' });
    expect(await owner.trpc.teams.invite.mutate({ teamId: other.id, email })).toMatchObject({ status: 'invited', invitation: { role: 'viewer' } });

    const newcomer = clientFor(server);
    const { user } = await newcomer.trpc.auth.signUp.mutate({ email, password: 'correct horse battery', name: 'Newcomer' });
    expect(await newcomer.trpc.teams.list.query()).toEqual([]);
    expect((await newcomer.trpc.teams.myInvitations.query()).map((i) => [i.team.name, i.role])).toEqual([
      ['Print shop', 'runner'],
      ['Other shop', 'viewer'],
    ]);

    expect(await newcomer.trpc.teams.acceptInvitation.mutate({ token: invitationToken(forTeam.link) })).toEqual({ team: { id: team.id, name: 'Print shop' }, role: 'runner' });
    expect(await newcomer.trpc.teams.list.query()).toEqual([expect.objectContaining({ id: team.id, role: 'runner' })]);
    const after = await owner.trpc.teams.members.query({ teamId: team.id });
    expect(after.invitations).toEqual([]);
    expect(after.members.find((m) => m.id === user.id)).toMatchObject({ email, role: 'runner' });
    // The other invitation waits for its own link.
    expect((await newcomer.trpc.teams.myInvitations.query()).map((i) => i.team.name)).toEqual(['Other shop']);
  });

  it('lets no one join by signing up with an invited address without the link (issue 12, item 4)', async () => {
    const owner = await signedUpClient(server, 'owner');
    const team = await owner.trpc.teams.create.mutate({ name: 'Vault' });
    const email = `invitee-${process.pid}-${++counter}@example.com`;
    const { invitation } = await owner.trpc.teams.invite.mutate({ teamId: team.id, email, role: 'editor' });

    // A stranger gets to the address first. The link went to the real invitee; the stranger never saw it.
    const stranger = clientFor(server);
    const { user } = await stranger.trpc.auth.signUp.mutate({ email, password: 'correct horse battery', name: 'Stranger' });
    expect(await stranger.trpc.teams.list.query()).toEqual([]);
    expect(await server.app.db.prisma.membership.count({ where: { teamId: team.id } })).toBe(1);
    expect(await server.app.db.prisma.invitation.findUniqueOrThrow({ where: { id: invitation.id }, select: { acceptedAt: true } })).toEqual({ acceptedAt: null });

    // Without the token there is no way in: the id is not accepted, a made-up token is not found.
    expect(await codeOf(stranger.trpc.teams.acceptInvitation.mutate({ invitationId: invitation.id } as never))).toBe('BAD_REQUEST');
    expect(await codeOf(stranger.trpc.teams.acceptInvitation.mutate({} as never))).toBe('BAD_REQUEST');
    expect(await codeOf(stranger.trpc.teams.acceptInvitation.mutate({ token: invitation.id }))).toBe('NOT_FOUND');
    expect(await codeOf(stranger.trpc.teams.acceptInvitation.mutate({ token: `pwi_${'A'.repeat(43)}` }))).toBe('NOT_FOUND');
    expect(await codeOf(stranger.trpc.teams.invitation.query({ token: `pwi_${'A'.repeat(43)}` }))).toBe('NOT_FOUND');
    // A link of another invitation (to another address) does not open this one either.
    const elsewhere = await owner.trpc.teams.invite.mutate({ teamId: team.id, email: `someone-else-${++counter}@example.com`, role: 'owner' });
    expect(await codeOf(stranger.trpc.teams.acceptInvitation.mutate({ token: invitationToken(elsewhere.link) }))).toBe('NOT_FOUND');

    expect(await stranger.trpc.teams.list.query()).toEqual([]);
    expect((await owner.trpc.teams.members.query({ teamId: team.id })).members.map((m) => m.id)).toEqual([owner.userId]);
    expect(await server.app.db.prisma.membership.count({ where: { userId: user.id } })).toBe(0);
  });

  it('changes roles and removes members; only owners manage', async () => {
    const owner = await signedUpClient(server, 'owner');
    const [editor, viewer] = await Promise.all([signedUpClient(server, 'editor'), signedUpClient(server, 'viewer')]);
    const team = await owner.trpc.teams.create.mutate({ name: 'Gallery' });
    await addToTeam(owner, editor, team.id, 'editor');
    await addToTeam(owner, viewer, team.id, 'viewer');

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

    await addToTeam(first, second, team.id, 'owner');
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
      await addToTeam(a, b, team.id, 'owner');
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
    await addToTeam(owner, member, team.id, 'viewer');
    expect(await member.trpc.teams.removeMember.mutate({ teamId: team.id, userId: member.userId })).toEqual({ ok: true });
    expect(await member.trpc.teams.list.query()).toEqual([]);
    expect((await owner.trpc.teams.members.query({ teamId: team.id })).members.map((m) => m.id)).toEqual([owner.userId]);
    // Having left, they cannot act on the team any more.
    expect(await codeOf(member.trpc.teams.removeMember.mutate({ teamId: team.id, userId: member.userId }))).toBe('NOT_FOUND');
  });
});
