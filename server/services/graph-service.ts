import { z } from 'zod';
import { builtinRegistry } from '../../nodes/registry';
import { Prisma, type PrismaClient } from '../db/generated/client';
import { zGraphDocument, type GraphDocument } from '../../engine/graph-document';
import { upgradeDocument, UnsupportedVersionError } from '../../engine/migrations';
import { validateDocument } from '../../engine/validate';
import type { ValidationError } from '../../engine/validation-error';
import { zOutputSummaries } from '../runs/wire-events';
import { flattenFor, onOuterNodes } from './pipelines';
import { diffDocuments } from '../../engine/diff-documents';
import { AppError, notFound } from './app-error';
import { authorizeGraph, requireViewer, teamRoles } from './access';
import { roleAllows } from '../access/roles';
import type { Viewer } from './viewer';
import { decodeCursor, encodeCursor, zCursor } from './list-cursor';
import { checkDocumentSize } from './document-size';

export const zGraphId = z.string().min(1).max(64);
const zTags = z.array(z.string().trim().min(1).max(40)).max(20);

export const zCreateGraph = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(10_000).default(''),
  tags: zTags.default([]),
  teamId: z.string().max(64).optional(),
  document: z.unknown().optional(),
  message: z.string().max(1000).default('created'),
});
export const zSaveVersion = z.object({
  graphId: zGraphId,
  /** The version number the edit started from; saving on top of anything newer is a conflict. */
  baseVersion: z.number().int().min(0),
  document: z.unknown(),
  message: z.string().max(1000).default(''),
});
export const zListGraphs = z.object({
  search: z.string().max(200).optional(),
  tag: z.string().max(40).optional(),
  teamId: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(200).default(50),
  /** nextCursor of the previous page (opaque). */
  cursor: zCursor.optional(),
});
export const zUpdateGraph = z.object({
  graphId: zGraphId,
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(10_000).optional(),
  tags: zTags.optional(),
});

export const emptyDocument = (): GraphDocument => ({ format: 'pixelwire.graph', version: 1, nodes: [], edges: [], inputs: [], outputs: [] });

/** The fields of a graph any reader may see; nothing else leaves the database. */
const graphSelect = {
  id: true,
  name: true,
  description: true,
  tags: true,
  ownerUserId: true,
  ownerTeamId: true,
  createdAt: true,
  updatedAt: true,
  copiedFromGraphId: true,
  copiedFromVersion: true,
  headVersion: { select: { id: true, number: true, createdAt: true, message: true, authorId: true } },
} satisfies Prisma.GraphSelect;

/**
 * Parses a document for saving: upgraded to the current version and checked
 * against the schema (refused when it does not parse). Semantic problems (a
 * missing input while the user is still wiring) are returned, not refused.
 */
export async function parseDocumentForSave(prisma: PrismaClient, who: Viewer, raw: unknown): Promise<{ document: GraphDocument; problems: ValidationError[] }> {
  checkDocumentSize(raw);
  let upgraded: unknown;
  try {
    upgraded = upgradeDocument(raw ?? emptyDocument()).document;
  } catch (error) {
    if (error instanceof UnsupportedVersionError) {
      // The same structured error validateDocument reports, so every malformed document carries validationErrors.
      throw new AppError('BAD_REQUEST', error.message, { validationErrors: [{ nodeId: null, code: 'unsupported_version', message: error.message }] });
    }
    throw error;
  }
  const parsed = zGraphDocument.safeParse(upgraded);
  if (!parsed.success) {
    const validated = validateDocument(upgraded, builtinRegistry);
    const errors = validated.ok ? [] : validated.errors;
    throw new AppError('BAD_REQUEST', `the graph document is malformed: ${errors[0]?.message ?? 'invalid'}`, { validationErrors: errors });
  }
  // Pipeline nodes are checked as they would run: flattened for the one who saves.
  const flat = await flattenFor(prisma, who, parsed.data);
  if (!flat.ok) return { document: parsed.data, problems: flat.errors };
  const validated = validateDocument(flat.document, builtinRegistry);
  return { document: parsed.data, problems: validated.ok ? [] : onOuterNodes(validated.errors) };
}

export async function createGraph(prisma: PrismaClient, viewer: Viewer | null, input: z.infer<typeof zCreateGraph>) {
  const who = requireViewer(viewer);
  if (input.teamId) {
    const role = (await teamRoles(prisma, who.userId)).get(input.teamId);
    if (!role) throw notFound('team');
    if (!roleAllows(role, 'graph.write')) throw new AppError('FORBIDDEN', 'you may not create graphs in this team');
  }
  const { document, problems } = await parseDocumentForSave(prisma, who, input.document);
  const graph = await prisma.$transaction(async (tx) => {
    const created = await tx.graph.create({
      data: {
        name: input.name,
        description: input.description,
        tags: input.tags,
        ...(input.teamId ? { ownerTeamId: input.teamId } : { ownerUserId: who.userId }),
      },
    });
    const version = await tx.graphVersion.create({
      data: { graphId: created.id, number: 1, document: document as Prisma.InputJsonValue, authorId: who.userId, message: input.message },
    });
    return tx.graph.update({ where: { id: created.id }, data: { headVersionId: version.id }, select: graphSelect });
  });
  return { graph, problems };
}

export async function listGraphs(prisma: PrismaClient, viewer: Viewer | null, input: z.infer<typeof zListGraphs>) {
  const who = requireViewer(viewer);
  const teams = [...(await teamRoles(prisma, who.userId)).keys()];
  if (input.teamId && !teams.includes(input.teamId)) return { items: [], nextCursor: null };
  const owner: Prisma.GraphWhereInput = input.teamId
    ? { ownerTeamId: input.teamId }
    : { OR: [{ ownerUserId: who.userId }, { ownerTeamId: { in: teams } }] };
  // The page after a position (updatedAt, id), never a lookup of the cursor's id: see list-cursor.ts.
  const from = input.cursor ? decodeCursor(input.cursor) : undefined;
  const items = await prisma.graph.findMany({
    where: {
      deletedAt: null,
      AND: [owner, ...(from ? [{ OR: [{ updatedAt: { lt: from.at } }, { updatedAt: from.at, id: { lt: from.id } }] }] : [])],
      ...(input.search ? { name: { contains: input.search, mode: 'insensitive' } } : {}),
      ...(input.tag ? { tags: { has: input.tag } } : {}),
    },
    select: graphSelect,
    orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
  });
  const more = items.length > input.limit;
  if (more) items.pop();
  const last = items.at(-1);
  const nextCursor = more && last ? encodeCursor({ at: last.updatedAt, id: last.id }) : null;
  const thumbnails = await latestThumbnails(prisma, items.map((item) => item.id));
  const sources = await readableSourceNames(prisma, who, teams, items.map((item) => item.copiedFromGraphId));
  return {
    items: items.map((item) => ({
      ...item,
      thumbnail: thumbnails.get(item.id) ?? null,
      /** The name of the graph this one was copied from, when the viewer may still read it; null otherwise (or not a copy). */
      copiedFromName: (item.copiedFromGraphId && sources.get(item.copiedFromGraphId)) ?? null,
    })),
    nextCursor,
  };
}

/**
 * Names of the graphs a page of graphs was copied from, in one query, for the sources the viewer may read (theirs or
 * a team's they are in, not deleted): the name of a graph they cannot open never leaves the database.
 */
async function readableSourceNames(prisma: PrismaClient, who: Viewer, teams: string[], ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await prisma.graph.findMany({
    where: { id: { in: wanted }, deletedAt: null, OR: [{ ownerUserId: who.userId }, { ownerTeamId: { in: teams } }] },
    select: { id: true, name: true },
  });
  return new Map(rows.map((row) => [row.id, row.name]));
}

/**
 * For each graph, the URL of the preview of the first image output (in the
 * graph's order of outputs) of its latest succeeded run; graphs without one are
 * absent. One query for the whole page: DISTINCT ON picks each graph's latest run
 * in the database (Prisma's `distinct` would fetch every run and pick in memory).
 */
async function latestThumbnails(prisma: PrismaClient, graphIds: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (graphIds.length === 0) return found;
  const runs = await prisma.$queryRaw<{ id: string; graphId: string; outputs: unknown; declared: unknown }[]>`
    SELECT DISTINCT ON (r."graphId") r."id", r."graphId", r."outputs", v."document"->'outputs' AS "declared"
    FROM "Run" r JOIN "GraphVersion" v ON v."id" = r."versionId"
    WHERE r."graphId" IN (${Prisma.join(graphIds)}) AND r."status" = 'succeeded'
    ORDER BY r."graphId", r."createdAt" DESC, r."id" DESC`;
  for (const run of runs) {
    const outputs = zOutputSummaries.safeParse(run.outputs);
    if (!outputs.success) continue;
    // Stored outputs (jsonb) lose their order: follow the outputs declared by the version that ran.
    const declared = Array.isArray(run.declared) ? run.declared.map((o: { name?: unknown }) => String(o?.name)) : [];
    const names = [...declared.filter((name) => name in outputs.data), ...Object.keys(outputs.data).filter((name) => !declared.includes(name))];
    const image = names.map((name) => outputs.data[name]!).find((output) => 'artifactId' in output);
    if (image && 'preview' in image) found.set(run.graphId, `/api/runs/${run.id}/files/${image.preview.artifactId}`);
  }
  return found;
}

export async function getGraph(prisma: PrismaClient, viewer: Viewer | null, graphId: string, versionNumber?: number) {
  const { role } = await authorizeGraph(prisma, viewer, graphId, 'graph.read');
  const graph = await prisma.graph.findUniqueOrThrow({ where: { id: graphId }, select: graphSelect });
  const version = await prisma.graphVersion.findFirst({
    where: { graphId, ...(versionNumber !== undefined ? { number: versionNumber } : { id: graph.headVersion?.id }) },
    select: { id: true, number: true, document: true, message: true, createdAt: true, authorId: true, parentVersionId: true },
  });
  if (!version) throw new AppError('NOT_FOUND', `version ${versionNumber} not found`);
  return { graph, role, version };
}

export async function saveVersion(prisma: PrismaClient, viewer: Viewer | null, input: z.infer<typeof zSaveVersion>) {
  const { viewer: who } = await authorizeGraph(prisma, viewer, input.graphId, 'graph.write');
  const { document, problems } = await parseDocumentForSave(prisma, who, input.document);
  return appendVersion(prisma, who, input.graphId, input.baseVersion, document, input.message, problems);
}

/** Appends version base+1 when base is still the head; anything else is a CONFLICT carrying the head, and nothing is overwritten. */
async function appendVersion(
  prisma: PrismaClient,
  who: Viewer,
  graphId: string,
  baseVersion: number,
  document: GraphDocument,
  message: string,
  problems: ValidationError[],
) {
  try {
    return await prisma.$transaction(async (tx) => {
      const head = await tx.graph.findUniqueOrThrow({ where: { id: graphId }, select: { headVersion: { select: { id: true, number: true } } } });
      const headNumber = head.headVersion?.number ?? 0;
      if (headNumber !== baseVersion) throw conflict(headNumber, baseVersion);
      const version = await tx.graphVersion.create({
        data: {
          graphId,
          number: baseVersion + 1,
          document: document as Prisma.InputJsonValue,
          authorId: who.userId,
          message,
          parentVersionId: head.headVersion?.id ?? null,
        },
        select: { id: true, number: true, createdAt: true, message: true },
      });
      await tx.graph.update({ where: { id: graphId }, data: { headVersionId: version.id } });
      return { version, problems };
    });
  } catch (error) {
    // Two saves on the same base: the unique (graphId, number) lets exactly one win.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const head = await prisma.graph.findUniqueOrThrow({ where: { id: graphId }, select: { headVersion: { select: { number: true } } } });
      throw conflict(head.headVersion?.number ?? 0, baseVersion);
    }
    throw error;
  }
}

function conflict(headNumber: number, baseVersion: number): AppError {
  return new AppError('CONFLICT', `the graph has a newer version (${headNumber}) than the one you edited (${baseVersion}); reload or save as a copy`, {
    headVersion: headNumber,
    baseVersion,
  });
}

export async function updateGraph(prisma: PrismaClient, viewer: Viewer | null, input: z.infer<typeof zUpdateGraph>) {
  await authorizeGraph(prisma, viewer, input.graphId, 'graph.write');
  const { graphId, ...data } = input;
  return prisma.graph.update({ where: { id: graphId }, data, select: graphSelect });
}

export async function deleteGraph(prisma: PrismaClient, viewer: Viewer | null, graphId: string) {
  await authorizeGraph(prisma, viewer, graphId, 'graph.delete');
  await prisma.graph.update({ where: { id: graphId }, data: { deletedAt: new Date() } });
}

/**
 * Copies a graph's head version into the caller's space or a team where they are an editor.
 * Anyone who may read the source may copy it (a fork); the copy records where it came from.
 */
export async function duplicateGraph(prisma: PrismaClient, viewer: Viewer | null, input: { graphId: string; name?: string; teamId?: string }) {
  await authorizeGraph(prisma, viewer, input.graphId, 'graph.read');
  const { graph, version } = await getGraph(prisma, viewer, input.graphId);
  const copy = await createGraph(prisma, viewer, {
    name: input.name ?? `${graph.name} (copy)`,
    description: graph.description,
    tags: graph.tags,
    teamId: input.teamId,
    document: version.document,
    message: `copied from ${graph.name} v${version.number}`,
  });
  await prisma.graphVersion.updateMany({ where: { graphId: copy.graph.id, number: 1 }, data: { parentVersionId: version.id } });
  const provenance = { copiedFromGraphId: graph.id, copiedFromVersion: version.number };
  await prisma.graph.update({ where: { id: copy.graph.id }, data: provenance });
  return { ...copy, graph: { ...copy.graph, ...provenance } };
}

/**
 * Moves a graph, history and runs included, between the caller's personal space and a team
 * (or between teams): the owner of the source may move it, into a space where they may create.
 */
export async function moveGraph(prisma: PrismaClient, viewer: Viewer | null, input: { graphId: string; teamId: string | null }) {
  const { viewer: who } = await authorizeGraph(prisma, viewer, input.graphId, 'graph.delete');
  if (input.teamId) {
    const role = (await teamRoles(prisma, who.userId)).get(input.teamId);
    if (!role) throw new AppError('NOT_FOUND', 'team not found');
    if (!roleAllows(role, 'graph.write')) throw new AppError('FORBIDDEN', `your role in that team (${role}) may not add graphs`);
  }
  return prisma.graph.update({
    where: { id: input.graphId },
    data: input.teamId ? { ownerTeamId: input.teamId, ownerUserId: null } : { ownerUserId: who.userId, ownerTeamId: null },
    select: graphSelect,
  });
}

/** What changed between two versions of a graph (nodes, params, edges, inputs, outputs) and a text summary. */
export async function diffVersions(prisma: PrismaClient, viewer: Viewer | null, input: { graphId: string; from: number; to: number }) {
  await authorizeGraph(prisma, viewer, input.graphId, 'graph.read');
  const versions = await prisma.graphVersion.findMany({ where: { graphId: input.graphId, number: { in: [input.from, input.to] } }, select: { number: true, document: true } });
  const of = (n: number) => {
    const found = versions.find((v) => v.number === n);
    if (!found) throw new AppError('NOT_FOUND', `version ${n} not found`);
    return found.document;
  };
  return { from: input.from, to: input.to, ...diffDocuments(of(input.from), of(input.to)) };
}

export async function listVersions(prisma: PrismaClient, viewer: Viewer | null, graphId: string) {
  await authorizeGraph(prisma, viewer, graphId, 'graph.read');
  return prisma.graphVersion.findMany({
    where: { graphId },
    select: { id: true, number: true, message: true, createdAt: true, parentVersionId: true, author: { select: { id: true, name: true } } },
    orderBy: { number: 'desc' },
  });
}

/** Restoring makes a new head version with an old document; history is never rewritten. */
export async function restoreVersion(prisma: PrismaClient, viewer: Viewer | null, input: { graphId: string; number: number; baseVersion: number }) {
  const { viewer: who } = await authorizeGraph(prisma, viewer, input.graphId, 'graph.write');
  const old = await prisma.graphVersion.findUnique({ where: { graphId_number: { graphId: input.graphId, number: input.number } } });
  if (!old) throw new AppError('NOT_FOUND', `version ${input.number} not found`);
  const { document, problems } = await parseDocumentForSave(prisma, who, old.document);
  return appendVersion(prisma, who, input.graphId, input.baseVersion, document, `restored version ${input.number}`, problems);
}
