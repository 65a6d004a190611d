import type { AppContext } from '../app-context';
import { savedFileOf, zOutputSummaries, type SavedFile } from '../runs/wire-events';
import { zipStored, type ZipEntry } from '../util/zip';
import { AppError } from './app-error';
import type { Viewer } from './viewer';

const extension: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/**
 * The files a run's nodes saved, in the order they finished (a cached node's file too), from the run's event log.
 * The caller has checked that the viewer may read the run.
 */
export async function runSavedFiles(app: AppContext, runId: string): Promise<(SavedFile & { nodeId: string; port: string })[]> {
  const events = await app.db.prisma.runEvent.findMany({ where: { runId, type: { in: ['node.finished', 'node.cached'] } }, orderBy: { seq: 'asc' } });
  const files = new Map<string, SavedFile & { nodeId: string; port: string }>();
  for (const row of events) {
    const payload = row.payload as { nodeId?: unknown; outputs?: unknown };
    const outputs = zOutputSummaries.safeParse(payload.outputs ?? {});
    if (!outputs.success || typeof payload.nodeId !== 'string') continue;
    for (const [port, summary] of Object.entries(outputs.data)) {
      const file = savedFileOf(summary);
      if (file) files.set(`${payload.nodeId}:${port}`, { ...file, nodeId: payload.nodeId, port });
    }
  }
  return [...files.values()];
}

/** `name`, or `name-2.ext`, `name-3.ext`… when the archive already holds that name. */
function unique(taken: Set<string>, name: string): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = name.replace(/(\.[^.]*)?$/, (ext) => `-${n}${ext}`);
  taken.add(candidate);
  return candidate;
}

/**
 * "Download all" of one run: its graph outputs (`outputs/<name>.png`), the files its nodes saved
 * (`saved/<filename>`, the PNGs that carry the graph) and `results.json` (status, values). The viewer must be able
 * to read the run, as for its files; a run still going has nothing final to give (CONFLICT).
 */
export async function runOutputsZip(app: AppContext, viewer: Viewer | null, runId: string): Promise<Buffer> {
  const run = await app.runs.get(viewer, runId);
  if (run.status === 'queued' || run.status === 'running') throw new AppError('CONFLICT', 'the run is still going: download its outputs once it has finished');
  const entries: ZipEntry[] = [];
  const taken = new Set<string>();
  const values: Record<string, unknown> = {};
  const outputs = zOutputSummaries.safeParse(run.outputs ?? {});
  for (const [name, summary] of Object.entries(outputs.success ? outputs.data : {})) {
    if (!('artifactId' in summary)) {
      values[name] = summary.value;
      continue;
    }
    const stored = await app.artifacts.get(summary.artifactId);
    if (stored) entries.push({ name: unique(taken, `outputs/${name}.${extension[stored.meta.mediaType] ?? 'bin'}`), bytes: stored.bytes });
  }
  const saved: { nodeId: string; file: string }[] = [];
  for (const file of await runSavedFiles(app, runId)) {
    const stored = await app.artifacts.get(file.id);
    if (!stored) continue;
    const name = unique(taken, `saved/${file.filename.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
    entries.push({ name, bytes: stored.bytes });
    saved.push({ nodeId: file.nodeId, file: name });
  }
  const results = { runId, graphId: run.graphId, status: run.status, startedAt: run.startedAt, finishedAt: run.finishedAt, inputs: run.inputs, values, saved, error: run.error };
  entries.push({ name: 'results.json', bytes: Buffer.from(JSON.stringify(results, null, 2)) });
  return zipStored(entries);
}
