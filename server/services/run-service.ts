import { z } from 'zod';
import { builtinRegistry } from '../../nodes/registry';
import { roleAllows } from '../access/roles';
import type { ServerConfig } from '../config';
import type { Prisma, PrismaClient } from '../db/generated/client';
import { validateDocument } from '../../engine/validate';
import { graphInputValues } from '../../engine/resolve-params';
import type { RunQueue } from '../runs/run-queue';
import { defaultRunTimeoutS } from '../runs/run-deadline';
import { bareOutcome, type RunOutcome } from '../runs/run-outcome';
import type { WireEvent } from '../runs/wire-events';
import { toJson } from '../runs/summarise-outputs';
import { AppError } from './app-error';
import { authorizeGraph, requireViewer, roleFor } from './access';
import { jobInputsFor, readableArtifacts } from './run-input-access';
import { RunEventLog, type LoggedEvent } from './run-event-log';
import { flattenFor, onOuterNodes } from './pipelines';
import type { RunEventStream } from '../ports/run-event-stream';
import { runRequirements, type RunRequirements } from '../runs/run-requirements';
import { artifactsOf } from './event-artifacts';
import type { Viewer } from './viewer';
import { decodeCursor, encodeCursor, zCursor } from './list-cursor';
import { checkDocumentSize } from './document-size';

export const zStartRun = z.object({
  graphId: z.string().min(1).max(64),
  /** Version number to run (or that `document` was edited from); the head version when absent. */
  version: z.number().int().min(1).optional(),
  /**
   * What to run instead of the version as saved: the canvas as it is now (unsaved edits, a
   * runner's changed params). Stored with the run; no version is made. Needs the same role as
   * running the version (runner).
   */
  document: z.unknown().optional(),
  /** Graph inputs by name: image inputs take an artifact id (or sha256) the caller may read; others their value. */
  inputs: z.record(z.string(), z.json()).default({}),
});
/** What a server with remote workers adds to the run service. */
export interface RunServiceCluster {
  /** The shared event stream workers write to. */
  events: RunEventStream;
  /** Refuses a run no connected worker can take (throws AppError). */
  route?: (requires: RunRequirements) => Promise<void>;
  /** Tells when a worker takes a run. */
  onStarted?: (listener: (runId: string) => void) => () => void;
}

/**
 * A launch through a run link (ShareService): the link, the person who made it, and its admission, which runs
 * inside the transaction that records the runs, before any is written, and throws to refuse them all.
 */
export interface ViaLink {
  linkId: string;
  /** What the saved document itself reads is checked against the link's creator. */
  createdBy: Viewer;
  admit(tx: Prisma.TransactionClient, count: number): Promise<void>;
}

/** Items one batch may hold. */
export const maxBatchItems = 500;

export const zStartBatch = zStartRun.omit({ inputs: true }).extend({
  /** One set of graph inputs per item (an image input takes an upload id or sha256). */
  items: z.array(z.object({ inputs: z.record(z.string(), z.json()).default({}) })).min(1).max(maxBatchItems),
});

export const zRunRef = z.object({ runId: z.string().min(1).max(64) });
export const zListRuns = z.object({
  graphId: z.string().min(1).max(64),
  limit: z.number().int().min(1).max(100).default(20),
  /** nextCursor of the previous page (opaque). */
  cursor: zCursor.optional(),
});

const runSelect = {
  id: true,
  graphId: true,
  status: true,
  inputs: true,
  outputs: true,
  error: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  createdById: true,
  workerId: true,
  models: true,
  version: { select: { id: true, number: true } },
} satisfies Prisma.RunSelect;

/**
 * Runs as the server sees them: checked and recorded in the database, executed
 * by the queue, their events logged and streamed to every watcher.
 */
export class RunService {
  readonly log: RunEventLog;
  /** Where watchers read events: the log above, or the queue's shared stream (Redis). */
  readonly eventStream: RunEventStream;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly settling = new Set<Promise<void>>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly queue: RunQueue,
    private readonly config: ServerConfig,
    private readonly cluster?: RunServiceCluster,
  ) {
    this.log = new RunEventLog(prisma);
    this.eventStream = cluster?.events ?? this.log;
    if (cluster?.onStarted) this.unsubscribe.push(cluster.onStarted((runId) => this.markRunning(runId)));
    this.unsubscribe.push(
      queue.onEvent((runId, event) => this.onEvent(runId, event)),
      queue.onSettled((runId, outcome) => {
        const done = this.onSettled(runId, outcome).catch((error) => console.error('[pixelwire] could not record run outcome', runId, error));
        this.settling.add(done);
        void done.finally(() => this.settling.delete(done));
      }),
    );
  }

  /**
   * At start-up: runs the database shows active are handed to the queue to
   * reconcile. A durable queue settles those it finished meanwhile and keeps
   * running the others; runs no queue knows (the in-process pool of a server that
   * stopped) can never finish: they are marked interrupted, and their event log
   * ends with run.finished like every run's.
   */
  async recover(): Promise<number> {
    const active = await this.prisma.run.findMany({ where: { status: { in: ['queued', 'running'] } }, select: { id: true } });
    if (active.length === 0) return 0;
    const lost = await this.queue.reconcile(active.map((r) => r.id));
    const error = { code: 'interrupted', message: 'the server stopped while this run was active, and no worker holds it' };
    for (const runId of lost) {
      const { count } = await this.prisma.run.updateMany({
        where: { id: runId, status: { in: ['queued', 'running'] } },
        data: { status: 'interrupted', finishedAt: new Date(), error },
      });
      if (count === 0) continue;
      await this.eventStream.persist(runId);
      const last = await this.prisma.runEvent.findFirst({ where: { runId }, orderBy: { seq: 'desc' }, select: { seq: true, payload: true } });
      const lastEvent = last?.payload as WireEvent | undefined;
      const attempt = Math.max(1, lastEvent?.attempt ?? 1);
      const finished: WireEvent = {
        type: 'run.finished',
        attempt,
        seq: lastEvent && lastEvent.attempt === attempt ? lastEvent.seq + 1 : 1,
        t: 0,
        status: 'failed',
        durationMs: 0,
        outputs: {},
        errors: [{ nodeId: null, ...error }],
      };
      await this.prisma.runEvent.createMany({ data: [{ runId, seq: (last?.seq ?? 0) + 1, type: finished.type, payload: finished as Prisma.InputJsonValue }], skipDuplicates: true });
      await this.eventStream.end(runId);
    }
    return lost.length;
  }

  private markRunning(runId: string): void {
    void this.prisma.run
      .updateMany({ where: { id: runId, status: 'queued' }, data: { status: 'running', startedAt: new Date() } })
      .catch((error) => console.error('[pixelwire] could not mark run running', runId, error));
  }

  async start(viewer: Viewer | null, input: z.infer<typeof zStartRun>) {
    const { viewer: who } = await authorizeGraph(this.prisma, viewer, input.graphId, 'run.start');
    return this.launch(who, input);
  }

  /**
   * Starts a run for `who`, already allowed to. Through a share link (`shared`), the caller has
   * no role on the graph: what the saved document itself reads is checked against the link's
   * creator, what the caller gives (inputs) against the caller.
   */
  async launch(who: Viewer, input: z.infer<typeof zStartRun>, shared?: ViaLink) {
    const prepared = await this.prepare(who, input, shared);
    const item = await prepared.item(input.inputs);
    const { runs } = await this.commit(who, prepared, [item], shared, async () => undefined);
    return runs[0]!;
  }

  /**
   * Runs one pipeline over many inputs: every item is checked first (nothing starts when
   * one is refused: the error names the item), then a batch and one run per item are made;
   * the queue spreads them over its workers.
   */
  async startBatch(viewer: Viewer | null, input: z.infer<typeof zStartBatch>) {
    const { viewer: who } = await authorizeGraph(this.prisma, viewer, input.graphId, 'run.start');
    return this.launchBatch(who, input);
  }

  /**
   * Starts a batch for `who`, already allowed to. Through a run link (`shared`) each item is checked like a
   * run of that link (the saved document's images against the link's creator, the inputs against the caller),
   * and the batch and its runs record the link: the caller may follow and cancel them and nothing else.
   */
  async launchBatch(who: Viewer, input: z.infer<typeof zStartBatch>, shared?: ViaLink) {
    const prepared = await this.prepare(who, { ...input, inputs: {} }, shared);
    const items = [];
    for (const [index, item] of input.items.entries()) {
      try {
        items.push(await prepared.item(item.inputs));
      } catch (error) {
        if (error instanceof AppError) throw new AppError(error.code, `item ${index + 1}: ${error.message}`, { ...error.details, item: index });
        throw error;
      }
    }
    return this.commit(who, prepared, items, shared, (tx) =>
      tx.batch.create({
        data: { graphId: input.graphId, createdById: who.userId, total: items.length, ...(shared ? { shareLinkId: shared.linkId } : {}) },
        select: { id: true, total: true, createdAt: true },
      }),
    );
  }

  /** Everything about a run that does not depend on its inputs: the version, the flattened and validated plan. */
  private async prepare(who: Viewer, input: Omit<z.infer<typeof zStartRun>, 'inputs'> & { inputs: Record<string, unknown> }, shared?: ViaLink) {
    if (input.document !== undefined) checkDocumentSize(input.document);
    const version = await this.prisma.graphVersion.findFirst({
      where: input.version !== undefined ? { graphId: input.graphId, number: input.version } : { headOf: { id: input.graphId } },
      select: { id: true, number: true, document: true },
    });
    if (!version) throw new AppError('NOT_FOUND', `version ${input.version ?? 'head'} not found`);
    const given = input.document !== undefined;
    // Pipeline nodes become the nodes of the versions they name (each checked for this caller), so the job is self-contained.
    const flat = await flattenFor(this.prisma, who, given ? input.document : version.document, input.graphId);
    if (!flat.ok) throw new AppError('BAD_REQUEST', `the graph cannot run: ${flat.errors[0]?.message}`, { validationErrors: flat.errors });
    const validated = validateDocument(flat.document, builtinRegistry);
    if (!validated.ok) {
      const errors = onOuterNodes(validated.errors);
      throw new AppError('BAD_REQUEST', `the graph cannot run: ${errors[0]?.message}`, { validationErrors: errors });
    }
    const plan = validated.plan;
    return {
      graphId: input.graphId,
      versionId: version.id,
      provenance: { graphId: input.graphId, version: version.number, ...(given ? { edited: true } : {}) },
      given: given ? input.document : undefined,
      jobDocument: toJson(given || flat.pipelines.length > 0 ? plan.document : version.document),
      /** Checks one set of inputs: job inputs, readable artifacts, worker requirements (routed). */
      item: async (inputs: Record<string, unknown>) => {
        const jobInputs = await jobInputsFor(this.prisma, who, plan.document.inputs, inputs);
        const artifacts = await readableArtifacts(this.prisma, who, plan, inputs, jobInputs, shared?.createdBy ?? who);
        const requires = runRequirements(plan, graphInputValues(plan.document.inputs, inputs));
        await this.cluster?.route?.(requires);
        return { inputs, jobInputs, artifacts, requires };
      },
    };
  }

  /**
   * Records the runs (and the batch `openBatch` makes, if any) in one transaction, a run link's admission first,
   * and hands their jobs to the queue once it has committed: a refused admission writes nothing, and no job names
   * a row that is not there.
   */
  private async commit<Batch extends { id: string } | undefined>(
    who: Viewer,
    prepared: Awaited<ReturnType<RunService['prepare']>>,
    items: Awaited<ReturnType<Awaited<ReturnType<RunService['prepare']>>['item']>>[],
    shared: ViaLink | undefined,
    openBatch: (tx: Prisma.TransactionClient) => Promise<Batch>,
  ) {
    const { batch, runs } = await this.prisma.$transaction(
      async (tx) => {
        await shared?.admit(tx, items.length);
        const batch = await openBatch(tx);
        const runs = [];
        for (const item of items) {
          runs.push(
            await tx.run.create({
              data: {
                graphId: prepared.graphId,
                versionId: prepared.versionId,
                inputs: item.inputs as Prisma.InputJsonValue,
                createdById: who.userId,
                ...(shared ? { shareLinkId: shared.linkId } : {}),
                ...(batch ? { batchId: batch.id } : {}),
                ...(prepared.given !== undefined ? { document: toJson(prepared.given) as Prisma.InputJsonValue } : {}),
              },
              select: runSelect,
            }),
          );
        }
        return { batch, runs };
      },
      // A batch of maxBatchItems rows on a busy machine takes seconds, more than Prisma's 5 s default allows.
      { maxWait: 10_000, timeout: 60_000 },
    );
    for (const [index, run] of runs.entries()) {
      const item = items[index]!;
      if (this.eventStream === this.log) this.log.open(run.id);
      try {
        await this.queue.enqueue({
          runId: run.id,
          document: prepared.jobDocument,
          inputs: item.jobInputs,
          artifacts: item.artifacts,
          provenance: prepared.provenance,
          limits: { maxPixels: this.config.maxPixels, runTimeoutMs: (this.config.runTimeoutS ?? defaultRunTimeoutS) * 1000 },
          previewMaxSide: this.config.previewMaxSide,
        }, item.requires);
      } catch (error) {
        // Their rows are committed: runs the queue did not take fail now rather than stay queued for ever.
        const notQueued = { nodeId: null, code: 'not_queued', message: 'the run could not be queued' };
        for (const left of runs.slice(index)) await this.onSettled(left.id, bareOutcome(left.id, 'failed', 0, [notQueued]));
        throw error;
      }
    }
    return { batch, runs };
  }

  private async authorizeRun(viewer: Viewer | null, runId: string, action: 'run.read' | 'run.cancel') {
    const who = requireViewer(viewer);
    const run = await this.prisma.run.findUnique({
      where: { id: runId },
      select: { ...runSelect, shareLinkId: true, graph: { select: { ownerUserId: true, ownerTeamId: true, deletedAt: true } } },
    });
    if (!run || run.graph.deletedAt) throw new AppError('NOT_FOUND', 'run not found');
    const { graph: _graph, shareLinkId, ...rest } = run;
    // Whoever started a run through a share link may follow and cancel that run (and no other).
    if (shareLinkId && run.createdById === who.userId) return rest;
    const role = await roleFor(this.prisma, who, run.graph);
    if (!roleAllows(role, 'run.read')) throw new AppError('NOT_FOUND', 'run not found');
    if (!roleAllows(role, action)) throw new AppError('FORBIDDEN', `your role (${role}) may not do ${action}`);
    return rest;
  }

  async get(viewer: Viewer | null, runId: string) {
    const run = await this.authorizeRun(viewer, runId, 'run.read');
    const { document } = await this.prisma.run.findUniqueOrThrow({ where: { id: runId }, select: { document: true } });
    const nodes = await this.prisma.runNode.findMany({
      where: { runId },
      select: { nodeId: true, status: true, durationMs: true, cacheKey: true, error: true },
      orderBy: { nodeId: 'asc' },
    });
    return { ...run, document, nodes };
  }

  async list(viewer: Viewer | null, input: z.infer<typeof zListRuns>) {
    await authorizeGraph(this.prisma, viewer, input.graphId, 'run.read');
    // The page after a position (createdAt, id), never a lookup of the cursor's id: see list-cursor.ts.
    const from = input.cursor ? decodeCursor(input.cursor) : undefined;
    const items = await this.prisma.run.findMany({
      where: { graphId: input.graphId, ...(from ? { OR: [{ createdAt: { lt: from.at } }, { createdAt: from.at, id: { lt: from.id } }] } : {}) },
      select: runSelect,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: input.limit + 1,
    });
    const more = items.length > input.limit;
    if (more) items.pop();
    const last = items.at(-1);
    const nextCursor = more && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null;
    return { items, nextCursor };
  }

  async cancel(viewer: Viewer | null, runId: string) {
    const run = await this.authorizeRun(viewer, runId, 'run.cancel');
    if (run.status !== 'queued' && run.status !== 'running') return { cancelled: false, status: run.status };
    const accepted = await this.queue.cancel(runId);
    return { cancelled: accepted, status: run.status };
  }

  /** The run's events after `afterSeq`, then live ones until it ends: for subscriptions and SSE. */
  async events(viewer: Viewer | null, runId: string, afterSeq: number, signal?: AbortSignal): Promise<AsyncGenerator<LoggedEvent>> {
    await this.authorizeRun(viewer, runId, 'run.read');
    return this.eventStream.follow(runId, afterSeq, signal);
  }

  private onEvent(runId: string, event: WireEvent): void {
    this.log.append(runId, event, artifactsOf(event));
    if (event.type === 'run.started' && event.attempt === 1) this.markRunning(runId);
  }

  private async onSettled(runId: string, outcome: RunOutcome): Promise<void> {
    // Record the outcome before watchers see the stream end: a client that refetches the
    // run when its stream closes must find it settled, not still running.
    try {
      await this.eventStream.persist(runId);
      await this.recordOutcome(runId, outcome);
    } finally {
      await this.eventStream.end(runId);
    }
  }

  private async recordOutcome(runId: string, outcome: RunOutcome): Promise<void> {
    const errors = outcome.errors;
    await this.prisma.$transaction([
      this.prisma.run.updateMany({
        where: { id: runId, status: { in: ['queued', 'running'] } },
        data: {
          status: outcome.status,
          outputs: outcome.outputs as Prisma.InputJsonValue,
          ...(outcome.models ? { models: outcome.models as Prisma.InputJsonValue } : {}),
          error: errors.length > 0 ? ({ errors } as Prisma.InputJsonValue) : undefined,
          finishedAt: new Date(),
        },
      }),
      this.prisma.runNode.createMany({
        data: Object.entries(outcome.nodes).map(([nodeId, node]) => ({
          runId,
          nodeId,
          status: node.status,
          cacheKey: node.cacheKey ?? null,
          durationMs: node.durationMs === undefined ? null : Math.round(node.durationMs),
          error: (errors.find((e) => e.nodeId === nodeId) as Prisma.InputJsonValue | undefined) ?? undefined,
        })),
        skipDuplicates: true,
      }),
    ]);
  }

  /** Waits until every settled run is recorded; then closes the log. */
  async close(): Promise<void> {
    for (const off of this.unsubscribe) off();
    await Promise.all([...this.settling]);
    await this.log.close();
    if (this.eventStream !== this.log) await this.eventStream.close();
  }
}
