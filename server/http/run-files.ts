import type { AppContext } from '../app-context';
import { AppError } from '../services/app-error';
import type { Viewer } from '../services/viewer';

export const sha256Pattern = /^[0-9a-f]{64}$/;

/**
 * A preview or output file of a run, named by its sha256 in the run's events and outputs:
 * the viewer must be able to read the run, and the file must belong to that run.
 */
export async function runFileResponse(app: AppContext, viewer: Viewer | null, runId: string, hash: string): Promise<Response> {
  if (!sha256Pattern.test(hash)) throw new AppError('NOT_FOUND', 'file not found in this run');
  await app.runs.get(viewer, runId);
  const findRow = () => app.db.prisma.artifact.findFirst({ where: { runId, sha256: hash }, select: { mediaType: true } });
  let row = await findRow();
  // A live run's event log is written in batches: a file named by an event just streamed may not be recorded yet.
  if (!row && app.runs.log.isLive(runId)) {
    await app.runs.log.flush();
    row = await findRow();
  }
  const stored = row ? await app.artifacts.get(hash) : undefined;
  if (!row || !stored) throw new AppError('NOT_FOUND', 'file not found in this run');
  return new Response(new Uint8Array(stored.bytes), {
    headers: { 'content-type': row.mediaType, 'cache-control': 'private, max-age=31536000, immutable', etag: `"${hash}"` },
  });
}

/** An output or preview of a view link's graph, for anyone holding the link (no account). */
export async function sharedFileResponse(app: AppContext, token: string, hash: string): Promise<Response> {
  const { mediaType } = await app.shares.file(token, hash);
  const stored = await app.artifacts.get(hash);
  if (!stored) throw new AppError('NOT_FOUND', 'file not found');
  return new Response(new Uint8Array(stored.bytes), {
    headers: { 'content-type': mediaType, 'cache-control': 'private, max-age=3600', etag: `"${hash}"`, 'x-content-type-options': 'nosniff' },
  });
}
