import type { Connection, XYPosition } from '@xyflow/react';
import { isPortValue, type PortKind } from '../../../../nodes/ports';
import type { ResolvedConnection } from './connection-check';
import { edgeId, type PixelEdge, type PixelNode } from './document-flow';
import {
  IO_HANDLE,
  inputEdge,
  isGraphInput,
  newIoId,
  outputEdge,
  paramHandleId,
  uniqueIoName,
  type GraphInputData,
  type GraphInputNode,
  type GraphOutputData,
  type GraphOutputNode,
  type IoEdge,
  type IoNode,
} from './graph-io';
import type { PipelinePorts } from './pipeline-ports';

/** The parts of the canvas that wiring touches. */
export interface Wiring {
  nodes: PixelNode[];
  edges: PixelEdge[];
  ioNodes: IoNode[];
  ioEdges: IoEdge[];
}

/** Whether a default still fits the kind (image-like inputs take no default). */
const keepsDefault = (kind: PortKind, value: unknown) => value !== undefined && kind !== 'image' && kind !== 'mask' && kind !== 'boxes' && isPortValue(kind, value);

function withKind<T extends IoNode>(node: T, kind: PortKind): T {
  if (node.data.kind === kind) return node;
  if (isGraphInput(node)) {
    const { default: old, ...data } = node.data;
    return { ...node, data: { ...data, kind, ...(keepsDefault(kind, old) ? { default: old } : {}) } } as T;
  }
  return { ...node, data: { ...node.data, kind } };
}

/**
 * Adds a connection: a node edge, or a wire of a graph input (to a port or a param) or
 * output. Whatever already went into the same input port, param or graph output is replaced
 * (each takes one), and a graph input/output that adopts a kind takes it.
 */
export function connectWiring(w: Wiring, c: Connection, resolved: ResolvedConnection = {}): Pick<Wiring, 'edges' | 'ioEdges' | 'ioNodes'> {
  const { source, sourceHandle, target, targetHandle } = c;
  if (!sourceHandle || !targetHandle) return w;
  const io = new Set(w.ioNodes.map((n) => n.id));
  const into = (e: { target: string; targetHandle?: string | null }) => e.target === target && e.targetHandle === targetHandle;
  const edges = w.edges.filter((e) => !into(e));
  let ioEdges = w.ioEdges.filter((e) => !into(e));
  if (io.has(source)) ioEdges = [...ioEdges, inputEdge(source, resolved.param ? { node: target, param: resolved.param } : { node: target, port: targetHandle })];
  else if (io.has(target)) ioEdges = [...ioEdges, outputEdge(source, sourceHandle, target)];
  else edges.push({ id: edgeId(source, sourceHandle, target, targetHandle), source, sourceHandle, target, targetHandle });
  const adopt = resolved.adopt;
  const ioNodes = adopt ? w.ioNodes.map((n) => (n.id === adopt.nodeId ? withKind(n, adopt.kind) : n)) : w.ioNodes;
  return { edges, ioEdges, ioNodes };
}

const namesOf = (ioNodes: readonly IoNode[], type: IoNode['type']) => ioNodes.filter((n) => n.type === type).map((n) => n.data.name);

/** A new, unwired Input or Output node (image, required) with a free name. */
export function newGraphPort(ioNodes: readonly IoNode[], side: 'input' | 'output', position: XYPosition, init: Partial<GraphInputData> = {}): IoNode {
  if (side === 'input') {
    const data: GraphInputData = { kind: 'image', required: true, ...init, name: uniqueIoName(init.name ?? 'input', namesOf(ioNodes, 'graphInput')) };
    return { id: newIoId('input'), type: 'graphInput', position, selected: true, data } satisfies GraphInputNode;
  }
  const data: GraphOutputData = { kind: (init.kind as PortKind | undefined) ?? 'image', name: uniqueIoName(init.name ?? 'output', namesOf(ioNodes, 'graphOutput')) };
  return { id: newIoId('output'), type: 'graphOutput', position, selected: true, data } satisfies GraphOutputNode;
}

/** Where a graph input or output beside a node goes: left of it (inputs) or right of it (outputs), below any graph port already there. */
function beside(w: Wiring, nodeId: string, side: 'input' | 'output'): XYPosition {
  const node = w.nodes.find((n) => n.id === nodeId);
  const at = node?.position ?? { x: 0, y: 0 };
  const width = node?.measured?.width ?? 240;
  const x = side === 'input' ? at.x - 300 : at.x + width + 60;
  // Below whatever already occupies that spot (another graph port, another node).
  const size = { width: 240, height: 200 };
  const others = [...w.ioNodes, ...w.nodes.filter((n) => n.id !== nodeId)];
  const overlaps = (y: number) =>
    others.some((n) => {
      const width = n.measured?.width ?? size.width;
      const height = n.measured?.height ?? size.height;
      return x < n.position.x + width && n.position.x < x + size.width && y < n.position.y + height && n.position.y < y + size.height;
    });
  let y = at.y;
  for (let tries = 0; tries < 40 && overlaps(y); tries++) y += 40;
  return { x, y };
}

export type ExposeInput =
  | { port: string; kind: PortKind; optional: boolean }
  | { param: string; kind: PortKind; value: unknown };

/** "Expose as graph input": an Input node named after the port or param, wired to it (replacing what fed it). */
export function exposeInput(w: Wiring, nodeId: string, what: ExposeInput): Pick<Wiring, 'edges' | 'ioEdges' | 'ioNodes'> & { id: string } {
  const init: Partial<GraphInputData> =
    'port' in what
      ? { name: what.port, kind: what.kind, required: !what.optional }
      : { name: what.param, kind: what.kind, required: !keepsDefault(what.kind, what.value), ...(keepsDefault(what.kind, what.value) ? { default: what.value } : {}) };
  const node = newGraphPort(w.ioNodes, 'input', beside(w, nodeId, 'input'), init);
  const ioNodes = [...w.ioNodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node];
  const targetHandle = 'port' in what ? what.port : paramHandleId(what.param);
  const wired = connectWiring({ ...w, ioNodes }, { source: node.id, sourceHandle: IO_HANDLE, target: nodeId, targetHandle }, 'param' in what ? { param: what.param } : {});
  return { ...wired, id: node.id };
}

/** "Expose as graph output": an Output node named after the port, reading it. */
export function exposeOutput(w: Wiring, nodeId: string, port: string, kind: PortKind): Pick<Wiring, 'ioEdges' | 'ioNodes'> & { id: string } {
  const node = newGraphPort(w.ioNodes, 'output', beside(w, nodeId, 'output'), { name: port, kind });
  return { ioNodes: [...w.ioNodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node], ioEdges: [...w.ioEdges, outputEdge(nodeId, port, node.id)], id: node.id };
}

/** Why a graph input or output may not take this name, or null. */
export function ioNameProblem(ioNodes: readonly IoNode[], id: string, name: string): string | null {
  const node = ioNodes.find((n) => n.id === id);
  if (!node) return 'no such graph port';
  if (!/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(name)) return 'letters, digits, _ or -, not starting with a digit';
  if (ioNodes.some((n) => n.id !== id && n.type === node.type && n.data.name === name)) return `another graph ${node.type === 'graphInput' ? 'input' : 'output'} is named ${name}`;
  return null;
}

/** Edits a graph input's or output's fields; a kind change drops a default that no longer fits (wires stay: the server reports a misfit on the node it reaches). */
export function updateGraphPort(ioNodes: readonly IoNode[], id: string, patch: Partial<GraphInputData>): IoNode[] {
  return ioNodes.map((n) => {
    if (n.id !== id) return n;
    const { kind, ...rest } = patch;
    let next = { ...n, data: { ...n.data, ...rest } } as IoNode;
    if (kind) next = withKind(next, kind);
    if (isGraphInput(next) && 'default' in patch && patch.default === undefined) {
      const { default: _d, ...data } = next.data;
      next = { ...next, data };
    }
    return next;
  });
}

/**
 * Moves a pipeline node to another version of its graph: wires into inputs or out of outputs
 * the version no longer has are removed, and so are values of inputs it no longer takes.
 */
export function repinPipeline(w: Wiring, nodeId: string, version: number, ports: PipelinePorts): Pick<Wiring, 'nodes' | 'edges' | 'ioEdges'> {
  const handlesIn = new Set(ports.inputs.filter((i) => i.feedsPort).map((i) => i.name));
  const handlesOut = new Set(ports.outputs.map((o) => o.name));
  const values = new Set(ports.inputs.filter((i) => i.setsParams).map((i) => i.name));
  const keeps = (e: PixelEdge | IoEdge) =>
    (e.target !== nodeId || handlesIn.has(e.targetHandle ?? '')) && (e.source !== nodeId || handlesOut.has(e.sourceHandle ?? ''));
  const nodes = w.nodes.map((n) => {
    if (n.id !== nodeId) return n;
    const inputs = (n.data.params.inputs ?? {}) as Record<string, unknown>;
    const kept = Object.fromEntries(Object.entries(inputs).filter(([name]) => values.has(name)));
    return { ...n, data: { ...n.data, params: { ...n.data.params, version, inputs: kept } } };
  });
  return { nodes, edges: w.edges.filter(keeps), ioEdges: w.ioEdges.filter(keeps) };
}
