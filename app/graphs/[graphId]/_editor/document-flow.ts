import type { Edge, Node } from '@xyflow/react';
import type { GraphDocument } from '../../../../server/engine/graph-document';
import { framesFromUi, framesToUi, type FrameNode } from './frames';

/** What a canvas node carries: the document node's type, params and label. Ports are looked up in the catalogue. */
export type PixelNodeData = {
  type: string;
  params: Record<string, unknown>;
  label?: string;
  typeVersion?: number;
};
export type PixelNode = Node<PixelNodeData, 'pixel'>;
/** Handle ids are port names; nothing else is encoded in them. */
export type PixelEdge = Edge;
/** Everything React Flow draws: document nodes and frames. */
export type EditorNode = PixelNode | FrameNode;

/** The document fields the canvas does not edit (graph inputs/outputs, metadata, ui), kept as loaded. */
export type DocumentRest = Pick<GraphDocument, 'inputs' | 'outputs' | 'metadata' | 'ui'>;

export function edgeId(source: string, sourceHandle: string, target: string, targetHandle: string): string {
  return `${source}.${sourceHandle}->${target}.${targetHandle}`;
}

export function documentToFlow(doc: Pick<GraphDocument, 'nodes' | 'edges'>): { nodes: PixelNode[]; edges: PixelEdge[] } {
  const nodes: PixelNode[] = doc.nodes.map((n, i) => ({
    id: n.id,
    type: 'pixel',
    position: n.position ?? { x: i * 260, y: 0 },
    data: { type: n.type, params: n.params, label: n.label, typeVersion: n.typeVersion },
  }));
  const edges: PixelEdge[] = doc.edges.map((e) => ({
    id: edgeId(e.from.node, e.from.port, e.to.node, e.to.port),
    source: e.from.node,
    sourceHandle: e.from.port,
    target: e.to.node,
    targetHandle: e.to.port,
  }));
  return { nodes, edges };
}

export function flowNodesToDocument(nodes: PixelNode[]): GraphDocument['nodes'] {
  return nodes.map((n) => ({
    id: n.id,
    type: n.data.type,
    params: n.data.params,
    position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    ...(n.data.label ? { label: n.data.label } : {}),
    ...(n.data.typeVersion ? { typeVersion: n.data.typeVersion } : {}),
  }));
}

export function flowEdgesToDocument(edges: PixelEdge[]): GraphDocument['edges'] {
  return edges.map((e) => ({
    from: { node: e.source, port: e.sourceHandle ?? '' },
    to: { node: e.target, port: e.targetHandle ?? '' },
  }));
}

/** `ui` with the frames written in (and no `frames` key when there are none). */
function uiWithFrames(ui: DocumentRest['ui'], frames: FrameNode[]): DocumentRest['ui'] {
  const { frames: _old, ...others } = ui ?? {};
  const merged = frames.length ? { ...others, frames: framesToUi(frames) } : others;
  return Object.keys(merged).length ? merged : undefined;
}

export function flowToDocument(nodes: PixelNode[], edges: PixelEdge[], rest: DocumentRest, frames: FrameNode[] = framesFromUi(rest.ui)): GraphDocument {
  const ui = uiWithFrames(rest.ui, frames);
  return {
    format: 'pixelwire.graph',
    version: 1,
    ...(rest.metadata ? { metadata: rest.metadata } : {}),
    nodes: flowNodesToDocument(nodes),
    edges: flowEdgesToDocument(edges),
    inputs: rest.inputs,
    outputs: rest.outputs,
    ...(ui ? { ui } : {}),
  };
}
