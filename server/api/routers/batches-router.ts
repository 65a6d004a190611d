import { zBatchRef } from '../../services/batch-service';
import { authedProcedure, router } from '../trpc';

export const batchesRouter = router({
  /** Progress ("37/120"), counts by status and every item's run with its inputs, outputs and error. */
  get: authedProcedure.input(zBatchRef).query(({ ctx, input }) => ctx.app.batches.get(ctx.viewer, input.batchId)),
  /** Cancels every item still queued or running. */
  cancel: authedProcedure.input(zBatchRef).mutation(({ ctx, input }) => ctx.app.batches.cancel(ctx.viewer, input.batchId)),
});
