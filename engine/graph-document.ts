import { z } from 'zod';
import { zPortKind } from '../nodes/ports';

/** The current graph document format version. Older documents are upgraded by ./migrations. */
export const GRAPH_FORMAT = 'pixelwire.graph';
export const GRAPH_VERSION = 1;

export const zNodeId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}(\/[A-Za-z0-9_-]{1,64}){0,7}$/, 'node ids are 1–64 letters, digits, "_" or "-" ("/" joins a pipeline node\'s id to its inner nodes\')')
  .describe('Unique id of a node within its graph; "pipe/blur" is node blur inside pipeline node pipe');

const zName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'names are 1–64 letters, digits, "_" or "-", not starting with a digit');

export const zPortRef = z
  .object({ node: zNodeId, port: z.string().min(1).max(64) })
  .describe('A port of a node: an output when it is the source of an edge, an input when it is the target');
export type PortRef = z.infer<typeof zPortRef>;

export const zGraphNode = z
  .object({
    id: zNodeId,
    type: z.string().min(1).max(128).describe('Node type id from the catalogue, e.g. image.blur'),
    typeVersion: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Version of the node type the params were written for; older params are migrated'),
    params: z.record(z.string(), z.unknown()).default({}).describe('Param values; missing ones take their defaults'),
    position: z.object({ x: z.number(), y: z.number() }).optional(),
    label: z.string().max(200).optional(),
    bypass: z.boolean().optional().describe('Bypassed (muted): passes each output the matching input instead of running'),
  })
  .strict();
export type GraphNode = z.infer<typeof zGraphNode>;

export const zGraphEdge = z.object({ from: zPortRef, to: zPortRef }).strict();
export type GraphEdge = z.infer<typeof zGraphEdge>;

/** Where a graph input goes: a node's input port, or one of its params (so callers can set, say, a blur's sigma). */
export const zInputTarget = z.union([
  zPortRef,
  z.object({ node: zNodeId, param: z.string().min(1).max(64) }).strict(),
]);
export type InputTarget = z.infer<typeof zInputTarget>;

export const zGraphInput = z
  .object({
    name: zName,
    kind: zPortKind,
    description: z.string().max(2000).optional(),
    required: z.boolean().default(true),
    default: z.unknown().optional().describe('Value used when the caller gives none (not for image inputs)'),
    targets: z.array(zInputTarget).describe('Node input ports or params that receive this graph input'),
  })
  .strict();
export type GraphInput = z.infer<typeof zGraphInput>;

export const zGraphOutput = z
  .object({
    name: zName,
    kind: zPortKind,
    description: z.string().max(2000).optional(),
    source: zPortRef.describe('Node output port whose value this graph output returns'),
  })
  .strict();
export type GraphOutput = z.infer<typeof zGraphOutput>;

export const zGraphDocument = z
  .object({
    format: z.literal(GRAPH_FORMAT),
    version: z.literal(GRAPH_VERSION),
    metadata: z
      .object({ name: z.string().max(200).optional(), description: z.string().max(10_000).optional() })
      .strict()
      .optional(),
    nodes: z.array(zGraphNode).max(10_000),
    edges: z.array(zGraphEdge).max(50_000).default([]),
    inputs: z.array(zGraphInput).default([]),
    outputs: z.array(zGraphOutput).default([]),
    ui: z.record(z.string(), z.unknown()).optional().describe('Editor state (viewport, frames); kept as is, ignored by runs'),
  })
  .strict()
  .describe('A Pixelwire graph: nodes, edges between their ports, and named graph inputs and outputs');
export type GraphDocument = z.infer<typeof zGraphDocument>;
/** A document as written by hand or by older clients, before defaults are applied. */
export type GraphDocumentInput = z.input<typeof zGraphDocument>;

/** JSON Schema (draft 2020-12) of the current document version. */
export function graphDocumentJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://pixelwire.dev/schema/graph-v1.json',
    title: 'Pixelwire graph document v1',
    ...z.toJSONSchema(zGraphDocument, { io: 'input', unrepresentable: 'any' }),
  };
}
