import type { RouterOutputs } from '../../../_components/types';

export type ShareLink = RouterOutputs['shares']['list'][number];

/** Whether a link still works, and if not why: revoked wins over expired. */
export function linkState(link: Pick<ShareLink, 'revokedAt' | 'expiresAt'>, now = Date.now()): 'active' | 'revoked' | 'expired' {
  if (link.revokedAt) return 'revoked';
  if (link.expiresAt && new Date(link.expiresAt).getTime() <= now) return 'expired';
  return 'active';
}

/** The absolute URL of a link path on this site. */
export function shareUrl(path: string, origin = typeof location === 'undefined' ? '' : location.origin): string {
  return `${origin}${path}`;
}

/** Expiry choices of a new link: days, or none. */
export const expiryChoices: { label: string; days: number | undefined }[] = [
  { label: 'Never', days: undefined },
  { label: 'In 1 day', days: 1 },
  { label: 'In 7 days', days: 7 },
  { label: 'In 30 days', days: 30 },
  { label: 'In 90 days', days: 90 },
];

/** Who may make and manage links: editors and owners (unknown while loading: the server decides). */
export function shareReason(role: string | undefined): string | undefined {
  if (role === 'viewer' || role === 'runner') return `Only editors can share this graph: you are a ${role}`;
  return undefined;
}
