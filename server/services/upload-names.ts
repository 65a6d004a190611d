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
