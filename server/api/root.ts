import { authRouter, tokensRouter } from './routers/auth-router';
import { artifactsRouter, catalogueRouter } from './routers/catalogue-router';
import { graphsRouter } from './routers/graphs-router';
import { runsRouter } from './routers/runs-router';
import { teamsRouter } from './routers/teams-router';
import { workersRouter } from './routers/workers-router';
import { sharesRouter } from './routers/shares-router';
import { batchesRouter } from './routers/batches-router';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  tokens: tokensRouter,
  graphs: graphsRouter,
  runs: runsRouter,
  teams: teamsRouter,
  catalogue: catalogueRouter,
  artifacts: artifactsRouter,
  workers: workersRouter,
  shares: sharesRouter,
  batches: batchesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
