import dagre from '@dagrejs/dagre';
import type { Edge, Node, XYPosition } from '@xyflow/react';

/** The size assumed for a node React Flow has not measured yet (a new node, or one off screen). */
export const FALLBACK = { width: 240, height: 280 };
/** The gap kept between nodes that are moved apart. */
export const GAP = 24;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A node's box on the canvas: its measured size (React Flow's `measured`) or the fallback. */
export function rectOf(n: Pick<Node, 'position' | 'measured' | 'width' | 'height'>): Rect {
  return { x: n.position.x, y: n.position.y, width: n.measured?.width ?? n.width ?? FALLBACK.width, height: n.measured?.height ?? n.height ?? FALLBACK.height };
}

/** Whether two boxes overlap, counting `gap` around them as taken. */
export function overlaps(a: Rect, b: Rect, gap = 0): boolean {
  return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
}

/**
 * The place nearest to `at` (top-left corner) where a box of `size` overlaps none of
 * `taken`: `at` itself when it is free, else the closest free spot on rings of candidates
 * around it (below, right, above, left first).
 */
export function freeSpot(at: XYPosition, taken: readonly Rect[], size = FALLBACK): XYPosition {
  const fits = (p: XYPosition) => !taken.some((r) => overlaps({ ...p, ...size }, r, GAP / 2));
  if (fits(at)) return at;
  const step = 40;
  for (let ring = 1; ring <= 60; ring++) {
    const candidates: XYPosition[] = [];
    for (let i = -ring; i <= ring; i++) {
      candidates.push({ x: at.x + i * step, y: at.y + ring * step }, { x: at.x + ring * step, y: at.y + i * step });
      candidates.push({ x: at.x + i * step, y: at.y - ring * step }, { x: at.x - ring * step, y: at.y + i * step });
    }
    candidates.sort((a, b) => Math.hypot(a.x - at.x, a.y - at.y) - Math.hypot(b.x - at.x, b.y - at.y));
    const found = candidates.find(fits);
    if (found) return found;
  }
  return at;
}

/**
 * Moves nodes apart so that none overlaps another (with GAP between them), using their real
 * sizes: nodes are taken top to bottom, left to right, and each one that overlaps a node
 * already placed moves down below it, keeping its x. Returns only the positions that changed.
 */
export function nudgeOverlaps(nodes: readonly Pick<Node, 'id' | 'position' | 'measured' | 'width' | 'height'>[]): Map<string, XYPosition> {
  const order = [...nodes].sort((a, b) => a.position.y - b.position.y || a.position.x - b.position.x);
  const placed: Rect[] = [];
  const moved = new Map<string, XYPosition>();
  for (const n of order) {
    const r = rectOf(n);
    for (let guard = 0; guard < nodes.length + 1; guard++) {
      const hit = placed.find((p) => overlaps(r, p));
      if (!hit) break;
      r.y = hit.y + hit.height + GAP;
    }
    placed.push(r);
    if (r.y !== n.position.y) moved.set(n.id, { x: n.position.x, y: Math.round(r.y) });
  }
  return moved;
}

/** Left-to-right layered layout of the nodes (dagre) with their measured sizes, keeping the graph's top-left corner where it was. */
export function layoutPositions(nodes: readonly Node[], edges: readonly Edge[]): Map<string, XYPosition> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 90, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) {
    const { width, height } = rectOf(n);
    g.setNode(n.id, { width, height });
  }
  for (const e of edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const originX = Math.min(...nodes.map((n) => n.position.x));
  const originY = Math.min(...nodes.map((n) => n.position.y));
  const out = new Map<string, XYPosition>();
  for (const n of nodes) {
    const laid = g.node(n.id);
    const { width, height } = rectOf(n);
    out.set(n.id, { x: Math.round(originX + laid.x - width / 2), y: Math.round(originY + laid.y - height / 2) });
  }
  return out;
}
