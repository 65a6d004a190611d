'use client';
import { z } from 'zod';
import { appRequestHeaders } from '../../../../server/http/app-request';

const zZipResponse = z.object({ images: z.array(z.object({ name: z.string(), sha256: z.string() })), skipped: z.array(z.string()) });
const zErrorResponse = z.object({ error: z.object({ message: z.string(), details: z.object({ reason: z.string().optional() }).optional() }) });

/** A picked file that is a ZIP archive (by its type, or its name when the browser gives no type). */
export const isZipFile = (file: File) => ['application/zip', 'application/x-zip-compressed'].includes(file.type) || /\.zip$/i.test(file.name);

/** A ZIP the server refused, with its reason (zip_unreadable, zip_too_large, zip_no_images, zip_too_many_images, zip_bad_image). */
export class ZipUploadError extends Error {
  override readonly name = 'ZipUploadError';
  constructor(
    message: string,
    readonly reason: string | undefined,
  ) {
    super(message);
  }
}

/**
 * Uploads a ZIP of images (POST /api/uploads/zip): the server unpacks it within its limits and stores each image as
 * an upload of the signed-in user. Resolves to the images' sha256 in the ZIP's order and the files it skipped.
 */
export async function uploadZip(file: File): Promise<z.infer<typeof zZipResponse>> {
  const response = await fetch('/api/uploads/zip', { method: 'POST', body: file, headers: { ...appRequestHeaders, 'content-type': 'application/zip' } });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = zErrorResponse.safeParse(body);
    throw new ZipUploadError(error.success ? error.data.error.message : `upload failed (${response.status})`, error.success ? error.data.error.details?.reason : undefined);
  }
  const parsed = zZipResponse.safeParse(body);
  if (!parsed.success) throw new Error('the upload response was not understood');
  return parsed.data;
}
