'use client';
import { z } from 'zod';
import { appRequestHeaders } from '../../../../server/http/app-request';

const zUploadResponse = z.object({ file: z.object({ sha256: z.string() }) });
const zErrorResponse = z.object({ error: z.object({ message: z.string() }) });

/** Object URLs of images uploaded in this tab, by sha256, so artifact widgets can show a thumbnail. */
export const uploadedPreviews = new Map<string, string>();
/** File names of images uploaded in this tab, by sha256 (the server keeps them too: artifacts.content). */
export const uploadedNames = new Map<string, string>();

/** Uploads an image as an artifact of the signed-in user, with its file name; resolves to its sha256 (what image.load's `artifact` param holds). */
export async function uploadImage(file: File): Promise<string> {
  const response = await fetch(`/api/uploads${file.name ? `?name=${encodeURIComponent(file.name)}` : ''}`, { method: 'POST', body: file, headers: { ...appRequestHeaders, 'content-type': file.type || 'application/octet-stream' } });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = zErrorResponse.safeParse(body);
    throw new Error(error.success ? error.data.error.message : `upload failed (${response.status})`);
  }
  const parsed = zUploadResponse.safeParse(body);
  if (!parsed.success) throw new Error('the upload response was not understood');
  uploadedPreviews.set(parsed.data.file.sha256, URL.createObjectURL(file));
  if (file.name) uploadedNames.set(parsed.data.file.sha256, file.name);
  return parsed.data.file.sha256;
}
