import { roleAllows } from '../access/roles';
import type { PrismaClient } from '../db/generated/client';
import { flattenPipelines, pipelinePathSeparator, type PipelineResolver } from '../../engine/flatten-pipelines';
import type { ValidationError } from '../../engine/validation-error';
import { requireViewer, roleFor, teamRoles } from './access';
import { zGraphDocument } from '../../engine/graph-document';
import { upgradeDocument } from '../../engine/migrations';
import type { JsonValue } from '../../nodes/ports';
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

/** A graph's ports as a pipeline node shows them: its graph inputs and outputs. */
export function pipelinePorts(document: unknown) {
  const parsed = zGraphDocument.safeParse(safeUpgrade(document));
  if (!parsed.success) return { inputs: [], outputs: [] };
  return {
    inputs: parsed.data.inputs.map((i) => ({
      name: i.name,
      kind: i.kind,
      required: i.required,
      ...(i.default !== undefined ? { default: i.default as JsonValue } : {}),
      ...(i.description ? { description: i.description } : {}),
      /** Whether the input sets params (a value on the node) rather than feeding ports (an edge). */
      setsParams: i.targets.some((t) => 'param' in t),
    })),
    outputs: parsed.data.outputs.map((o) => ({ name: o.name, kind: o.kind, ...(o.description ? { description: o.description } : {}) })),
  };
}

function safeUpgrade(document: unknown): unknown {
  try {
    return upgradeDocument(document).document;
  } catch {
    return undefined;
  }
}

/**
 * Saved graphs the caller may use as pipeline nodes — personal ones and their teams'
 * — with the ports of their head version, for the editor's palette.
 */
export async function listPipelines(prisma: PrismaClient, viewer: Viewer | null) {
  const who = requireViewer(viewer);
  const teams = await teamRoles(prisma, who.userId);
  const graphs = await prisma.graph.findMany({
    where: { deletedAt: null, headVersionId: { not: null }, OR: [{ ownerUserId: who.userId }, { ownerTeamId: { in: [...teams.keys()] } }] },
    select: { id: true, name: true, description: true, ownerTeamId: true, ownerTeam: { select: { name: true } }, headVersion: { select: { number: true, document: true } } },
    orderBy: [{ updatedAt: 'desc' }],
    take: 500,
  });
  return graphs.map((g) => ({
    graphId: g.id,
    name: g.name,
    description: g.description,
    team: g.ownerTeamId ? { id: g.ownerTeamId, name: g.ownerTeam?.name ?? '' } : null,
    headVersion: g.headVersion!.number,
    ...pipelinePorts(g.headVersion!.document),
  }));
}
