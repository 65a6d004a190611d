'use client';
import type { JsonValue } from '../../../../nodes/ports';
import { trpc } from '../../../_lib/trpc';
import { uploadBatchFiles } from './batch-files';
import { batchItems, maxBatchItems } from './batch-items';
import { useGraphStore } from './graph-store';
import { describeError, getBaseVersion, viewingUnchanged } from './use-save';

export interface BatchRequest {
  graphId: string;
  /** The input that varies, and its values: files to upload (images, or ZIPs of images), or values as they are. */
  varied: string;
  source: { files: File[] } | { values: JsonValue[] };
  /** The other inputs' values, the same for every item. */
  others: Record<string, JsonValue>;
  onProgress(message: string): void;
}

/**
 * Uploads the files (one at a time, so progress can be told; a ZIP is unpacked on the server into its images),
 * then starts one run per item with runs.startBatch. Like Run, the batch runs what the canvas shows: unsaved changes travel with it.
 * Resolves to the batch, or throws with a readable message (the server names a refused item).
 */
export async function startBatch(request: BatchRequest): Promise<{ batchId: string; total: number }> {
  const values: JsonValue[] = 'files' in request.source ? await uploadBatchFiles(request.source.files, request.onProgress) : request.source.values;
  if (values.length > maxBatchItems) throw new Error(`The picked files hold ${values.length} images; a batch takes at most ${maxBatchItems}`);
  request.onProgress(`Starting ${values.length} runs…`);
  const unchanged = viewingUnchanged();
  const edited = unchanged === undefined && useGraphStore.getState().dirty;
  const version = unchanged ?? getBaseVersion();
  const document = edited ? useGraphStore.getState().toDocument() : undefined;
  try {
    const { batch } = await trpc.runs.startBatch.mutate({
      graphId: request.graphId,
      ...(version !== undefined ? { version } : {}),
      ...(document ? { document } : {}),
      items: batchItems(request.varied, values, request.others),
    });
    return { batchId: batch.id, total: batch.total };
  } catch (error) {
    throw new Error(`Could not start the batch: ${describeError(error).message}`);
  }
}
