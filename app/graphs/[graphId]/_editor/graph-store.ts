'use client';
import type { Edge, Node } from '@xyflow/react';
import { create } from 'zustand';
import type { GraphDocument } from '../../../../server/engine/graph-document';
import type { ValidationError } from '../../../../server/engine/validation-error';

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

interface GraphState {
  nodes: PixelNode[];
  edges: PixelEdge[];
  /** The document fields the canvas does not edit (graph inputs/outputs, metadata, ui), kept as loaded. */
  rest: Pick<GraphDocument, 'inputs' | 'outputs' | 'metadata' | 'ui'>;
  /** Unsaved changes since load() or markSaved(). */
  dirty: boolean;
  /** Validation errors from the server, by node id. */
  errors: Record<string, ValidationError[]>;
  load(document: GraphDocument): void;
  toDocument(): GraphDocument;
  markSaved(): void;
  setErrors(errors: ValidationError[]): void;
}

export function documentToFlow(doc: GraphDocument): { nodes: PixelNode[]; edges: PixelEdge[] } {
  const nodes: PixelNode[] = doc.nodes.map((n, i) => ({
    id: n.id,
    type: 'pixel',
    position: n.position ?? { x: i * 260, y: 0 },
    data: { type: n.type, params: n.params, label: n.label, typeVersion: n.typeVersion },
  }));
  const edges: PixelEdge[] = doc.edges.map((e) => ({
    id: `${e.from.node}.${e.from.port}->${e.to.node}.${e.to.port}`,
    source: e.from.node,
    sourceHandle: e.from.port,
    target: e.to.node,
    targetHandle: e.to.port,
  }));
  return { nodes, edges };
}

export function flowToDocument(nodes: PixelNode[], edges: PixelEdge[], rest: GraphState['rest']): GraphDocument {
  return {
    format: 'pixelwire.graph',
    version: 1,
    ...(rest.metadata ? { metadata: rest.metadata } : {}),
    nodes: nodes.map((n) => ({
      id: n.id,
      type: n.data.type,
      params: n.data.params,
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
      ...(n.data.label ? { label: n.data.label } : {}),
      ...(n.data.typeVersion ? { typeVersion: n.data.typeVersion } : {}),
    })),
    edges: edges.map((e) => ({
      from: { node: e.source, port: e.sourceHandle ?? '' },
      to: { node: e.target, port: e.targetHandle ?? '' },
    })),
    inputs: rest.inputs,
    outputs: rest.outputs,
    ...(rest.ui ? { ui: rest.ui } : {}),
  };
}

/** The open graph on the canvas. */
export const useGraphStore = create<GraphState>((set, get) => ({
  nodes: [],
  edges: [],
  rest: { inputs: [], outputs: [] },
  dirty: false,
  errors: {},
  load: (document) => {
    const { nodes, edges } = documentToFlow(document);
    set({ nodes, edges, rest: { inputs: document.inputs, outputs: document.outputs, metadata: document.metadata, ui: document.ui }, dirty: false, errors: {} });
  },
  toDocument: () => flowToDocument(get().nodes, get().edges, get().rest),
  markSaved: () => set({ dirty: false }),
  setErrors: (errors) => {
    const byNode: Record<string, ValidationError[]> = {};
    for (const e of errors) if (e.nodeId) (byNode[e.nodeId] ??= []).push(e);
    set({ errors: byNode });
  },
}));
