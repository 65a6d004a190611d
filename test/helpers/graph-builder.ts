import type { GraphDocumentInput } from '../../engine/graph-document';

type NodeSpec = { id: string; type: string; params?: Record<string, unknown>; bypass?: boolean };

/** Builds graph documents in code: nodes and `a.port -> b.port` edges. */
export function graph(nodes: NodeSpec[], edges: string[] = [], extra: Partial<GraphDocumentInput> = {}): GraphDocumentInput {
  return {
    format: 'pixelwire.graph',
    version: 1,
    nodes: nodes.map((n) => ({ id: n.id, type: n.type, params: n.params ?? {}, ...(n.bypass ? { bypass: true } : {}) })),
    edges: edges.map((e) => {
      const [from, to] = e.split('->').map((s) => s.trim());
      const [fromNode, fromPort] = from!.split('.');
      const [toNode, toPort] = to!.split('.');
      return { from: { node: fromNode!, port: fromPort! }, to: { node: toNode!, port: toPort! } };
    }),
    ...extra,
  };
}
