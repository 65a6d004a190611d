import type { Edge, Node } from '@xyflow/react';
import type { GraphDocument } from '../../../../engine/graph-document';
import { framesFromUi, framesToUi, type FrameNode } from './frames';
import { ioFromDocument, ioToDocument, type IoEdge, type IoNode } from './graph-io';

/** What a canvas node carries: the document node's type, params and label. Ports are looked up in the catalogue. */
export type PixelNodeData = {
  type: string;
  params: Record<string, unknown>;
  label?: string;
  typeVersion?: number;
  /** Bypassed (muted): the node passes its matching inputs on instead of running (engine/bypass.ts). */
  bypass?: boolean;
};
export type PixelNode = Node<PixelNodeData, 'pixel'>;
/** Handle ids are port names; nothing else is encoded in them. */
export type PixelEdge = Edge;
/** Everything React Flow draws: document nodes, graph inputs/outputs and frames. */
export type EditorNode = PixelNode | IoNode | FrameNode;

/** The document fields the canvas does not edit (metadata, ui other than frames and graph io), kept as loaded. */
export type DocumentRest = Pick<GraphDocument, 'metadata' | 'ui'>;

/** The whole canvas: what flowToDocument writes back. */
export interface FlowState {
  nodes: PixelNode[];
  edges: PixelEdge[];
  frames: FrameNode[];
  ioNodes: IoNode[];
  ioEdges: IoEdge[];
  rest: DocumentRest;
}

export function edgeId(source: string, sourceHandle: string, target: string, targetHandle: string): string {
  return `${source}.${sourceHandle}->${target}.${targetHandle}`;
}

export function documentToFlow(doc: Pick<GraphDocument, 'nodes' | 'edges'>): { nodes: PixelNode[]; edges: PixelEdge[] } {
  const nodes: PixelNode[] = doc.nodes.map((n, i) => ({
    id: n.id,
    type: 'pixel',
    position: n.position ?? { x: i * 260, y: 0 },
    data: { type: n.type, params: n.params, label: n.label, typeVersion: n.typeVersion, ...(n.bypass ? { bypass: true } : {}) },
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

/** The canvas of a whole document: nodes, edges, frames, graph inputs/outputs, and the fields kept as they are. */
export function documentToFlowState(doc: GraphDocument): FlowState {
  const { nodes, edges } = documentToFlow(doc);
  const { ioNodes, ioEdges } = ioFromDocument(doc, new Map(nodes.map((n) => [n.id, n.position])));
  return { nodes, edges, frames: framesFromUi(doc.ui), ioNodes, ioEdges, rest: { metadata: doc.metadata, ui: doc.ui } };
}

export function flowNodesToDocument(nodes: PixelNode[]): GraphDocument['nodes'] {
  return nodes.map((n) => ({
    id: n.id,
    type: n.data.type,
    params: n.data.params,
    position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    ...(n.data.label ? { label: n.data.label } : {}),
    ...(n.data.typeVersion ? { typeVersion: n.data.typeVersion } : {}),
    ...(n.data.bypass ? { bypass: true } : {}),
  }));
}

export function flowEdgesToDocument(edges: PixelEdge[]): GraphDocument['edges'] {
  return edges.map((e) => ({
    from: { node: e.source, port: e.sourceHandle ?? '' },
    to: { node: e.target, port: e.targetHandle ?? '' },
  }));
}

/** `ui` with the frames and graph io layout written in (no key for what is empty). */
function uiWith(ui: DocumentRest['ui'], frames: FrameNode[], graphIo: unknown): DocumentRest['ui'] {
  const { frames: _frames, graphIo: _io, ...others } = ui ?? {};
  const merged = { ...others, ...(frames.length ? { frames: framesToUi(frames) } : {}), ...(graphIo ? { graphIo } : {}) };
  return Object.keys(merged).length ? merged : undefined;
}

export function flowToDocument(state: FlowState): GraphDocument {
  const io = ioToDocument(state.ioNodes, state.ioEdges, new Set(state.nodes.map((n) => n.id)));
  const ui = uiWith(state.rest.ui, state.frames, io.ui);
  return {
    format: 'pixelwire.graph',
    version: 1,
    ...(state.rest.metadata ? { metadata: state.rest.metadata } : {}),
    nodes: flowNodesToDocument(state.nodes),
    edges: flowEdgesToDocument(state.edges),
    inputs: io.inputs,
    outputs: io.outputs,
    ...(ui ? { ui } : {}),
  };
}
