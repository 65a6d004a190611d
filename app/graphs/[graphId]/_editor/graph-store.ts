'use client';
import { applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange, type XYPosition } from '@xyflow/react';
import { create } from 'zustand';
import type { GraphDocument } from '../../../../engine/graph-document';
import type { ValidationError } from '../../../../engine/validation-error';
import { useCatalogueStore } from './catalogue-store';
import type { ResolvedConnection } from './connection-check';
import { documentToFlowState, flowToDocument, type DocumentRest, type EditorNode, type PixelEdge, type PixelNode } from './document-flow';
import { makeFrame, type FrameNode } from './frames';
import { instantiateFragment, makeFragment, type Fragment } from './fragment';
import type { GraphInputData, IoEdge, IoNode } from './graph-io';
import { Coalescer, pushBounded } from './history';
import { allIds, changesFor, deselect, editKey, isEdit } from './node-changes';
import { nextNodeId } from './ids';
import { freeSpot, layoutPositions, nudgeOverlaps, rectOf } from './layout';
import { liveErrors, type CanvasDoc } from './live-errors';
import { PIPELINE_TYPE, type PipelinePorts } from './pipeline-ports';
import { insertReroute, REROUTE_TYPE, withBypass } from './reroute-edit';
import { connectWiring, exposeInput, exposeOutput, newGraphPort, repinPipeline, updateGraphPort, type ExposeInput } from './wiring';

export { documentToFlow, flowToDocument } from './document-flow';
export type { EditorNode, PixelEdge, PixelNode, PixelNodeData } from './document-flow';

interface Snapshot {
  nodes: PixelNode[];
  edges: PixelEdge[];
  frames: FrameNode[];
  ioNodes: IoNode[];
  ioEdges: IoEdge[];
}

/** What the user may change: everything (editors), params only (runners: they run, not save), nothing (viewers). */
export type EditMode = 'all' | 'params' | 'none';

interface GraphState extends Snapshot {
  /** The document fields the canvas does not edit (metadata, other ui), kept as loaded. */
  rest: DocumentRest;
  /** Unsaved changes since load() or markSaved(). */
  dirty: boolean;
  /** Validation errors that hold for the canvas as it is now, by node id (see liveErrors). */
  errors: Record<string, ValidationError[]>;
  /** The server's last validation errors and the canvas it checked: `errors` follows every edit from them. */
  serverErrors: ValidationError[];
  checkedCanvas: CanvasDoc | undefined;
  /** A document was loaded or replaced: once React Flow measured its nodes, the editor moves overlapping ones apart. */
  pendingSeparate: boolean;
  /** Recomputes `errors` for the canvas as it is now (called on every document change). */
  refreshErrors(): void;
  /** The version number the canvas was loaded from or last saved as (undefined until the page says). */
  baseVersion: number | undefined;
  editMode: EditMode;
  /** Undo and redo stacks of snapshots of nodes, edges, frames and graph inputs/outputs. */
  past: Snapshot[];
  future: Snapshot[];

  load(document: GraphDocument, version?: number): void;
  toDocument(): GraphDocument;
  markSaved(version?: number): void;
  setErrors(errors: ValidationError[]): void;
  setBaseVersion(version: number): void;
  setEditMode(mode: EditMode): void;
  /** Replaces the canvas with another document (import), as one undoable, unsaved edit. */
  replaceDocument(document: GraphDocument): void;

  onNodesChange(changes: NodeChange<EditorNode>[]): void;
  onEdgesChange(changes: EdgeChange<PixelEdge>[]): void;
  /** Adds an edge or a graph input/output wire; an input port, a param or a graph output takes one, so what was there is replaced. */
  connect(connection: Connection, resolved?: ResolvedConnection): void;
  addNode(type: string, position: XYPosition, options?: { params?: Record<string, unknown>; typeVersion?: number; slug?: string }): string;
  /** A node calling a saved graph's version (pinned), with no values for its inputs yet. */
  addPipeline(graphId: string, version: number, position: XYPosition): string;
  /** Sets one param (undefined removes it, so its default applies). */
  setParam(nodeId: string, name: string, value: unknown): void;
  /** Sets the value of a pipeline node's input that sets params (undefined: the pipeline's default). */
  setPipelineInput(nodeId: string, name: string, value: unknown): void;
  repinPipeline(nodeId: string, version: number, ports: PipelinePorts): void;
  setLabel(nodeId: string, label: string): void;
  /** Bypasses (or stops bypassing) document nodes, as one undoable edit. */
  setBypass(nodeIds: readonly string[], bypass: boolean): void;
  /** Puts a reroute point on a wire (a node edge or a graph input/output wire), centred at `at`: its id, or why not. */
  insertReroute(edgeId: string, at: XYPosition): { id: string } | { problem: string };
  addGraphPort(side: 'input' | 'output', position: XYPosition): string;
  exposeInput(nodeId: string, what: ExposeInput): string;
  exposeOutput(nodeId: string, port: string, kind: GraphInputData['kind']): string;
  updateGraphPort(id: string, patch: Partial<GraphInputData>): void;
  addFrame(position: XYPosition, title?: string): string;
  setFrameTitle(frameId: string, title: string): void;
  copySelection(): Fragment | null;
  paste(fragment: Fragment, at?: XYPosition): void;
  autoLayout(): void;
  /** Moves overlapping nodes apart by their measured sizes (after load and auto layout): not an undo step, not an unsaved change. */
  separateOverlaps(): void;
  undo(): void;
  redo(): void;
}

const coalescer = new Coalescer();

const snapshot = (s: Snapshot): Snapshot => ({ nodes: s.nodes, edges: s.edges, frames: s.frames, ioNodes: s.ioNodes, ioEdges: s.ioEdges });

/** The open graph on the canvas. */
export const useGraphStore = create<GraphState>((set, get) => {
  /** Records the current state as an undo step (unless coalesced with the previous edit) and clears redo. */
  const record = (key?: string) => {
    const s = get();
    if (coalescer.shouldPush(key)) set({ past: pushBounded(s.past, snapshot(s)), future: [] });
    else if (s.future.length) set({ future: [] });
  };
  /** Whether the edit mode allows an edit of this scope; params are what a runner may change. */
  const may = (scope: 'all' | 'params') => get().editMode === 'all' || (scope === 'params' && get().editMode === 'params');
  /** Runs an edit (an undo step, marked dirty) when the mode allows it. */
  const edit = (scope: 'all' | 'params', key: string | undefined, change: (s: GraphState) => Partial<GraphState>) => {
    if (!may(scope)) return false;
    record(key);
    set((s) => ({ ...change(s), dirty: true }));
    return true;
  };

  return {
    nodes: [],
    edges: [],
    frames: [],
    ioNodes: [],
    ioEdges: [],
    rest: {},
    dirty: false,
    errors: {},
    serverErrors: [],
    checkedCanvas: undefined,
    pendingSeparate: false,
    baseVersion: undefined,
    editMode: 'all',
    past: [],
    future: [],

    load: (document, version) => {
      coalescer.reset();
      set({ ...documentToFlowState(document), dirty: false, errors: {}, serverErrors: [], checkedCanvas: undefined, pendingSeparate: true, past: [], future: [], ...(version !== undefined ? { baseVersion: version } : {}) });
    },
    toDocument: () => flowToDocument(get()),
    markSaved: (version) => set({ dirty: false, ...(version !== undefined ? { baseVersion: version } : {}) }),
    setErrors: (errors) => {
      const { nodes, edges, ioEdges } = get();
      set({ serverErrors: errors, checkedCanvas: { nodes, edges, ioEdges } });
      get().refreshErrors();
    },
    refreshErrors: () => {
      const { serverErrors, checkedCanvas, nodes, edges, ioEdges } = get();
      if (!checkedCanvas) return;
      const errors = liveErrors(serverErrors, checkedCanvas, { nodes, edges, ioEdges }, useCatalogueStore.getState().byType);
      // Unchanged errors keep their arrays, so that moving a node re-renders nothing else.
      const prev = get().errors;
      const same = (a: ValidationError[] | undefined, b: ValidationError[] | undefined) => JSON.stringify(a) === JSON.stringify(b);
      const keys = new Set([...Object.keys(prev), ...Object.keys(errors)]);
      if ([...keys].every((k) => same(prev[k], errors[k]))) return;
      set({ errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, same(prev[k], v) ? prev[k]! : v])) });
    },
    setBaseVersion: (version) => set({ baseVersion: version }),
    setEditMode: (mode) => set({ editMode: mode }),
    replaceDocument: (document) => {
      edit('all', undefined, () => ({ ...documentToFlowState(document), errors: {}, serverErrors: [], checkedCanvas: undefined, pendingSeparate: true }));
    },

    onNodesChange: (changes) => {
      const edits = changes.filter(isEdit);
      // Selection and measurements always apply; edits only where the mode allows them.
      const allowed = edits.length && !may('all') ? changes.filter((c) => !isEdit(c)) : changes;
      if (allowed !== changes && allowed.length === 0) return;
      if (allowed === changes && edits.length) record(editKey(edits));
      const s = get();
      const frameIds = new Set(s.frames.map((f) => f.id));
      const ioIds = new Set(s.ioNodes.map((n) => n.id));
      const forFrames = changesFor<FrameNode>(allowed, frameIds, true);
      const forIo = changesFor<IoNode>(allowed, ioIds, true);
      const forNodes = changesFor<PixelNode>(allowed, new Set([...frameIds, ...ioIds]), false);
      set({
        ...(forNodes.length ? { nodes: applyNodeChanges(forNodes, s.nodes) } : {}),
        ...(forFrames.length ? { frames: applyNodeChanges(forFrames, s.frames) } : {}),
        ...(forIo.length ? { ioNodes: applyNodeChanges(forIo, s.ioNodes) } : {}),
        ...(allowed === changes && edits.length ? { dirty: true } : {}),
      });
      // A drag ends with dragging: false; the next drag is a new undo step.
      if (edits.some((c) => c.type === 'position' && c.dragging === false)) coalescer.reset();
    },
    onEdgesChange: (changes) => {
      const edits = changes.filter(isEdit);
      const allowed = edits.length && !may('all') ? changes.filter((c) => !isEdit(c)) : changes;
      if (allowed.length === 0) return;
      if (allowed === changes && edits.length) record(editKey(edits));
      const s = get();
      const ioIds = new Set(s.ioEdges.map((e) => e.id));
      const mine = (io: boolean) => allowed.filter((c) => (c.type === 'add' || c.type === 'replace' ? false : ioIds.has(c.id) === io));
      const forIo = mine(true) as EdgeChange<IoEdge>[];
      const forEdges = mine(false);
      set({
        ...(forEdges.length ? { edges: applyEdgeChanges(forEdges, s.edges) } : {}),
        ...(forIo.length ? { ioEdges: applyEdgeChanges(forIo, s.ioEdges) } : {}),
        ...(allowed === changes && edits.length ? { dirty: true } : {}),
      });
    },
    connect: (connection, resolved) => {
      if (!connection.sourceHandle || !connection.targetHandle) return;
      edit('all', undefined, (s) => connectWiring(s, connection, resolved));
    },
    addNode: (type, position, options = {}) => {
      const id = nextNodeId(type, allIds(get()), options.slug);
      const s0 = get();
      const node: PixelNode = {
        id,
        type: 'pixel',
        // Never on top of another node: the free spot nearest to where it was asked for.
        position: freeSpot(position, [...s0.nodes, ...s0.ioNodes].map(rectOf)),
        selected: true,
        data: { type, params: options.params ?? {}, ...(options.typeVersion ? { typeVersion: options.typeVersion } : {}) },
      };
      const added = edit('all', undefined, (s) => ({ nodes: [...deselect(s.nodes), node], frames: deselect(s.frames), ioNodes: deselect(s.ioNodes) }));
      return added ? id : '';
    },
    addPipeline: (graphId, version, position) => get().addNode(PIPELINE_TYPE, position, { params: { graphId, version, inputs: {} }, slug: 'pipe' }),
    setParam: (nodeId, name, value) => {
      edit('params', `param:${nodeId}:${name}`, (s) => ({
        nodes: s.nodes.map((n) => {
          if (n.id !== nodeId) return n;
          const { [name]: _old, ...others } = n.data.params;
          return { ...n, data: { ...n.data, params: value === undefined ? others : { ...others, [name]: value } } };
        }),
      }));
    },
    setPipelineInput: (nodeId, name, value) => {
      const node = get().nodes.find((n) => n.id === nodeId);
      const { [name]: _old, ...others } = (node?.data.params.inputs ?? {}) as Record<string, unknown>;
      get().setParam(nodeId, 'inputs', value === undefined ? others : { ...others, [name]: value });
    },
    repinPipeline: (nodeId, version, ports) => {
      edit('all', undefined, (s) => repinPipeline(s, nodeId, version, ports));
    },
    setLabel: (nodeId, label) => {
      edit('all', `label:${nodeId}`, (s) => ({
        nodes: s.nodes.map((n) => (n.id === nodeId ? { ...n, data: { ...n.data, label: label.trim() ? label : undefined } } : n)),
      }));
    },
    setBypass: (nodeIds, bypass) => {
      const ids = new Set(nodeIds);
      if (!get().nodes.some((n) => ids.has(n.id) && (n.data.bypass === true) !== bypass)) return;
      edit('all', undefined, (s) => ({ nodes: withBypass(s.nodes, ids, bypass) }));
    },
    insertReroute: (edgeId, at) => {
      if (!may('all')) return { problem: 'you may not edit this graph' };
      const id = nextNodeId(REROUTE_TYPE, allIds(get()), 'reroute');
      const inserted = insertReroute(get(), edgeId, id, at);
      if (!inserted.ok) return { problem: inserted.problem };
      edit('all', undefined, (s) => ({ ...inserted.wiring, frames: deselect(s.frames), ioNodes: deselect(inserted.wiring.ioNodes) }));
      return { id };
    },
    addGraphPort: (side, position) => {
      const node = newGraphPort(get().ioNodes, side, freeSpot(position, [...get().nodes, ...get().ioNodes].map(rectOf), { width: 200, height: 120 }));
      const added = edit('all', undefined, (s) => ({ nodes: deselect(s.nodes), frames: deselect(s.frames), ioNodes: [...deselect(s.ioNodes), node] }));
      return added ? node.id : '';
    },
    exposeInput: (nodeId, what) => {
      let id = '';
      edit('all', undefined, (s) => {
        const { id: made, ...wired } = exposeInput(s, nodeId, what);
        id = made;
        return { ...wired, nodes: deselect(s.nodes) };
      });
      return id;
    },
    exposeOutput: (nodeId, port, kind) => {
      let id = '';
      edit('all', undefined, (s) => {
        const { id: made, ...wired } = exposeOutput(s, nodeId, port, kind);
        id = made;
        return { ...wired, nodes: deselect(s.nodes) };
      });
      return id;
    },
    updateGraphPort: (id, patch) => {
      edit('all', `graph-port:${id}:${Object.keys(patch).join(',')}`, (s) => ({ ioNodes: updateGraphPort(s.ioNodes, id, patch) }));
    },
    addFrame: (position, title = 'Frame') => {
      const id = nextNodeId('frame', allIds(get()));
      const added = edit('all', undefined, (s) => ({ frames: [...s.frames, makeFrame(id, title, position)] }));
      return added ? id : '';
    },
    setFrameTitle: (frameId, title) => {
      edit('all', `frame-title:${frameId}`, (s) => ({ frames: s.frames.map((f) => (f.id === frameId ? { ...f, data: { title } } : f)) }));
    },
    copySelection: () => makeFragment(get().nodes, get().edges),
    paste: (fragment, at) => {
      if (fragment.nodes.length === 0) return;
      edit('all', undefined, (s) => {
        const { nodes, edges } = instantiateFragment(fragment, allIds(s), at);
        return { nodes: [...deselect(s.nodes), ...nodes], edges: [...s.edges, ...edges], ioNodes: deselect(s.ioNodes) };
      });
    },
    autoLayout: () => {
      if (get().nodes.length === 0) return;
      edit('all', undefined, (s) => {
        const positions = layoutPositions([...s.nodes, ...s.ioNodes], [...s.edges, ...s.ioEdges]);
        const place = <T extends PixelNode | IoNode>(n: T): T => ({ ...n, position: positions.get(n.id) ?? n.position });
        const laid = { nodes: s.nodes.map(place), ioNodes: s.ioNodes.map(place) };
        const apart = nudgeOverlaps([...laid.nodes, ...laid.ioNodes]);
        const nudge = <T extends PixelNode | IoNode>(n: T): T => (apart.has(n.id) ? { ...n, position: apart.get(n.id)! } : n);
        return { nodes: laid.nodes.map(nudge), ioNodes: laid.ioNodes.map(nudge) };
      });
    },
    separateOverlaps: () => {
      const s = get();
      const apart = nudgeOverlaps([...s.nodes, ...s.ioNodes]);
      if (s.pendingSeparate) set({ pendingSeparate: false });
      if (apart.size === 0) return;
      const nudge = <T extends PixelNode | IoNode>(n: T): T => (apart.has(n.id) ? { ...n, position: apart.get(n.id)! } : n);
      set({ nodes: s.nodes.map(nudge), ioNodes: s.ioNodes.map(nudge) });
    },
    undo: () => {
      const s = get();
      const previous = s.past.at(-1);
      if (!previous || !may('params')) return;
      coalescer.reset();
      set({ ...previous, past: s.past.slice(0, -1), future: [...s.future, snapshot(s)], dirty: true });
    },
    redo: () => {
      const s = get();
      const next = s.future.at(-1);
      if (!next || !may('params')) return;
      coalescer.reset();
      set({ ...next, future: s.future.slice(0, -1), past: pushBounded(s.past, snapshot(s)), dirty: true });
    },
  };
});

// Errors follow the document: every change of nodes or wires re-checks what the server said.
useGraphStore.subscribe((s, prev) => {
  if (s.checkedCanvas && (s.nodes !== prev.nodes || s.edges !== prev.edges || s.ioEdges !== prev.ioEdges)) s.refreshErrors();
});
