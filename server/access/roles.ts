import { z } from 'zod';

/** Roles on a graph or team, weakest first. Each includes everything the weaker ones may do. */
export const roles = ['viewer', 'runner', 'editor', 'owner'] as const;
export const zRole = z.enum(roles);
export type Role = z.infer<typeof zRole>;

/** What each action needs at least. */
export const requiredRole = {
  'graph.read': 'viewer',
  'run.read': 'viewer',
  'artifact.read': 'viewer',
  'run.start': 'runner',
  'run.cancel': 'runner',
  'graph.write': 'editor',
  'graph.delete': 'owner',
  'team.manage': 'owner',
} as const satisfies Record<string, Role>;
export type Action = keyof typeof requiredRole;

export function roleAllows(role: Role | undefined, action: Action): boolean {
  return role !== undefined && roles.indexOf(role) >= roles.indexOf(requiredRole[action]);
}
