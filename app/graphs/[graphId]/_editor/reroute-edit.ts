import type { XYPosition } from '@xyflow/react';
import type { PixelNode } from './document-flow';
import { deselect } from './node-changes';
import { connectWiring, type Wiring } from './wiring';

/** The reroute point's node type (nodes/util/reroute.node.ts) and the Show value node's (nodes/util/show.node.ts). */
export const REROUTE_TYPE = 'util.reroute';
export const SHOW_TYPE = 'util.show';
/** The one input and the one output of both: the value passes from one to the other. */
export const PASS_HANDLE = 'value';
/** Half the reroute dot's size: a reroute is placed so that its centre is where the wire was clicked. */
export const REROUTE_RADIUS = 8;

export type InsertReroute = { ok: true; wiring: Pick<Wiring, 'nodes' | 'edges' | 'ioEdges' | 'ioNodes'> } | { ok: false; problem: string };

/**
 * Puts a reroute point with id `id`, centred at `at`, on the wire `edgeId` (a node edge, or a
 * graph input's or output's wire): the wire becomes source → reroute → target. A wire that
 * sets a param (graph input → param) cannot pass through a reroute.
 */
export function insertReroute(w: Wiring, edgeId: string, id: string, at: XYPosition): InsertReroute {
  const edge = w.edges.find((e) => e.id === edgeId) ?? w.ioEdges.find((e) => e.id === edgeId);
  if (!edge || !edge.sourceHandle || !edge.targetHandle) return { ok: false, problem: 'no such wire' };
  if (w.ioEdges.some((e) => e.id === edgeId && e.data?.param)) return { ok: false, problem: 'a graph input sets this param directly: its wire cannot pass through a reroute' };
  const node: PixelNode = {
    id,
    type: 'pixel',
    position: { x: Math.round(at.x - REROUTE_RADIUS), y: Math.round(at.y - REROUTE_RADIUS) },
    selected: true,
    data: { type: REROUTE_TYPE, params: {} },
  };
  const without: Wiring = { nodes: [...deselect(w.nodes), node], edges: w.edges.filter((e) => e.id !== edgeId), ioNodes: w.ioNodes, ioEdges: w.ioEdges.filter((e) => e.id !== edgeId) };
  const first = { ...without, ...connectWiring(without, { source: edge.source, sourceHandle: edge.sourceHandle, target: id, targetHandle: PASS_HANDLE }) };
  const second = { ...first, ...connectWiring(first, { source: id, sourceHandle: PASS_HANDLE, target: edge.target, targetHandle: edge.targetHandle }) };
  return { ok: true, wiring: { nodes: second.nodes, edges: second.edges, ioEdges: second.ioEdges, ioNodes: second.ioNodes } };
}

/** The nodes with `ids` bypassed (or not); the others as they are. */
export function withBypass(nodes: readonly PixelNode[], ids: ReadonlySet<string>, bypass: boolean): PixelNode[] {
  return nodes.map((n) => {
    if (!ids.has(n.id) || (n.data.bypass === true) === bypass) return n;
    const { bypass: _old, ...data } = n.data;
    return { ...n, data: bypass ? { ...data, bypass: true } : data };
  });
}
