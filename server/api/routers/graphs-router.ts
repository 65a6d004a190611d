import { z } from 'zod';
import { authedProcedure, router } from '../trpc';
import {
  createGraph,
  deleteGraph,
  diffVersions,
  duplicateGraph,
  getGraph,
  listGraphs,
  listVersions,
  moveGraph,
  restoreVersion,
  saveVersion,
  updateGraph,
  zCreateGraph,
  zGraphId,
  zListGraphs,
  zSaveVersion,
  zUpdateGraph,
} from '../../services/graph-service';

const zGraphRef = z.object({ graphId: zGraphId });

export const graphsRouter = router({
  list: authedProcedure.input(zListGraphs).query(({ ctx, input }) => listGraphs(ctx.app.db.prisma, ctx.viewer, input)),
  get: authedProcedure
    .input(zGraphRef.extend({ version: z.number().int().min(1).optional() }))
    .query(({ ctx, input }) => getGraph(ctx.app.db.prisma, ctx.viewer, input.graphId, input.version)),
  create: authedProcedure.input(zCreateGraph).mutation(({ ctx, input }) => createGraph(ctx.app.db.prisma, ctx.viewer, input)),
  save: authedProcedure.input(zSaveVersion).mutation(({ ctx, input }) => saveVersion(ctx.app.db.prisma, ctx.viewer, input)),
  update: authedProcedure.input(zUpdateGraph).mutation(({ ctx, input }) => updateGraph(ctx.app.db.prisma, ctx.viewer, input)),
  delete: authedProcedure.input(zGraphRef).mutation(async ({ ctx, input }) => {
    await deleteGraph(ctx.app.db.prisma, ctx.viewer, input.graphId);
    return { ok: true };
  }),
  duplicate: authedProcedure
    .input(zGraphRef.extend({ name: z.string().trim().min(1).max(200).optional(), teamId: z.string().max(64).optional() }))
    .mutation(({ ctx, input }) => duplicateGraph(ctx.app.db.prisma, ctx.viewer, input)),
  move: authedProcedure
    .input(zGraphRef.extend({ teamId: z.string().min(1).max(64).nullable() }))
    .mutation(({ ctx, input }) => moveGraph(ctx.app.db.prisma, ctx.viewer, input)),
  diff: authedProcedure
    .input(zGraphRef.extend({ from: z.number().int().min(1), to: z.number().int().min(1) }))
    .query(({ ctx, input }) => diffVersions(ctx.app.db.prisma, ctx.viewer, input)),
  versions: authedProcedure.input(zGraphRef).query(({ ctx, input }) => listVersions(ctx.app.db.prisma, ctx.viewer, input.graphId)),
  restore: authedProcedure
    .input(zGraphRef.extend({ number: z.number().int().min(1), baseVersion: z.number().int().min(0) }))
    .mutation(({ ctx, input }) => restoreVersion(ctx.app.db.prisma, ctx.viewer, input)),
});
