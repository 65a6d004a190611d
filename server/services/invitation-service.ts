import { z } from 'zod';
import { zRole } from '../access/roles';
import { hashSecret, newSecret } from '../auth/tokens';
import type { Prisma, PrismaClient } from '../db/generated/client';
import { AppError, notFound } from './app-error';
import { requireViewer } from './access';
import { zEmail } from './auth-service';
import { requireTeamOwner, zTeamId } from './team-service';
import type { Viewer } from './viewer';

/**
 * Team invitations. Inviting never looks at whether the address has an account: it always
 * records (or renews) a pending invitation and answers the same, so an owner cannot probe
 * addresses. Addresses are not verified, so the address alone proves nothing: each invitation
 * has a secret link (`/invitations/<token>`, stored as its sha256, shown to the owner once) that
 * the owner hands to the invitee, and joining takes that token *and* a signed-in account with
 * the invited address. Signing up joins no team. The addressee may decline by id (Settings).
 */

export const invitationDays = 14;
const zInvitationId = z.string().min(1).max(64);
export const zInvite = z.object({ teamId: zTeamId, email: zEmail, role: zRole.default('viewer') });
export const zInvitationRef = z.object({ invitationId: zInvitationId });
/** Any string: a malformed token is simply not found, like an unknown one. */
export const zInvitationToken = z.object({ token: z.string().min(1).max(200) });
export const zCancelInvitation = z.object({ teamId: zTeamId, invitationId: zInvitationId });

/** What the owner gets back; the same fields whoever the address belongs to. */
const ownerView = { id: true, email: true, role: true, expiresAt: true } satisfies Prisma.InvitationSelect;

/** What the invitee sees: the team, the role, and who invited them. */
const inviteeView = {
  id: true,
  role: true,
  expiresAt: true,
  createdAt: true,
  team: { select: { id: true, name: true } },
  invitedBy: { select: { name: true, email: true } },
} satisfies Prisma.InvitationSelect;

/** The viewer's address as invitations store it: normalised like zEmail, so matching ignores case. */
const addressOf = (viewer: Viewer) => viewer.email.trim().toLowerCase();

/** Invitations addressed to the viewer that can still be accepted. */
function openFor(viewer: Viewer, now = new Date()): Prisma.InvitationWhereInput {
  return { email: addressOf(viewer), acceptedAt: null, expiresAt: { gt: now } };
}

/** The invitation link's path for a token; the token is the last segment. */
export const invitationPath = (token: string) => `/invitations/${token}`;

/** The one answer for a token that is unknown, expired, cancelled, or addressed to someone else. */
const notForYou = () => new AppError('NOT_FOUND', 'this invitation does not exist, has expired or was cancelled, or it is not for your address');

/**
 * Records a pending invitation, or renews the one the address already has (role, inviter, expiry), with a new
 * secret token either way: the link is in this answer only, and a renewal makes the previous link stop working.
 */
export async function invite(prisma: PrismaClient, viewer: Viewer | null, input: z.infer<typeof zInvite>) {
  const { who } = await requireTeamOwner(prisma, viewer, input.teamId);
  // A current member needs a role change, not an invitation. Owners see members' addresses,
  // so saying so tells them nothing new; it says nothing about anyone outside the team.
  const member = await prisma.membership.findFirst({ where: { teamId: input.teamId, user: { email: input.email } }, select: { userId: true } });
  if (member) throw new AppError('CONFLICT', 'this address belongs to a member of the team already; change their role instead');
  const expiresAt = new Date(Date.now() + invitationDays * 86_400_000);
  const { secret, hash } = newSecret('pwi');
  const invitation = await prisma.invitation.upsert({
    where: { teamId_email: { teamId: input.teamId, email: input.email } },
    create: { teamId: input.teamId, email: input.email, role: input.role, invitedById: who.userId, expiresAt, tokenHash: hash },
    update: { role: input.role, invitedById: who.userId, expiresAt, acceptedAt: null, tokenHash: hash },
    select: ownerView,
  });
  return { status: 'invited' as const, invitation, link: invitationPath(secret) };
}

/** Pending invitations addressed to the viewer, for teams they are not in yet. */
export async function myInvitations(prisma: PrismaClient, viewer: Viewer | null) {
  const who = requireViewer(viewer);
  return prisma.invitation.findMany({
    where: { ...openFor(who), team: { memberships: { none: { userId: who.userId } } } },
    select: inviteeView,
    orderBy: { createdAt: 'asc' },
  });
}

/**
 * What the invitation page shows: the team, the role, who invited and until when. Only to the signed-in addressee
 * holding the link's token; anyone else, like an unknown, expired or cancelled token, gets the same NOT_FOUND.
 * `joined` is true when the addressee already accepted it and is in the team (the page then says so).
 */
export async function invitationByToken(prisma: PrismaClient, viewer: Viewer | null, token: string) {
  const who = requireViewer(viewer);
  const invitation = await prisma.invitation.findFirst({
    where: { tokenHash: hashSecret(token), email: addressOf(who) },
    select: { ...inviteeView, acceptedAt: true },
  });
  if (!invitation) throw notForYou();
  const { acceptedAt, ...shown } = invitation;
  if (acceptedAt) {
    const membership = await prisma.membership.findUnique({ where: { teamId_userId: { teamId: invitation.team.id, userId: who.userId } }, select: { role: true } });
    if (!membership) throw notForYou();
    return { ...shown, role: membership.role, joined: true };
  }
  if (invitation.expiresAt.getTime() <= Date.now()) throw notForYou();
  return { ...shown, joined: false };
}

/**
 * Makes the viewer a member with the invited role, given the token of the invitation link. The signed-in address
 * must be the invited one: a wrong address, like an unknown, expired or cancelled token, gets NOT_FOUND. Accepting
 * again once a member answers the same.
 */
export async function acceptInvitation(prisma: PrismaClient, viewer: Viewer | null, token: string) {
  const who = requireViewer(viewer);
  const tokenHash = hashSecret(token);
  return prisma.$transaction(async (tx) => {
    const now = new Date();
    // Claiming the row first makes two accepts at once take turns: the second finds it accepted.
    const { count } = await tx.invitation.updateMany({ where: { tokenHash, ...openFor(who, now) }, data: { acceptedAt: now } });
    const invitation = await tx.invitation.findFirst({
      where: { tokenHash, email: addressOf(who) },
      select: { teamId: true, role: true, team: { select: { id: true, name: true } } },
    });
    if (!invitation) throw notForYou();
    const key = { teamId_userId: { teamId: invitation.teamId, userId: who.userId } };
    if (count === 0) {
      // Not open any more: fine when it was accepted and they are in the team, else as good as unknown.
      const membership = await tx.membership.findUnique({ where: key, select: { role: true } });
      if (!membership) throw notForYou();
      return { team: invitation.team, role: membership.role };
    }
    // Someone already in the team keeps the role they have.
    const membership = await tx.membership.upsert({
      where: key,
      create: { teamId: invitation.teamId, userId: who.userId, role: invitation.role },
      update: {},
      select: { role: true },
    });
    return { team: invitation.team, role: membership.role };
  });
}

/** Turns an invitation down; it is gone, and the owner may invite the address again. */
export async function declineInvitation(prisma: PrismaClient, viewer: Viewer | null, invitationId: string): Promise<void> {
  const who = requireViewer(viewer);
  const { count } = await prisma.invitation.deleteMany({ where: { id: invitationId, ...openFor(who) } });
  if (count === 0) throw notFound('invitation');
}

/** An owner withdraws a pending invitation of their team. */
export async function cancelInvitation(prisma: PrismaClient, viewer: Viewer | null, input: z.infer<typeof zCancelInvitation>): Promise<void> {
  await requireTeamOwner(prisma, viewer, input.teamId);
  const { count } = await prisma.invitation.deleteMany({ where: { id: input.invitationId, teamId: input.teamId, acceptedAt: null } });
  if (count === 0) throw notFound('invitation');
}
