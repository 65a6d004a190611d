import { z } from 'zod';
import { artifactRefsOf } from '../../nodes/param-refs';
import { builtinRegistry } from '../../nodes/registry';
import type { PrismaClient } from '../db/generated/client';
import { AppError } from './app-error';
import { requireViewer, teamRoles } from './access';
import { canUseContent } from './artifact-service';
import type { Viewer } from './viewer';

const MAX_FILE_NAME = 200;

/**
 * The name to keep for an uploaded file: the last path segment of what the client sent, without
 * control characters, at most 200 characters (its extension kept). Undefined for nothing usable.
 */
export function cleanFileName(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  const base = raw.split(/[/\\]/).at(-1)!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (base === '' || base === '.' || base === '..') return undefined;
  if (base.length <= MAX_FILE_NAME) return base;
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 && base.length - dot <= 10 ? base.slice(dot) : '';
  return base.slice(0, MAX_FILE_NAME - ext.length - 1) + '…' + ext;
}

/** Records an upload's file name on its artifact row; the row as the upload answers it, with the name. */
export async function nameUpload<R extends { id: string }>(prisma: PrismaClient, row: R, raw: string | null | undefined): Promise<R & { fileName: string | null }> {
  const fileName = cleanFileName(raw) ?? null;
  if (fileName !== null) await prisma.artifact.update({ where: { id: row.id }, data: { fileName } });
  return { ...row, fileName };
}

export interface ContentInfo {
  sha256: string;
  /** The name the viewer's (or their team's) latest named upload of this content had; null when none had one. */
  fileName: string | null;
  mediaType: string;
  width: number | null;
  height: number | null;
}

/**
 * What the editor shows for an image a param names by sha256 (its file name and size), for
 * content the viewer may use in a run; NOT_FOUND alike for an unknown hash and for content
 * the viewer may not use. Names come only from uploads of the viewer or their teams.
 */
export async function contentInfo(prisma: PrismaClient, viewer: Viewer | null, sha256: string): Promise<ContentInfo> {
  const who = requireViewer(viewer);
  if (!/^[0-9a-f]{64}$/.test(sha256) || !(await canUseContent(prisma, who, sha256))) throw new AppError('NOT_FOUND', 'upload not found');
  const teams = [...(await teamRoles(prisma, who.userId)).keys()];
  const own = { sha256, OR: [{ ownerUserId: who.userId }, { ownerTeamId: { in: teams } }] };
  const named = await prisma.artifact.findFirst({ where: { ...own, fileName: { not: null } }, orderBy: { createdAt: 'desc' }, select: { fileName: true } });
  const any = await prisma.artifact.findFirst({ where: { sha256 }, orderBy: { createdAt: 'desc' }, select: { mediaType: true, width: true, height: true } });
  return { sha256, fileName: named?.fileName ?? null, mediaType: any?.mediaType ?? 'application/octet-stream', width: any?.width ?? null, height: any?.height ?? null };
}

const zNamedNodes = z.object({ nodes: z.array(z.object({ type: z.string(), params: z.record(z.string(), z.unknown()).catch({}).default({}) })).catch([]) });

/** The images a saved document's nodes read by param (image.load's upload), by sha256: each once, in document order. */
export function documentImageHashes(document: unknown): string[] {
  const parsed = zNamedNodes.safeParse(document);
  if (!parsed.success) return [];
  const hashes = new Set<string>();
  for (const node of parsed.data.nodes) {
    const def = builtinRegistry.get(node.type);
    if (def) for (const ref of artifactRefsOf(def, node.params)) if (ref.valid) hashes.add(ref.value);
  }
  return [...hashes];
}

/**
 * The file names of these images as the given owners (users, a team) uploaded them: their latest
 * named upload of each, nameless ones left out. Whoever calls this decides whose names a caller
 * may see (a share link: its creator's and its graph owner's, for the images its document names).
 */
export async function uploadNamesOf(prisma: PrismaClient, sha256s: string[], owners: { userIds: string[]; teamId: string | null }): Promise<{ sha256: string; fileName: string }[]> {
  if (sha256s.length === 0) return [];
  const owned = [{ ownerUserId: { in: owners.userIds } }, ...(owners.teamId ? [{ ownerTeamId: owners.teamId }] : [])];
  const rows = await prisma.artifact.findMany({
    where: { sha256: { in: sha256s }, fileName: { not: null }, OR: owned },
    orderBy: { createdAt: 'desc' },
    select: { sha256: true, fileName: true },
  });
  const names = new Map<string, string>();
  for (const row of rows) if (row.fileName && !names.has(row.sha256)) names.set(row.sha256, row.fileName);
  return sha256s.flatMap((sha256) => (names.has(sha256) ? [{ sha256, fileName: names.get(sha256)! }] : []));
}
