import { z } from 'zod';
import { installedDiffusionFacts } from '../../../nodes/_impl/diffusion/model-facts';
import { nodeCatalogue } from '../../../nodes/catalogue';
import { builtinRegistry } from '../../../nodes/registry';
import { getArtifactInfo } from '../../services/artifact-service';
import { contentInfo } from '../../services/upload-names';
import { validateDocument } from '../../../engine/validate';
import { listPipelines } from '../../services/pipelines';
import { authedProcedure, router } from '../trpc';

const catalogue = nodeCatalogue(builtinRegistry);

export const catalogueRouter = router({
  /** Every node type with its ports and params as JSON Schema. */
  nodes: authedProcedure.query(() => catalogue),
  /** Names of the installed models per kind (style, diffusion), for the editor's model pickers: the workers' models when runs go to remote workers. */
  models: authedProcedure.query(({ ctx }) => ctx.app.fleet.models()),
  /**
   * What the editor needs of each diffusion model installed beside this server (pixel or latent,
   * class or text conditioning, class labels), to show the params that apply and a class picker.
   * Models only remote workers have are not listed: the editor then shows every param.
   */
  diffusionModels: authedProcedure.query(() => installedDiffusionFacts()),
  /** Saved graphs the caller may use as pipeline nodes, with the ports of their head version. */
  pipelines: authedProcedure.query(({ ctx }) => listPipelines(ctx.app.db.prisma, ctx.viewer)),
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
  /** The file name and size of an image a param names by sha256, for content the viewer may use (NOT_FOUND otherwise). */
  content: authedProcedure
    .input(z.object({ sha256: z.string().length(64) }))
    .query(({ ctx, input }) => contentInfo(ctx.app.db.prisma, ctx.viewer, input.sha256)),
});
