import { z } from 'zod';
import { nodeCatalogue } from '../../../nodes/catalogue';
import { installedModels } from '../../../nodes/_impl/models/installed-models';
import { builtinRegistry } from '../../../nodes/registry';
import { getArtifactInfo } from '../../services/artifact-service';
import { validateDocument } from '../../engine/validate';
import { authedProcedure, router } from '../trpc';

const catalogue = nodeCatalogue(builtinRegistry);

export const catalogueRouter = router({
  /** Every node type with its ports and params as JSON Schema. */
  nodes: authedProcedure.query(() => catalogue),
  /** Names of the installed models per kind (style, diffusion), for the editor's model pickers. */
  models: authedProcedure.query(() => installedModels()),
  /** Structured validation of a document without saving it. */
  validate: authedProcedure.input(z.object({ document: z.unknown() })).query(({ input }) => {
    const result = validateDocument(input.document, builtinRegistry);
    return result.ok ? { valid: true as const, errors: [] } : { valid: false as const, errors: result.errors };
  }),
});

export const artifactsRouter = router({
  get: authedProcedure
    .input(z.object({ id: z.string().min(1).max(64) }))
    .query(({ ctx, input }) => getArtifactInfo(ctx.app.db.prisma, ctx.viewer, input.id)),
});
