import { roleAllows } from '../access/roles';
import type { PrismaClient } from '../db/generated/client';
import { flattenPipelines, pipelinePathSeparator, type PipelineResolver } from '../engine/flatten-pipelines';
import type { ValidationError } from '../engine/validation-error';
import { roleFor } from './access';
import type { Viewer } from './viewer';

/** Resolves pipeline references for one caller: a version of a graph they may read, else a typed error. */
export function pipelineResolver(prisma: PrismaClient, who: Viewer): PipelineResolver {
  return async ({ graphId, version }) => {
    const graph = await prisma.graph.findUnique({ where: { id: graphId }, select: { ownerUserId: true, ownerTeamId: true, deletedAt: true } });
    const role = graph && !graph.deletedAt ? await roleFor(prisma, who, graph) : undefined;
    if (!graph || graph.deletedAt || !roleAllows(role, 'graph.read')) {
      // Graphs the caller may not read look the same as missing ones.
      return { ok: false, code: 'pipeline_not_found', message: `pipeline ${graphId} not found (or you may not read it)` };
    }
    const found = await prisma.graphVersion.findUnique({ where: { graphId_number: { graphId, number: version } }, select: { document: true } });
    if (!found) return { ok: false, code: 'pipeline_not_found', message: `pipeline ${graphId} has no version ${version}` };
    return { ok: true, document: found.document };
  };
}

/** Flattens a document's pipeline nodes for the caller (see flattenPipelines). */
export function flattenFor(prisma: PrismaClient, who: Viewer, document: unknown, graphId?: string) {
  return flattenPipelines(document, pipelineResolver(prisma, who), { rootGraphId: graphId });
}

/** Problems found in a flattened document, moved onto the pipeline node that holds the inner node. */
export function onOuterNodes(errors: ValidationError[]): ValidationError[] {
  return errors.map((e) => {
    if (!e.nodeId?.includes(pipelinePathSeparator)) return e;
    const [outer, ...inner] = e.nodeId.split(pipelinePathSeparator);
    return { ...e, nodeId: outer!, message: `inside the pipeline, node ${inner.join(pipelinePathSeparator)}: ${e.message}` };
  });
}
