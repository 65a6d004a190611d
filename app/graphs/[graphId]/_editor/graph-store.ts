'use client';
import { applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange, type XYPosition } from '@xyflow/react';
import { create } from 'zustand';
import type { GraphDocument } from '../../../../server/engine/graph-document';
import type { ValidationError } from '../../../../server/engine/validation-error';
import { documentToFlow, edgeId, flowToDocument, type DocumentRest, type EditorNode, type PixelEdge, type PixelNode } from './document-flow';
import { framesFromUi, makeFrame, type FrameNode } from './frames';
import { instantiateFragment, makeFragment, type Fragment } from './fragment';
import { Coalescer, pushBounded } from './history';
import { nextNodeId } from './ids';
import { layoutPositions } from './layout';

export { documentToFlow, flowToDocument } from './document-flow';
export type { EditorNode, PixelEdge, PixelNode, PixelNodeData } from './document-flow';

interface Snapshot {
  nodes: PixelNode[];
  edges: PixelEdge[];
  frames: FrameNode[];
}

interface GraphState {
  nodes: PixelNode[];
  edges: PixelEdge[];
  /** Frames (titled boxes behind nodes), persisted in the document's `ui.frames`. */
  frames: FrameNode[];
  /** The document fields the canvas does not edit (graph inputs/outputs, metadata, ui), kept as loaded. */
  rest: DocumentRest;
  /** Unsaved changes since load() or markSaved(). */
  dirty: boolean;
  /** Validation errors from the server, by node id. */
  errors: Record<string, ValidationError[]>;
  /** The version number the canvas was loaded from or last saved as (undefined until the page says). */
  baseVersion: number | undefined;
  /** Undo and redo stacks of snapshots of nodes, edges and frames. */
  past: Snapshot[];
  future: Snapshot[];

  load(document: GraphDocument, version?: number): void;
  toDocument(): GraphDocument;
  markSaved(version?: number): void;
  setErrors(errors: ValidationError[]): void;
  setBaseVersion(version: number): void;
  /** Replaces the canvas with another document (import), as one undoable, unsaved edit. */
  replaceDocument(document: GraphDocument): void;

  onNodesChange(changes: NodeChange<EditorNode>[]): void;
  onEdgesChange(changes: EdgeChange<PixelEdge>[]): void;
  /** Adds an edge; an input port takes one edge, so an existing edge into the same input is replaced. */
  connect(connection: Connection): void;
  addNode(type: string, position: XYPosition, options?: { params?: Record<string, unknown>; typeVersion?: number }): string;
  /** Sets one param (undefined removes it, so its default applies). */
  setParam(nodeId: string, name: string, value: unknown): void;
  setLabel(nodeId: string, label: string): void;
  addFrame(position: XYPosition, title?: string): string;
  setFrameTitle(frameId: string, title: string): void;
  copySelection(): Fragment | null;
  paste(fragment: Fragment, at?: XYPosition): void;
  autoLayout(): void;
  undo(): void;
  redo(): void;
}

const coalescer = new Coalescer();

const snapshot = (s: Snapshot): Snapshot => ({ nodes: s.nodes, edges: s.edges, frames: s.frames });

/** Changes that only reflect what React Flow measured or selected: no undo step, not dirty. */
function isEdit(change: NodeChange<EditorNode> | EdgeChange<PixelEdge>): boolean {
  if (change.type === 'select') return false;
  if (change.type === 'dimensions') return Boolean(change.setAttributes || change.resizing);
  return true;
}

/** The undo key of a batch of edits: a drag or a resize coalesces into one step. */
function editKey(changes: (NodeChange<EditorNode> | EdgeChange<PixelEdge>)[]): string | undefined {
  const first = changes[0];
  if (!first) return undefined;
  if (first.type === 'position') return 'move';
  if (first.type === 'dimensions') return `resize:${first.id}`;
  if (first.type === 'remove') return 'remove';
  return undefined;
}

/** Only the change kinds that do not carry an item, so they apply to either node array. */
function plain<T extends EditorNode>(change: NodeChange<EditorNode>): NodeChange<T> | null {
  switch (change.type) {
    case 'add':
    case 'replace':
      return null;
    default:
      return change;
  }
}

function allIds(s: Snapshot): Set<string> {
  return new Set([...s.nodes.map((n) => n.id), ...s.frames.map((f) => f.id)]);
}

/** The open graph on the canvas. */
export const useGraphStore = create<GraphState>((set, get) => {
  /** Records the current state as an undo step (unless coalesced with the previous edit) and clears redo. */
  const record = (key?: string) => {
    const s = get();
    if (coalescer.shouldPush(key)) set({ past: pushBounded(s.past, snapshot(s)), future: [] });
    else if (s.future.length) set({ future: [] });
  };

  return {
    nodes: [],
    edges: [],
    frames: [],
    rest: { inputs: [], outputs: [] },
    dirty: false,
    errors: {},
    baseVersion: undefined,
    past: [],
    future: [],

    load: (document, version) => {
      const { nodes, edges } = documentToFlow(document);
      coalescer.reset();
      set({
        nodes,
        edges,
        frames: framesFromUi(document.ui),
        rest: { inputs: document.inputs, outputs: document.outputs, metadata: document.metadata, ui: document.ui },
        dirty: false,
        errors: {},
        past: [],
        future: [],
        ...(version !== undefined ? { baseVersion: version } : {}),
      });
    },
    toDocument: () => flowToDocument(get().nodes, get().edges, get().rest, get().frames),
    markSaved: (version) => set({ dirty: false, ...(version !== undefined ? { baseVersion: version } : {}) }),
    setErrors: (errors) => {
      const byNode: Record<string, ValidationError[]> = {};
      for (const e of errors) if (e.nodeId) (byNode[e.nodeId] ??= []).push(e);
      set({ errors: byNode });
    },
    setBaseVersion: (version) => set({ baseVersion: version }),
    replaceDocument: (document) => {
      record();
      const { nodes, edges } = documentToFlow(document);
      set({
        nodes,
        edges,
        frames: framesFromUi(document.ui),
        rest: { inputs: document.inputs, outputs: document.outputs, metadata: document.metadata, ui: document.ui },
        dirty: true,
        errors: {},
      });
    },

    onNodesChange: (changes) => {
      const edits = changes.filter(isEdit);
      if (edits.length) record(editKey(edits));
      const s = get();
      const frameIds = new Set(s.frames.map((f) => f.id));
      const forFrames = changes.flatMap((c) => (c.type !== 'add' && frameIds.has(c.id) ? [plain<FrameNode>(c)] : [])).filter((c) => c !== null);
      const forNodes = changes.flatMap((c) => (c.type !== 'add' && !frameIds.has(c.id) ? [plain<PixelNode>(c)] : [])).filter((c) => c !== null);
      set({
        ...(forNodes.length ? { nodes: applyNodeChanges(forNodes, s.nodes) } : {}),
        ...(forFrames.length ? { frames: applyNodeChanges(forFrames, s.frames) } : {}),
        ...(edits.length ? { dirty: true } : {}),
      });
      // A drag ends with dragging: false; the next drag is a new undo step.
      if (edits.some((c) => c.type === 'position' && c.dragging === false)) coalescer.reset();
    },
    onEdgesChange: (changes) => {
      const edits = changes.filter(isEdit);
      if (edits.length) record(editKey(edits));
      set((s) => ({ edges: applyEdgeChanges(changes, s.edges), ...(edits.length ? { dirty: true } : {}) }));
    },
    connect: ({ source, sourceHandle, target, targetHandle }) => {
      if (!sourceHandle || !targetHandle) return;
      record();
      const edge: PixelEdge = { id: edgeId(source, sourceHandle, target, targetHandle), source, sourceHandle, target, targetHandle };
      set((s) => ({
        edges: [...s.edges.filter((e) => !(e.target === target && e.targetHandle === targetHandle)), edge],
        dirty: true,
      }));
    },
    addNode: (type, position, options = {}) => {
      record();
      const id = nextNodeId(type, allIds(get()));
      const node: PixelNode = {
        id,
        type: 'pixel',
        position,
        selected: true,
        data: { type, params: options.params ?? {}, ...(options.typeVersion ? { typeVersion: options.typeVersion } : {}) },
      };
      set((s) => ({
        nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node],
        frames: s.frames.map((f) => (f.selected ? { ...f, selected: false } : f)),
        dirty: true,
      }));
      return id;
    },
    setParam: (nodeId, name, value) => {
      record(`param:${nodeId}:${name}`);
      set((s) => ({
        nodes: s.nodes.map((n) => {
          if (n.id !== nodeId) return n;
          const { [name]: _old, ...others } = n.data.params;
          return { ...n, data: { ...n.data, params: value === undefined ? others : { ...others, [name]: value } } };
        }),
        dirty: true,
      }));
    },
    setLabel: (nodeId, label) => {
      record(`label:${nodeId}`);
      set((s) => ({
        nodes: s.nodes.map((n) => (n.id === nodeId ? { ...n, data: { ...n.data, label: label.trim() ? label : undefined } } : n)),
        dirty: true,
      }));
    },
    addFrame: (position, title = 'Frame') => {
      record();
      const taken = allIds(get());
      let n = 1;
      while (taken.has(`frame-${n}`)) n++;
      const id = `frame-${n}`;
      set((s) => ({ frames: [...s.frames, makeFrame(id, title, position)], dirty: true }));
      return id;
    },
    setFrameTitle: (frameId, title) => {
      record(`frame-title:${frameId}`);
      set((s) => ({ frames: s.frames.map((f) => (f.id === frameId ? { ...f, data: { title } } : f)), dirty: true }));
    },
    copySelection: () => makeFragment(get().nodes, get().edges),
    paste: (fragment, at) => {
      if (fragment.nodes.length === 0) return;
      record();
      const { nodes, edges } = instantiateFragment(fragment, allIds(get()), at);
      set((s) => ({
        nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...nodes],
        edges: [...s.edges, ...edges],
        dirty: true,
      }));
    },
    autoLayout: () => {
      const s = get();
      if (s.nodes.length === 0) return;
      record();
      const positions = layoutPositions(s.nodes, s.edges);
      set({ nodes: s.nodes.map((n) => ({ ...n, position: positions.get(n.id) ?? n.position })), dirty: true });
    },
    undo: () => {
      const s = get();
      const previous = s.past.at(-1);
      if (!previous) return;
      coalescer.reset();
      set({ ...previous, past: s.past.slice(0, -1), future: [...s.future, snapshot(s)], dirty: true });
    },
    redo: () => {
      const s = get();
      const next = s.future.at(-1);
      if (!next) return;
      coalescer.reset();
      set({ ...next, future: s.future.slice(0, -1), past: pushBounded(s.past, snapshot(s)), dirty: true });
    },
  };
});
