import { posix } from 'node:path';
import type { PrismaClient } from '../db/generated/client';
import type { BlobStore } from '../ports/blob-store';
import { unzip, ZipFormatError, type UnzippedEntry } from '../util/unzip';
import { AppError } from './app-error';
import { checkUploadTarget, inspectImage, storeImage, type InspectedImage, type UploadLimits } from './artifact-service';
import { maxBatchItems } from './run-service';
import { nameUpload } from './upload-names';
import type { Viewer } from './viewer';

/** Names of image files a ZIP may hold (the CLI reads the same ones). */
const imageExtensions = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.avif']);
/** Entries a ZIP may hold in all, images or not. */
const maxZipEntries = 2000;

/** How much a ZIP of images may be: the archive and its unpacked files each up to 4× the per-file upload limit. */
export function zipLimits(limits: UploadLimits) {
  return { maxZipBytes: 4 * limits.maxUploadBytes, maxEntries: maxZipEntries, maxBytes: 4 * limits.maxUploadBytes, maxImages: maxBatchItems };
}

/**
 * Why a ZIP of images was refused, in `details.reason` beside the HTTP code: `zip_unreadable` (not a ZIP, damaged, a
 * compression it cannot read: 400), `zip_too_large` (too many entries or bytes: 413), `zip_no_images` (400),
 * `zip_too_many_images` (more than a batch takes: 413), `zip_bad_image` (an image entry that is not a usable
 * image: its upload error's code, with `details.entry`).
 */
export type ZipRefusal = 'zip_unreadable' | 'zip_too_large' | 'zip_no_images' | 'zip_too_many_images' | 'zip_bad_image';

const refuse = (code: AppError['code'], reason: ZipRefusal, message: string, details: Record<string, unknown> = {}) => new AppError(code, message, { reason, ...details });

/** Junk that archivers add beside the files (macOS resource forks, hidden files): never an item, never reported. */
const isJunk = (name: string) => name.startsWith('__MACOSX/') || posix.basename(name).startsWith('.');

/**
 * The images of an uploaded ZIP become uploads of the viewer, in the ZIP's order (one batch item each). The archive is
 * read within limits (entries, unpacked bytes, each entry's size checked before it is inflated), then every image is
 * checked like a single upload before any is stored: a refused ZIP stores nothing. Each upload keeps its entry's file
 * name (as a single upload keeps its own). Files that are not images by their name are skipped and named in `skipped`.
 */
export async function uploadZipOfImages(prisma: PrismaClient, store: BlobStore, viewer: Viewer | null, zip: Buffer, limits: UploadLimits) {
  const who = await checkUploadTarget(prisma, viewer);
  const bounds = zipLimits(limits);
  if (zip.length > bounds.maxZipBytes) throw refuse('PAYLOAD_TOO_LARGE', 'zip_too_large', `the ZIP is ${zip.length} bytes; the limit is ${bounds.maxZipBytes}`);
  let entries: UnzippedEntry[];
  try {
    entries = unzip(zip, { maxEntries: bounds.maxEntries, maxBytes: bounds.maxBytes });
  } catch (error) {
    if (!(error instanceof ZipFormatError)) throw error;
    const overLimit = error.problem === 'too_many_entries' || error.problem === 'too_large';
    throw overLimit ? refuse('PAYLOAD_TOO_LARGE', 'zip_too_large', error.message) : refuse('BAD_REQUEST', 'zip_unreadable', `the file could not be read as a ZIP: ${error.message}`);
  }
  const images: UnzippedEntry[] = [];
  const skipped: string[] = [];
  for (const entry of entries) {
    if (isJunk(entry.name)) continue;
    if (imageExtensions.has(posix.extname(entry.name).toLowerCase())) images.push(entry);
    else skipped.push(entry.name);
  }
  if (images.length === 0) {
    throw refuse('BAD_REQUEST', 'zip_no_images', 'the ZIP holds no images (PNG, JPEG, WebP, GIF, TIFF or AVIF files)', { skipped: skipped.slice(0, 20) });
  }
  if (images.length > bounds.maxImages) {
    throw refuse('PAYLOAD_TOO_LARGE', 'zip_too_many_images', `the ZIP holds ${images.length} images; a batch takes at most ${bounds.maxImages}`);
  }
  const checked: { entry: UnzippedEntry; image: InspectedImage }[] = [];
  for (const entry of images) {
    try {
      checked.push({ entry, image: await inspectImage(entry.bytes, limits) });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      throw refuse(error.code, 'zip_bad_image', `${entry.name} in the ZIP: ${error.message}`, { entry: entry.name });
    }
  }
  const stored = [];
  for (const { entry, image } of checked) stored.push({ name: entry.name, ...(await nameUpload(prisma, await storeImage(prisma, store, who, entry.bytes, image), entry.name)) });
  return { images: stored, skipped };
}
