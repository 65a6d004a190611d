import { roleAllows, type Action, type Role } from '../access/roles';
import type { PrismaClient } from '../db/generated/client';
import { AppError, notFound } from './app-error';
import type { Viewer } from './viewer';

export interface GraphOwner {
  ownerUserId: string | null;
  ownerTeamId: string | null;
}

/** The viewer's role on something owned by a user or a team: owner of their own things, their membership role in a team's. */
export async function roleFor(prisma: PrismaClient, viewer: Viewer | null, owner: GraphOwner): Promise<Role | undefined> {
  if (!viewer) return undefined;
  if (owner.ownerUserId) return owner.ownerUserId === viewer.userId ? 'owner' : undefined;
  if (!owner.ownerTeamId) return undefined;
  const membership = await prisma.membership.findUnique({
    where: { teamId_userId: { teamId: owner.ownerTeamId, userId: viewer.userId } },
    select: { role: true },
  });
  return membership?.role;
}

export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw new AppError('UNAUTHORIZED', 'sign in or send an API token');
  return viewer;
}

/**
 * Loads a live graph the viewer may act on, or throws: NOT_FOUND when they may not
 * even see it (so ids reveal nothing), FORBIDDEN when they see it but lack the role.
 */
export async function authorizeGraph(prisma: PrismaClient, viewer: Viewer | null, graphId: string, action: Action) {
  const who = requireViewer(viewer);
  const graph = await prisma.graph.findFirst({ where: { id: graphId, deletedAt: null } });
  if (!graph) throw notFound('graph');
  const role = await roleFor(prisma, who, graph);
  if (!roleAllows(role, 'graph.read')) throw notFound('graph');
  if (!roleAllows(role, action)) throw new AppError('FORBIDDEN', `your role (${role}) may not do ${action} on this graph`);
  return { graph, role: role!, viewer: who };
}

/** Teams a user belongs to, with their role. */
export async function teamRoles(prisma: PrismaClient, userId: string): Promise<Map<string, Role>> {
  const rows = await prisma.membership.findMany({ where: { userId }, select: { teamId: true, role: true } });
  return new Map(rows.map((r) => [r.teamId, r.role]));
}
