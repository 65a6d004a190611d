import { z } from 'zod';
import type { PrismaClient } from '../db/generated/client';
import type { BlobStore } from '../ports/blob-store';
import { zOutputSummaries } from '../runs/wire-events';
import { zipStored, type ZipEntry } from '../util/zip';
import { AppError } from './app-error';
import { roleAllows } from '../access/roles';
import { requireViewer, roleFor } from './access';
import type { RunService } from './run-service';
import type { Viewer } from './viewer';

export const zBatchRef = z.object({ batchId: z.string().min(1).max(64) });

const extension: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };
/** The ZIP is built in memory: past this many bytes of outputs it is refused rather than exhausting the server. */
const maxZipBytes = 1024 ** 3;

/** Batches: one pipeline over many inputs, seen and cancelled as a whole. */
export class BatchService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly runs: RunService,
    private readonly blobs: BlobStore,
  ) {}

  /**
   * The batch if the viewer may do `action` on it: anyone with that role on its graph, and whoever started it
   * through a run link (theirs to follow and cancel, like the link's runs, and no one else's). Someone who may do
   * neither learns nothing about it (NOT_FOUND). `access` says which: a link's batch is shown without the graph.
   */
  private async authorize(viewer: Viewer | null, batchId: string, action: 'run.read' | 'run.cancel') {
    const who = requireViewer(viewer);
    const found = await this.prisma.batch.findUnique({
      where: { id: batchId },
      select: {
        id: true,
        graphId: true,
        total: true,
        createdAt: true,
        createdById: true,
        shareLinkId: true,
        graph: { select: { name: true, ownerUserId: true, ownerTeamId: true, deletedAt: true } },
        shareLink: { select: { revokedAt: true, expiresAt: true, createdById: true } },
      },
    });
    if (!found || found.graph.deletedAt) throw new AppError('NOT_FOUND', 'batch not found');
    const { createdById, shareLinkId, graph, shareLink, ...batch } = found;
    const role = await roleFor(this.prisma, who, graph);
    const ownThroughLink = shareLinkId !== null && createdById === who.userId;
    if (!ownThroughLink && !roleAllows(role, 'run.read')) throw new AppError('NOT_FOUND', 'batch not found');
    if (!ownThroughLink && !roleAllows(role, action)) throw new AppError('FORBIDDEN', `your role (${role}) may not do ${action} on this batch`);
    if (roleAllows(role, 'graph.read')) return { ...batch, access: 'graph' as const, graphName: graph.name };
    // Through the link: the graph's name as the link's page shows it, while the link still works.
    const usable = shareLink && !shareLink.revokedAt && shareLink.createdById && !(shareLink.expiresAt && shareLink.expiresAt.getTime() <= Date.now());
    return { ...batch, access: 'link' as const, graphName: usable ? graph.name : null };
  }

  /** "37/120": counts by status, and every item's run with its inputs, outputs and error. */
  async get(viewer: Viewer | null, batchId: string) {
    const batch = await this.authorize(viewer, batchId, 'run.read');
    const runs = await this.prisma.run.findMany({
      where: { batchId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true, status: true, inputs: true, outputs: true, error: true, startedAt: true, finishedAt: true },
    });
    const counts = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0, interrupted: 0 };
    for (const run of runs) counts[run.status]++;
    const done = runs.length - counts.queued - counts.running;
    return { ...batch, done, counts, runs };
  }

  /** Cancels every item still queued or running. */
  async cancel(viewer: Viewer | null, batchId: string) {
    await this.authorize(viewer, batchId, 'run.cancel');
    const active = await this.prisma.run.findMany({ where: { batchId, status: { in: ['queued', 'running'] } }, select: { id: true } });
    let cancelled = 0;
    for (const run of active) if ((await this.runs.cancel(viewer, run.id)).cancelled) cancelled++;
    return { cancelled };
  }

  /** A ZIP of every image output of the batch's succeeded items: `<item>-<output>.<ext>`, plus results.json. */
  async zip(viewer: Viewer | null, batchId: string): Promise<Buffer> {
    const batch = await this.get(viewer, batchId);
    const entries: ZipEntry[] = [];
    const results = [];
    let bytes = 0;
    for (const [index, run] of batch.runs.entries()) {
      const item = String(index + 1).padStart(String(batch.total).length, '0');
      const outputs = zOutputSummaries.safeParse(run.outputs ?? {});
      results.push({ item: index + 1, runId: run.id, status: run.status, inputs: run.inputs, outputs: run.outputs, error: run.error });
      if (run.status !== 'succeeded' || !outputs.success) continue;
      for (const [name, summary] of Object.entries(outputs.data)) {
        if (!('artifactId' in summary)) continue;
        const stored = await this.blobs.get(summary.artifactId);
        bytes += stored?.bytes.length ?? 0;
        if (bytes > maxZipBytes) {
          throw new AppError('PAYLOAD_TOO_LARGE', `the batch's outputs hold more than ${maxZipBytes / 1024 ** 3} GiB; download them per run (GET /api/v1/runs/{id}/outputs.zip)`);
        }
        if (stored) entries.push({ name: `${item}-${name}.${extension[stored.meta.mediaType] ?? 'bin'}`, bytes: stored.bytes });
      }
    }
    entries.push({ name: 'results.json', bytes: Buffer.from(JSON.stringify({ batchId, total: batch.total, counts: batch.counts, items: results }, null, 2)) });
    return zipStored(entries);
  }
}
