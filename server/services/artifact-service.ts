import sharp, { type Metadata } from 'sharp';
import type { PrismaClient, Prisma } from '../db/generated/client';
import type { BlobStore } from '../ports/blob-store';
import { AppError } from './app-error';
import { roleFor, requireViewer, teamRoles } from './access';
import { roleAllows } from '../access/roles';
import type { Viewer } from './viewer';

export interface UploadLimits {
  maxUploadBytes: number;
  maxPixels: number;
}

const acceptedFormats: Record<string, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  tiff: 'image/tiff',
  heif: 'image/avif',
};

export const artifactSelect = {
  id: true,
  sha256: true,
  mediaType: true,
  size: true,
  width: true,
  height: true,
  createdAt: true,
} satisfies Prisma.ArtifactSelect;

/**
 * Stores an uploaded image after checking its size, type and pixel count from
 * the header, then that it decodes to the end (a truncated or corrupt file is refused
 * like a non-image). Owned by the viewer, or by a team they can edit in.
 */
export async function uploadImage(
  prisma: PrismaClient,
  store: BlobStore,
  viewer: Viewer | null,
  bytes: Buffer,
  limits: UploadLimits,
  teamId?: string,
) {
  const who = await checkUploadTarget(prisma, viewer, teamId);
  return storeImage(prisma, store, who, bytes, await inspectImage(bytes, limits), teamId);
}

/** The uploader, when they may upload (to `teamId`: a team where they may start runs). */
export async function checkUploadTarget(prisma: PrismaClient, viewer: Viewer | null, teamId?: string): Promise<Viewer> {
  const who = requireViewer(viewer);
  if (teamId) {
    const role = (await teamRoles(prisma, who.userId)).get(teamId);
    if (!role) throw new AppError('NOT_FOUND', 'team not found');
    if (!roleAllows(role, 'run.start')) throw new AppError('FORBIDDEN', 'you may not upload to this team');
  }
  return who;
}

export interface InspectedImage {
  mediaType: string;
  width: number;
  height: number;
}

/** Checks an upload without storing it: size, an accepted type, the pixel count, and that it decodes to the end. */
export async function inspectImage(bytes: Buffer, limits: UploadLimits): Promise<InspectedImage> {
  if (bytes.length === 0) throw new AppError('BAD_REQUEST', 'the upload is empty');
  if (bytes.length > limits.maxUploadBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', `the upload is ${bytes.length} bytes; the limit is ${limits.maxUploadBytes}`);
  }
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'the upload is not a readable image (PNG, JPEG, WebP, GIF, TIFF or AVIF)');
  }
  const mediaType = meta.format ? acceptedFormats[meta.format] : undefined;
  if (!mediaType) throw new AppError('UNSUPPORTED_MEDIA_TYPE', `images of type ${meta.format ?? 'unknown'} are not accepted`);
  const { width = 0, height = 0 } = meta;
  if (width * height > limits.maxPixels) {
    throw new AppError('PAYLOAD_TOO_LARGE', `the image is ${width}x${height}; the limit is ${limits.maxPixels} pixels`);
  }
  await checkDecodes(bytes, limits.maxPixels);
  return { mediaType, width, height };
}

/** Stores an image that inspectImage accepted, owned by `who` or by `teamId`. */
export async function storeImage(prisma: PrismaClient, store: BlobStore, who: Viewer, bytes: Buffer, image: InspectedImage, teamId?: string) {
  const stored = await store.put(bytes, image);
  return prisma.artifact.create({
    data: {
      sha256: stored.id,
      mediaType: image.mediaType,
      size: bytes.length,
      width: image.width,
      height: image.height,
      ...(teamId ? { ownerTeamId: teamId } : { ownerUserId: who.userId }),
    },
    select: artifactSelect,
  });
}

/**
 * Decodes the whole image (its first frame, as nodes read it) with the strictness nodes decode with, streaming
 * rows into a 16 px thumbnail that is thrown away: memory stays small, and only the header's pixel count,
 * already checked, bounds the time. Truncated or corrupt data is UNSUPPORTED_MEDIA_TYPE.
 */
async function checkDecodes(bytes: Buffer, maxPixels: number): Promise<void> {
  try {
    await sharp(bytes, { failOn: 'error', limitInputPixels: maxPixels, sequentialRead: true }).resize(16, 16, { fit: 'inside' }).raw().toBuffer();
  } catch {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'the upload is truncated or corrupt: it does not decode to the end');
  }
}

/** Whether the viewer may read an artifact row: theirs, their team's, or made by a run of a graph they can see. */
async function canRead(
  prisma: PrismaClient,
  viewer: Viewer,
  row: { ownerUserId: string | null; ownerTeamId: string | null; runId: string | null },
): Promise<boolean> {
  if (row.ownerUserId === viewer.userId) return true;
  if (row.ownerTeamId && (await teamRoles(prisma, viewer.userId)).has(row.ownerTeamId)) return true;
  if (row.runId) {
    const run = await prisma.run.findUnique({ where: { id: row.runId }, select: { graph: { select: { ownerUserId: true, ownerTeamId: true, deletedAt: true } } } });
    if (run && !run.graph.deletedAt) return roleAllows(await roleFor(prisma, viewer, run.graph), 'artifact.read');
  }
  return false;
}

/** An artifact's bytes for download; NOT_FOUND both when it does not exist and when the viewer may not read it. */
export async function readArtifact(prisma: PrismaClient, store: BlobStore, viewer: Viewer | null, id: string) {
  const who = requireViewer(viewer);
  const row = await prisma.artifact.findUnique({ where: { id } });
  if (!row || !(await canRead(prisma, who, row))) throw new AppError('NOT_FOUND', 'artifact not found');
  const stored = await store.get(row.sha256);
  if (!stored) throw new AppError('NOT_FOUND', 'artifact bytes are missing');
  return { bytes: stored.bytes, mediaType: row.mediaType, sha256: row.sha256 };
}

/** Whether the viewer may use the content with this hash (e.g. in an image.load node). */
export async function canUseContent(prisma: PrismaClient, viewer: Viewer, sha256: string): Promise<boolean> {
  const rows = await prisma.artifact.findMany({ where: { sha256 }, select: { ownerUserId: true, ownerTeamId: true, runId: true }, take: 50 });
  for (const row of rows) if (await canRead(prisma, viewer, row)) return true;
  return false;
}

/**
 * The bytes of content the viewer may use, by hash (the rule runs apply to image inputs):
 * NOT_FOUND alike for an invalid or unknown hash and for content the viewer may not use.
 */
export async function readUsableContent(prisma: PrismaClient, store: BlobStore, viewer: Viewer | null, sha256: string): Promise<Buffer> {
  const who = requireViewer(viewer);
  if (!/^[0-9a-f]{64}$/.test(sha256) || !(await canUseContent(prisma, who, sha256))) throw new AppError('NOT_FOUND', 'upload not found');
  const stored = await store.get(sha256);
  if (!stored) throw new AppError('NOT_FOUND', 'upload bytes are missing');
  return stored.bytes;
}

/** A WebP copy of an image, upright by its EXIF orientation, its longest side at most maxSide px (never enlarged). */
export async function thumbnailWebp(bytes: Buffer, maxSide = 256): Promise<Buffer> {
  try {
    return await sharp(bytes, { limitInputPixels: false })
      .rotate()
      .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
  } catch {
    // Uploads made before they were decoded in full, and run outputs, may still fail to decode here.
    throw new AppError('NOT_FOUND', 'the upload cannot be shown');
  }
}

export async function getArtifactInfo(prisma: PrismaClient, viewer: Viewer | null, id: string) {
  const who = requireViewer(viewer);
  const row = await prisma.artifact.findUnique({ where: { id } });
  if (!row || !(await canRead(prisma, who, row))) throw new AppError('NOT_FOUND', 'artifact not found');
  return { id: row.id, sha256: row.sha256, mediaType: row.mediaType, size: row.size, width: row.width, height: row.height, createdAt: row.createdAt };
}
