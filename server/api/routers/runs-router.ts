import { tracked } from '@trpc/server';
import { z } from 'zod';
import { runSavedFiles } from '../../services/run-outputs-zip';
import { zListRuns, zRunRef, zStartBatch, zStartRun } from '../../services/run-service';
import { authedProcedure, router } from '../trpc';

export const runsRouter = router({
  start: authedProcedure.input(zStartRun).mutation(({ ctx, input }) => ctx.app.runs.start(ctx.viewer, input)),
  /** One pipeline over many inputs: a batch with a run per item. */
  startBatch: authedProcedure.input(zStartBatch).mutation(({ ctx, input }) => ctx.app.runs.startBatch(ctx.viewer, input)),
  cancel: authedProcedure.input(zRunRef).mutation(({ ctx, input }) => ctx.app.runs.cancel(ctx.viewer, input.runId)),
  get: authedProcedure.input(zRunRef).query(({ ctx, input }) => ctx.app.runs.get(ctx.viewer, input.runId)),
  list: authedProcedure.input(zListRuns).query(({ ctx, input }) => ctx.app.runs.list(ctx.viewer, input)),
  /** The files the run's nodes saved (Save image: the PNGs that carry the graph), to download by name. */
  savedFiles: authedProcedure.input(zRunRef).query(async ({ ctx, input }) => {
    await ctx.app.runs.get(ctx.viewer, input.runId);
    return runSavedFiles(ctx.app, input.runId);
  }),
  /**
   * The run's events over server-sent events: everything after lastEventId (a
   * reconnecting client resumes where it left off), then live ones until the run ends.
   * Access is checked before the stream is returned, so a refusal passes the error
   * boundary and arrives as its own code (NOT_FOUND, FORBIDDEN), not as an internal error.
   */
  events: authedProcedure
    .input(zRunRef.extend({ lastEventId: z.string().regex(/^\d{1,9}$/).nullish() }))
    .subscription(async ({ ctx, input, signal }) => {
      const after = input.lastEventId ? Number(input.lastEventId) : 0;
      const events = await ctx.app.runs.events(ctx.viewer, input.runId, after, signal);
      return (async function* () {
        for await (const { seq, event } of events) yield tracked(String(seq), event);
      })();
    }),
});
