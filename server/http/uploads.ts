import type { AppContext } from '../app-context';
import { AppError } from '../services/app-error';
import { readUsableContent, thumbnailWebp, uploadImage } from '../services/artifact-service';
import { nameUpload } from '../services/upload-names';
import type { Viewer } from '../services/viewer';
import { uploadZipOfImages, zipLimits } from '../services/zip-upload';
import { readLimited } from './responses';

export interface UploadForm {
  files: Map<string, Buffer>;
  fields: Map<string, string>;
  /** The file name each multipart file part carried, by field name (absent for a raw body). */
  fileNames: Map<string, string>;
}

/**
 * Files (and text fields) of an upload request: multipart/form-data (every file
 * part, by field name) or a raw image body (one file, named "file").
 */
export async function readUploadForm(request: Request, maxBytes: number): Promise<UploadForm> {
  const type = request.headers.get('content-type') ?? '';
  const files = new Map<string, Buffer>();
  const fields = new Map<string, string>();
  const fileNames = new Map<string, string>();
  if (type.startsWith('multipart/form-data')) {
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > maxBytes * 4) throw new AppError('PAYLOAD_TOO_LARGE', `the upload is ${declared} bytes; the limit is ${maxBytes} per file`);
    let form: FormData;
    try {
      form = await new Request(request.url, { method: 'POST', headers: request.headers, body: new Uint8Array(await readLimited(request, maxBytes * 4)) }).formData();
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('BAD_REQUEST', 'the multipart body could not be read');
    }
    for (const [name, value] of form.entries()) {
      if (typeof value === 'string') {
        fields.set(name, value);
        continue;
      }
      if (value.size > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `"${name}" is ${value.size} bytes; the limit is ${maxBytes}`);
      files.set(name, Buffer.from(await value.arrayBuffer()));
      if (value.name) fileNames.set(name, value.name);
    }
    return { files, fields, fileNames };
  }
  files.set('file', await readLimited(request, maxBytes));
  return { files, fields, fileNames };
}

/**
 * Stores every uploaded file as an image artifact of the viewer (or a team, ?teamId=), with its
 * file name (a multipart part's, or ?name= for a raw body) so the editor can show it instead of the hash.
 */
export async function handleUpload(app: AppContext, viewer: Viewer | null, request: Request) {
  if (!viewer) throw new AppError('UNAUTHORIZED', 'sign in or send an API token');
  const query = new URL(request.url).searchParams;
  const teamId = query.get('teamId') ?? undefined;
  const { files, fileNames } = await readUploadForm(request, app.config.maxUploadBytes);
  if (files.size === 0) throw new AppError('BAD_REQUEST', 'no file in the upload');
  const limits = { maxUploadBytes: app.config.maxUploadBytes, maxPixels: app.config.maxPixels };
  const stored: Record<string, Awaited<ReturnType<typeof uploadImage>> & { fileName: string | null }> = {};
  for (const [name, bytes] of files) {
    const row = await uploadImage(app.db.prisma, app.artifacts, viewer, bytes, limits, teamId);
    stored[name] = await nameUpload(app.db.prisma, row, fileNames.get(name) ?? query.get('name'));
  }
  return stored;
}

/**
 * POST /api/uploads/zip: a ZIP of images (the raw archive as the body) becomes one upload of the viewer per image,
 * in the ZIP's order, for a batch. Bounded and refused with a typed `details.reason` (zip-upload.ts); nothing is
 * stored when it is refused.
 */
export async function handleZipUpload(app: AppContext, viewer: Viewer | null, request: Request) {
  if (!viewer) throw new AppError('UNAUTHORIZED', 'sign in or send an API token');
  const limits = { maxUploadBytes: app.config.maxUploadBytes, maxPixels: app.config.maxPixels };
  const zip = await readLimited(request, zipLimits(limits).maxZipBytes).catch((error: unknown) => {
    throw error instanceof AppError && error.code === 'PAYLOAD_TOO_LARGE' ? new AppError(error.code, `the ZIP is too large: ${error.message}`, { reason: 'zip_too_large' }) : error;
  });
  if (zip.length === 0) throw new AppError('BAD_REQUEST', 'the upload is empty: send the ZIP as the body');
  return uploadZipOfImages(app.db.prisma, app.artifacts, viewer, zip, limits);
}

/**
 * GET /api/uploads/{sha256}: a WebP thumbnail (≤ 256 px) of an image the viewer may use
 * in a run — theirs, their team's, or an output of a run they can read. 404 for anything else.
 */
export async function uploadThumbnailResponse(app: AppContext, viewer: Viewer | null, request: Request, sha256: string): Promise<Response> {
  const bytes = await readUsableContent(app.db.prisma, app.artifacts, viewer, sha256);
  const headers = { 'cache-control': 'private, max-age=31536000, immutable', etag: `"${sha256}-256.webp"` };
  if (request.headers.get('if-none-match') === headers.etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(await thumbnailWebp(bytes)), { headers: { 'content-type': 'image/webp', ...headers } });
}
