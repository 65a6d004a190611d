import { authedProcedure, router } from '../trpc';

export const workersRouter = router({
  /** The workers (remote ones from their heartbeats, or the embedded pool): capabilities, state, current runs the caller may read. */
  list: authedProcedure.query(({ ctx }) => ctx.app.fleet.workers(ctx.viewer)),
  /** Runs waiting and running across the graphs the caller may read, with their place in the queue. */
  queue: authedProcedure.query(({ ctx }) => ctx.app.fleet.queueView(ctx.viewer)),
});
