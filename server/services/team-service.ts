import { z } from 'zod';
import { roleAllows, zRole } from '../access/roles';
import type { PrismaClient } from '../db/generated/client';
import { AppError } from './app-error';
import { requireViewer } from './access';
import type { Viewer } from './viewer';

export const zTeamId = z.string().min(1).max(64);
export const zCreateTeam = z.object({ name: z.string().trim().min(1).max(100) });
export const zChangeRole = z.object({ teamId: zTeamId, userId: z.string().min(1).max(64), role: zRole });
export const zRemoveMember = z.object({ teamId: zTeamId, userId: z.string().min(1).max(64) });

/** The viewer's membership in a team; NOT_FOUND when they are not in it (team ids reveal nothing). */
async function membershipOf(prisma: PrismaClient, viewer: Viewer | null, teamId: string) {
  const who = requireViewer(viewer);
  const membership = await prisma.membership.findUnique({ where: { teamId_userId: { teamId, userId: who.userId } } });
  if (!membership) throw new AppError('NOT_FOUND', 'team not found');
  return { who, role: membership.role };
}

/** The viewer's membership when they own the team: NOT_FOUND outside it, FORBIDDEN for other roles. */
export async function requireTeamOwner(prisma: PrismaClient, viewer: Viewer | null, teamId: string) {
  const found = await membershipOf(prisma, viewer, teamId);
  if (!roleAllows(found.role, 'team.manage')) throw new AppError('FORBIDDEN', 'only team owners manage members');
  return found;
}

export async function createTeam(prisma: PrismaClient, viewer: Viewer | null, input: z.infer<typeof zCreateTeam>) {
  const who = requireViewer(viewer);
  return prisma.team.create({
    data: { name: input.name, memberships: { create: { userId: who.userId, role: 'owner' } } },
    select: { id: true, name: true, createdAt: true },
  });
}

export async function listTeams(prisma: PrismaClient, viewer: Viewer | null) {
  const who = requireViewer(viewer);
  const rows = await prisma.membership.findMany({
    where: { userId: who.userId },
    select: { role: true, team: { select: { id: true, name: true, createdAt: true } } },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((r) => ({ ...r.team, role: r.role }));
}

export async function listMembers(prisma: PrismaClient, viewer: Viewer | null, teamId: string) {
  await membershipOf(prisma, viewer, teamId);
  const [members, invitations] = await Promise.all([
    prisma.membership.findMany({
      where: { teamId },
      select: { role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
      orderBy: { createdAt: 'asc' },
    }),
    prisma.invitation.findMany({
      where: { teamId, acceptedAt: null, expiresAt: { gt: new Date() } },
      select: { id: true, email: true, role: true, expiresAt: true },
    }),
  ]);
  return { members: members.map((m) => ({ ...m.user, role: m.role, since: m.createdAt })), invitations };
}

export async function changeRole(prisma: PrismaClient, viewer: Viewer | null, input: z.infer<typeof zChangeRole>) {
  await requireTeamOwner(prisma, viewer, input.teamId);
  await prisma.$transaction(async (tx) => {
    const target = await tx.membership.findUnique({ where: { teamId_userId: { teamId: input.teamId, userId: input.userId } } });
    if (!target) throw new AppError('NOT_FOUND', 'member not found');
    if (target.role === 'owner' && input.role !== 'owner') await keepAnOwner(tx, input.teamId);
    await tx.membership.update({ where: { teamId_userId: { teamId: input.teamId, userId: input.userId } }, data: { role: input.role } });
  });
}

export async function removeMember(prisma: PrismaClient, viewer: Viewer | null, input: z.infer<typeof zRemoveMember>) {
  const { who, role } = await membershipOf(prisma, viewer, input.teamId);
  // Anyone may leave; only owners remove others.
  if (input.userId !== who.userId && !roleAllows(role, 'team.manage')) throw new AppError('FORBIDDEN', 'only team owners remove members');
  await prisma.$transaction(async (tx) => {
    const target = await tx.membership.findUnique({ where: { teamId_userId: { teamId: input.teamId, userId: input.userId } } });
    if (!target) throw new AppError('NOT_FOUND', 'member not found');
    if (target.role === 'owner') await keepAnOwner(tx, input.teamId);
    await tx.membership.delete({ where: { teamId_userId: { teamId: input.teamId, userId: input.userId } } });
  });
}

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

async function keepAnOwner(tx: Tx, teamId: string): Promise<void> {
  // Lock the owners' rows until commit: two owners demoting (or removing) each other at once would
  // otherwise both count two owners and leave none. The second waits, then sees one owner.
  const owners = await tx.$queryRaw<{ userId: string }[]>`
    SELECT "userId" FROM "Membership" WHERE "teamId" = ${teamId} AND "role" = 'owner' FOR UPDATE`;
  if (owners.length <= 1) throw new AppError('CONFLICT', 'a team needs at least one owner');
}
