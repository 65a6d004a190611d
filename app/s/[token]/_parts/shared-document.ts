import { z } from 'zod';
import { imageLabel, isSha256 } from '../../../_components/image-label';

/** What the read-only view reads from a shared document; anything else in it is ignored, and a malformed part is left out. */
const zNode = z.object({
  id: z.string(),
  type: z.string(),
  label: z.string().optional(),
  params: z.record(z.string(), z.unknown()).catch({}).default({}),
  position: z.object({ x: z.number(), y: z.number() }).optional().catch(undefined),
});
const zEdge = z.object({ from: z.object({ node: z.string(), port: z.string() }), to: z.object({ node: z.string(), port: z.string() }) });
const zDocument = z.object({
  nodes: z.array(zNode).catch([]).default([]),
  edges: z.array(zEdge).catch([]).default([]),
  inputs: z.array(z.object({ name: z.string(), kind: z.string(), description: z.string().optional() })).catch([]).default([]),
  outputs: z.array(z.object({ name: z.string(), kind: z.string() })).catch([]).default([]),
});

export type SharedNode = z.infer<typeof zNode>;
export type SharedDocument = z.infer<typeof zDocument>;

export function readSharedDocument(raw: unknown): SharedDocument {
  const parsed = zDocument.safeParse(raw);
  return parsed.success ? parsed.data : { nodes: [], edges: [], inputs: [], outputs: [] };
}

/**
 * A param value as one short line; an image a param names by hash shows as its file name
 * (`names`: what the link tells of the images its document reads) or a short hash.
 */
export function paramText(value: unknown, names: ReadonlyMap<string, string> = new Map()): string {
  if (isSha256(value)) return imageLabel(value, names.get(value));
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'unset');
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

export interface SketchBox {
  id: string;
  title: string;
  x: number;
  y: number;
}

export const sketchBox = { width: 170, height: 44 };

/**
 * Boxes for a small diagram of the graph: the saved positions, or (for nodes without one)
 * a column after the rest. The view box covers every box with a margin.
 */
export function sketchLayout(doc: SharedDocument): { boxes: SketchBox[]; viewBox: string } {
  const placed = doc.nodes.filter((n) => n.position);
  const maxX = placed.length ? Math.max(...placed.map((n) => n.position!.x)) : 0;
  let row = 0;
  const boxes = doc.nodes.map((n) => {
    const at = n.position ?? { x: maxX + 240, y: row++ * 80 };
    return { id: n.id, title: n.label ?? n.type, x: at.x, y: at.y };
  });
  if (boxes.length === 0) return { boxes, viewBox: '0 0 400 100' };
  const margin = 20;
  const left = Math.min(...boxes.map((b) => b.x)) - margin;
  const top = Math.min(...boxes.map((b) => b.y)) - margin;
  const right = Math.max(...boxes.map((b) => b.x + sketchBox.width)) + margin;
  const bottom = Math.max(...boxes.map((b) => b.y + sketchBox.height)) + margin;
  return { boxes, viewBox: `${left} ${top} ${right - left} ${bottom - top}` };
}
