import dagre from '@dagrejs/dagre';
import type { Edge, Node, XYPosition } from '@xyflow/react';

const FALLBACK = { width: 240, height: 160 };

/** Left-to-right layered layout of the nodes (dagre), keeping the graph's top-left corner where it was. */
export function layoutPositions(nodes: readonly Node[], edges: readonly Edge[]): Map<string, XYPosition> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 90, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) {
    g.setNode(n.id, { width: n.measured?.width ?? FALLBACK.width, height: n.measured?.height ?? FALLBACK.height });
  }
  for (const e of edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const originX = Math.min(...nodes.map((n) => n.position.x));
  const originY = Math.min(...nodes.map((n) => n.position.y));
  const out = new Map<string, XYPosition>();
  for (const n of nodes) {
    const laid = g.node(n.id);
    const width = n.measured?.width ?? FALLBACK.width;
    const height = n.measured?.height ?? FALLBACK.height;
    out.set(n.id, { x: Math.round(originX + laid.x - width / 2), y: Math.round(originY + laid.y - height / 2) });
  }
  return out;
}
