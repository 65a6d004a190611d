'use client';
import { uploadImage } from './upload';
import { isZipFile, uploadZip } from './upload-zip';

/**
 * The picked files of a batch as uploads, in the order picked: an image is one item, a ZIP as many as it holds
 * images (unpacked on the server). One file at a time, so that progress can be told; a refused file stops it all
 * with a message that names the file.
 */
export async function uploadBatchFiles(files: readonly File[], onProgress: (message: string) => void): Promise<string[]> {
  const values: string[] = [];
  for (const [i, file] of files.entries()) {
    const zip = isZipFile(file);
    onProgress(`${zip ? 'Unpacking' : 'Uploading'} ${i + 1} of ${files.length}: ${file.name}…`);
    try {
      if (!zip) {
        values.push(await uploadImage(file));
        continue;
      }
      const { images, skipped } = await uploadZip(file);
      values.push(...images.map((image) => image.sha256));
      onProgress(`${file.name}: ${images.length} ${images.length === 1 ? 'image' : 'images'}${skipped.length > 0 ? ` (skipped ${skipped.length} other ${skipped.length === 1 ? 'file' : 'files'})` : ''}`);
    } catch (error) {
      throw new Error(`Could not ${zip ? 'read' : 'upload'} ${file.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return values;
}
