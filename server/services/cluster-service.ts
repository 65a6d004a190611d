import { roleAllows } from '../access/roles';
import type { Cluster } from '../app';
import type { PrismaClient } from '../db/generated/client';
import type { RunQueue } from '../runs/run-queue';
import { installedModels } from '../../nodes/_impl/models/installed-models';
import type { InstalledModels } from '../../nodes/_impl/models/model-meta';
import { requireViewer, teamRoles } from './access';
import type { Viewer } from './viewer';

/** A worker as the Workers page shows it; runs the viewer may not read are counted, not named. */
export interface WorkerView {
  id: string;
  name: string;
  host: string;
  state: 'starting' | 'idle' | 'busy' | 'stopping';
  heartbeatAt: number | null;
  startedAt: number | null;
  concurrency: number;
  /** Runs executing now that the viewer may read. */
  runIds: string[];
  /** Runs executing now that the viewer may not read. */
  otherRuns: number;
  providers: string[];
  gpu: { name: string; memoryMiB?: number } | null;
  models: { id: string; sha256?: string }[];
  cores: number | null;
  memoryMiB: number | null;
}

/**
 * What the operator pages show: the workers (remote ones from their heartbeats,
 * or the embedded pool), the queue across the graphs a viewer can read, and
 * the models the workers have. Every answer is filtered by the viewer's access.
 */
export class ClusterService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly queue: RunQueue,
    private readonly cluster: Cluster | undefined,
  ) {}

  get mode(): 'embedded' | 'cluster' {
    return this.cluster ? 'cluster' : 'embedded';
  }

  /** Ids of the given runs that the viewer may read. */
  private async readableRuns(viewer: Viewer, runIds: string[]): Promise<Set<string>> {
    if (runIds.length === 0) return new Set();
    const roles = await teamRoles(this.prisma, viewer.userId);
    const rows = await this.prisma.run.findMany({
      where: { id: { in: runIds } },
      select: { id: true, graph: { select: { ownerUserId: true, ownerTeamId: true, deletedAt: true } } },
    });
    return new Set(
      rows
        .filter(({ graph }) => !graph.deletedAt && (graph.ownerUserId === viewer.userId || (graph.ownerTeamId && roleAllows(roles.get(graph.ownerTeamId), 'run.read'))))
        .map((r) => r.id),
    );
  }

  async workers(viewer: Viewer | null): Promise<{ mode: 'embedded' | 'cluster'; workers: WorkerView[] }> {
    const who = requireViewer(viewer);
    if (!this.cluster) {
      const stats = await this.queue.stats();
      const busy = stats.workers.flatMap((w) => (w.runId ? [w.runId] : []));
      const readable = await this.readableRuns(who, busy);
      const installed = await installedModels();
      return {
        mode: 'embedded',
        workers: [
          {
            id: 'embedded',
            name: 'this server (embedded pool)',
            host: 'localhost',
            state: busy.length > 0 ? 'busy' : 'idle',
            heartbeatAt: null,
            startedAt: null,
            concurrency: stats.concurrency,
            runIds: busy.filter((id) => readable.has(id)),
            otherRuns: busy.filter((id) => !readable.has(id)).length,
            providers: [],
            gpu: null,
            models: [...installed.style.map((n) => ({ id: `style/${n}` })), ...installed.diffusion.map((n) => ({ id: `diffusion/${n}` }))],
            cores: null,
            memoryMiB: null,
          },
        ],
      };
    }
    const live = await this.cluster.workers.live();
    const readable = await this.readableRuns(who, live.flatMap((w) => w.runIds));
    return {
      mode: 'cluster',
      workers: live.map((w) => ({
        id: w.id,
        name: w.name,
        host: w.host,
        state: w.state,
        heartbeatAt: w.heartbeatAt,
        startedAt: w.startedAt,
        concurrency: w.concurrency,
        runIds: w.runIds.filter((id) => readable.has(id)),
        otherRuns: w.runIds.filter((id) => !readable.has(id)).length,
        providers: w.capabilities.providers,
        gpu: w.capabilities.gpu ?? null,
        models: w.capabilities.models.map((m) => ({ id: m.id, ...(m.sha256 ? { sha256: m.sha256 } : {}) })),
        cores: w.capabilities.cores,
        memoryMiB: w.capabilities.memoryMiB,
      })),
    };
  }

  /** Runs waiting or running in graphs the viewer may read, oldest first, with their place in the queue. */
  async queueView(viewer: Viewer | null) {
    const who = requireViewer(viewer);
    const teams = [...(await teamRoles(this.prisma, who.userId)).keys()];
    const active = await this.prisma.run.findMany({
      where: { status: { in: ['queued', 'running'] } },
      select: { id: true, status: true, createdAt: true, startedAt: true, workerId: true, graphId: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: 1000,
    });
    // Positions count every waiting run, also those the viewer cannot see.
    const position = new Map<string, number>();
    if (this.cluster) {
      for (const job of await this.cluster.queue.jobs(1000)) if (job.position) position.set(job.runId, job.position);
    } else {
      active.filter((r) => r.status === 'queued').forEach((r, i) => position.set(r.id, i + 1));
    }
    const graphs = await this.prisma.graph.findMany({
      where: { id: { in: [...new Set(active.map((r) => r.graphId))] }, deletedAt: null, OR: [{ ownerUserId: who.userId }, { ownerTeamId: { in: teams } }] },
      select: { id: true, name: true },
    });
    const names = new Map(graphs.map((g) => [g.id, g.name]));
    const visible = await this.readableRuns(who, active.filter((r) => names.has(r.graphId)).map((r) => r.id));
    return {
      mode: this.mode,
      runs: active
        .filter((r) => visible.has(r.id))
        .map((r) => ({ ...r, graphName: names.get(r.graphId)!, position: position.get(r.id) ?? null })),
    };
  }

  /** The models the workers have (cluster), or this server's (embedded), for the editor's pickers. */
  async models(): Promise<InstalledModels> {
    if (!this.cluster) return installedModels();
    const ids = new Set((await this.cluster.workers.live()).flatMap((w) => w.capabilities.models.map((m) => m.id)));
    const of = (kind: string) => [...ids].filter((id) => id.startsWith(`${kind}/`)).map((id) => id.slice(kind.length + 1)).sort();
    return { style: of('style'), diffusion: of('diffusion') };
  }
}
