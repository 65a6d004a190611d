import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Prisma, PrismaClient } from '../db/generated/client';
import { AppError } from './app-error';
import { authorizeGraph, requireViewer } from './access';
import { pipelinePorts } from './pipelines';
import { documentImageHashes, uploadNamesOf } from './upload-names';
import { zStartBatch, type RunService, type ViaLink } from './run-service';
import type { Viewer } from './viewer';

export const zCreateShare = z.object({
  graphId: z.string().min(1).max(64),
  /** view: read-only canvas and outputs, no account needed; run: the app-mode page, signed-in users only. */
  kind: z.enum(['view', 'run']),
  expiresInDays: z.number().int().min(1).max(365).optional(),
});
export const zShareToken = z.object({ token: z.string().regex(/^pws_[A-Za-z0-9_-]{32}$/, 'not a share link token') });
export const zShareRun = zShareToken.extend({ inputs: z.record(z.string(), z.json()).default({}) });
/** A batch through a run link: the head version over the given input sets, each item counted as a run of the link. */
export const zShareBatch = zShareToken.extend({ items: zStartBatch.shape.items });

/** Runs one person may start through one run link per hour (PIXELWIRE_SHARE_RUNS_PER_HOUR). */
const defaultRunsPerHour = 30;
/** Advisory locks taken as (class, hash of key), like the sign-in limiter's ("PWSI"): "PWSL", one per (link, caller). */
const lockClass = 0x5057534c;

const linkSelect = { id: true, graphId: true, kind: true, expiresAt: true, revokedAt: true, uses: true, createdAt: true, createdBy: { select: { id: true, name: true } } } as const;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Share links: an editor makes a revocable link (optionally expiring) to one graph.
 * A view link shows the head version read-only with its latest outputs to anyone with
 * the link; a run link shows a form built from the declared inputs and runs the graph
 * for signed-in users, counted and rate-limited. Tokens are shown once and stored hashed;
 * an unknown, revoked or expired token, or one of a deleted graph, is simply not found.
 */
export class ShareService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly runs: RunService,
    private readonly runsPerHour = Number(process.env.PIXELWIRE_SHARE_RUNS_PER_HOUR) || defaultRunsPerHour,
  ) {}

  async create(viewer: Viewer | null, input: z.infer<typeof zCreateShare>) {
    const { viewer: who } = await authorizeGraph(this.prisma, viewer, input.graphId, 'graph.write');
    const token = `pws_${randomBytes(24).toString('base64url')}`;
    const link = await this.prisma.shareLink.create({
      data: {
        graphId: input.graphId,
        kind: input.kind,
        tokenHash: hashToken(token),
        createdById: who.userId,
        expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
      },
      select: linkSelect,
    });
    return { link, token, path: `/s/${token}` };
  }

  async list(viewer: Viewer | null, graphId: string) {
    await authorizeGraph(this.prisma, viewer, graphId, 'graph.write');
    return this.prisma.shareLink.findMany({ where: { graphId }, select: linkSelect, orderBy: { createdAt: 'desc' } });
  }

  async revoke(viewer: Viewer | null, id: string) {
    requireViewer(viewer);
    const link = await this.prisma.shareLink.findUnique({ where: { id }, select: { graphId: true } });
    if (!link) throw new AppError('NOT_FOUND', 'share link not found');
    await authorizeGraph(this.prisma, viewer, link.graphId, 'graph.write');
    return this.prisma.shareLink.update({ where: { id }, data: { revokedAt: new Date() }, select: linkSelect });
  }

  /** The link behind a token while it is usable; anything else is NOT_FOUND. */
  private async resolve(token: string) {
    const link = await this.prisma.shareLink.findUnique({
      where: { tokenHash: hashToken(token) },
      select: { id: true, kind: true, graphId: true, expiresAt: true, revokedAt: true, createdById: true, graph: { select: { deletedAt: true } } },
    });
    if (!link || link.revokedAt || link.graph.deletedAt || (link.expiresAt && link.expiresAt.getTime() <= Date.now()) || !link.createdById) {
      throw new AppError('NOT_FOUND', 'this link does not exist, was revoked or has expired');
    }
    return link;
  }

  /**
   * What the link's page shows: view links the head document, the file names of the images
   * its nodes read (from uploads of the link's creator or the graph's owner, and only those
   * images) and the latest succeeded run's outputs (to anyone); run links the declared inputs
   * for the form (signed-in only).
   */
  async open(viewer: Viewer | null, token: string) {
    const link = await this.resolve(token);
    if (link.kind === 'run' && !viewer) throw new AppError('UNAUTHORIZED', 'sign in to run this graph');
    const graph = await this.prisma.graph.findUniqueOrThrow({
      where: { id: link.graphId },
      select: { name: true, description: true, ownerUserId: true, ownerTeamId: true, headVersion: { select: { number: true, document: true } } },
    });
    if (!graph.headVersion) throw new AppError('NOT_FOUND', 'this graph has no saved version');
    const base = { kind: link.kind, name: graph.name, description: graph.description, version: graph.headVersion.number };
    if (link.kind === 'run') {
      const left = Math.max(0, this.runsPerHour - (await this.recentRuns(link.id, requireViewer(viewer).userId)));
      return { ...base, ...pipelinePorts(graph.headVersion.document), limit: { runsPerHour: this.runsPerHour, left } };
    }
    const latest = await this.prisma.run.findFirst({
      where: { graphId: link.graphId, status: 'succeeded' },
      orderBy: { createdAt: 'desc' },
      select: { id: true, outputs: true, finishedAt: true },
    });
    const owners = { userIds: [link.createdById!, ...(graph.ownerUserId ? [graph.ownerUserId] : [])], teamId: graph.ownerTeamId };
    const imageNames = await uploadNamesOf(this.prisma, documentImageHashes(graph.headVersion.document), owners);
    return { ...base, document: graph.headVersion.document, latestRun: latest, imageNames };
  }

  /** Runs the caller started through the link in the last hour (a batch's items count one each). */
  private recentRuns(linkId: string, userId: string, db: Prisma.TransactionClient = this.prisma) {
    return db.run.count({ where: { shareLinkId: linkId, createdById: userId, createdAt: { gt: new Date(Date.now() - 3_600_000) } } });
  }

  /** TOO_MANY_REQUESTS unless the caller may start `count` more runs through the link this hour. */
  private async checkLimit(linkId: string, userId: string, count: number, db: Prisma.TransactionClient = this.prisma) {
    const left = Math.max(0, this.runsPerHour - (await this.recentRuns(linkId, userId, db)));
    if (left === 0) throw new AppError('TOO_MANY_REQUESTS', `at most ${this.runsPerHour} runs an hour through one link; try again later`, { runsPerHour: this.runsPerHour, left });
    if (count > left) {
      throw new AppError('TOO_MANY_REQUESTS', `a batch of ${count} is more than the ${left} runs this link allows you for the next hour (at most ${this.runsPerHour} an hour, each item counts)`, {
        runsPerHour: this.runsPerHour,
        left,
      });
    }
  }

  /**
   * A run link the signed-in caller may start `count` runs through: its creator (whose access the saved
   * document's images are checked against), the link, and the admission the run service calls in the transaction
   * that records the runs. The hourly limit per person is checked here, to refuse early (before any item is
   * checked), and again in that transaction under a lock on (link, caller), so calls racing each other are
   * counted one after another and never start more than the limit; TOO_MANY_REQUESTS past it.
   */
  private async admit(viewer: Viewer | null, token: string, count: number) {
    const who = requireViewer(viewer);
    const link = await this.resolve(token);
    if (link.kind !== 'run') throw new AppError('FORBIDDEN', 'this link only shows the graph; it cannot run it');
    await this.checkLimit(link.id, who.userId, count);
    const creator = await this.prisma.user.findUniqueOrThrow({ where: { id: link.createdById! }, select: { id: true, email: true, name: true } });
    const createdBy: Viewer = { userId: creator.id, email: creator.email, name: creator.name, via: 'session' };
    const shared: ViaLink = {
      linkId: link.id,
      createdBy,
      admit: async (tx, n) => {
        // Held until the transaction ends: the next call of this caller through this link counts these runs.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${lockClass}::int4, hashtext(${`${link.id}:${who.userId}`}))`;
        await this.checkLimit(link.id, who.userId, n, tx);
        await tx.shareLink.update({ where: { id: link.id }, data: { uses: { increment: n } } });
      },
    };
    return { who, link, shared };
  }

  /** Starts a run through a run link for a signed-in caller; their inputs are checked against their own access. */
  async run(viewer: Viewer | null, input: z.infer<typeof zShareRun>) {
    const { who, link, shared } = await this.admit(viewer, input.token, 1);
    return this.runs.launch(who, { graphId: link.graphId, inputs: input.inputs }, shared);
  }

  /**
   * A batch through a run link: the head version once per item, with the same checks as a run of the link;
   * every item counts against the caller's hourly limit, and a batch larger than what is left is refused
   * whole (nothing starts). The caller may follow and cancel the batch and its runs (batches.get), nothing else.
   */
  async runBatch(viewer: Viewer | null, input: z.infer<typeof zShareBatch>) {
    const { who, link, shared } = await this.admit(viewer, input.token, input.items.length);
    return this.runs.launchBatch(who, { graphId: link.graphId, items: input.items }, shared);
  }

  /** A file of a view link's graph: an output or preview of one of its runs. */
  async file(token: string, sha256: string): Promise<{ mediaType: string }> {
    const link = await this.resolve(token);
    if (link.kind !== 'view' || !/^[0-9a-f]{64}$/.test(sha256)) throw new AppError('NOT_FOUND', 'file not found');
    const row = await this.prisma.artifact.findFirst({ where: { sha256, run: { graphId: link.graphId, status: 'succeeded' } }, select: { mediaType: true } });
    if (!row) throw new AppError('NOT_FOUND', 'file not found');
    return row;
  }
}
