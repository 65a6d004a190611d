import type { XYPosition } from '@xyflow/react';
import { z } from 'zod';
import { zGraphEdge, zGraphNode } from '../../../../engine/graph-document';
import { documentToFlow, flowEdgesToDocument, flowNodesToDocument, type PixelEdge, type PixelNode } from './document-flow';
import { nextNodeId } from './ids';

/** Selected nodes and the edges between them, as put on the clipboard (works between graphs and tabs). */
export const zFragment = z.object({
  pixelwire: z.literal('fragment'),
  nodes: z.array(zGraphNode),
  edges: z.array(zGraphEdge),
});
export type Fragment = z.infer<typeof zFragment>;

export function makeFragment(nodes: PixelNode[], edges: PixelEdge[]): Fragment | null {
  const picked = nodes.filter((n) => n.selected);
  if (picked.length === 0) return null;
  const ids = new Set(picked.map((n) => n.id));
  const inner = edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  return { pixelwire: 'fragment', nodes: flowNodesToDocument(picked), edges: flowEdgesToDocument(inner) };
}

export function parseFragment(text: string | undefined): Fragment | null {
  if (!text) return null;
  try {
    const parsed = zFragment.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The fragment's nodes with fresh ids (unique among `taken`), selected, moved so their
 * top-left corner lands at `at` (or 40px right and down of where they were).
 */
export function instantiateFragment(fragment: Fragment, taken: ReadonlySet<string>, at?: XYPosition): { nodes: PixelNode[]; edges: PixelEdge[] } {
  const used = new Set(taken);
  const rename = new Map<string, string>();
  for (const n of fragment.nodes) {
    const id = nextNodeId(n.type, used);
    used.add(id);
    rename.set(n.id, id);
  }
  const xs = fragment.nodes.map((n) => n.position?.x ?? 0);
  const ys = fragment.nodes.map((n) => n.position?.y ?? 0);
  const dx = at ? at.x - Math.min(...xs) : 40;
  const dy = at ? at.y - Math.min(...ys) : 40;
  const { nodes, edges } = documentToFlow({
    nodes: fragment.nodes.map((n) => ({
      ...n,
      id: rename.get(n.id) ?? n.id,
      position: { x: (n.position?.x ?? 0) + dx, y: (n.position?.y ?? 0) + dy },
    })),
    edges: fragment.edges.flatMap((e) => {
      const from = rename.get(e.from.node);
      const to = rename.get(e.to.node);
      return from && to ? [{ from: { ...e.from, node: from }, to: { ...e.to, node: to } }] : [];
    }),
  });
  return { nodes: nodes.map((n) => ({ ...n, selected: true })), edges };
}
