import { z } from 'zod';
import { zCreateShare, zShareBatch, zShareRun, zShareToken } from '../../services/share-service';
import { authedProcedure, publicProcedure, router } from '../trpc';

export const sharesRouter = router({
  /** An editor makes a view or run link; the token is in the answer once. */
  create: authedProcedure.input(zCreateShare).mutation(({ ctx, input }) => ctx.app.shares.create(ctx.viewer, input)),
  list: authedProcedure.input(z.object({ graphId: z.string().min(1).max(64) })).query(({ ctx, input }) => ctx.app.shares.list(ctx.viewer, input.graphId)),
  revoke: authedProcedure.input(z.object({ id: z.string().min(1).max(64) })).mutation(({ ctx, input }) => ctx.app.shares.revoke(ctx.viewer, input.id)),
  /** What a link's page shows; view links need no account. */
  open: publicProcedure.input(zShareToken).query(({ ctx, input }) => ctx.app.shares.open(ctx.viewer, input.token)),
  /** Runs the graph behind a run link for the signed-in caller. */
  run: authedProcedure.input(zShareRun).mutation(({ ctx, input }) => ctx.app.shares.run(ctx.viewer, input)),
  /** A batch through a run link: one run per item, each counted against the caller's hourly limit; followed with batches.get. */
  runBatch: authedProcedure.input(zShareBatch).mutation(({ ctx, input }) => ctx.app.shares.runBatch(ctx.viewer, input)),
});
