import type { Edge, Node, XYPosition } from '@xyflow/react';
import { z } from 'zod';
import type { PortKind } from '../../../../nodes/ports';
import type { GraphDocument, GraphInput, GraphOutput, InputTarget } from '../../../../engine/graph-document';
import { randomToken } from './ids';

/**
 * Graph inputs and outputs on the canvas. The document keeps them as it always did
 * (`inputs[].targets`, `outputs[].source`); the canvas shows each as an Input or
 * Output node wired to its targets or source. Their positions live in the
 * document's `ui.graphIo` (as frames live in `ui.frames`); a position the editor
 * computed and nobody moved is not written back, so loading and saving a document
 * from the CLI or the API changes nothing.
 */
export type GraphInputData = {
  name: string;
  kind: PortKind;
  required: boolean;
  default?: unknown;
  description?: string;
  /** The position computed at load (no stored one); written back only once the node moved. */
  autoPosition?: XYPosition;
};
export type GraphOutputData = { name: string; kind: PortKind; description?: string; autoPosition?: XYPosition };
export type GraphInputNode = Node<GraphInputData, 'graphInput'>;
export type GraphOutputNode = Node<GraphOutputData, 'graphOutput'>;
export type IoNode = GraphInputNode | GraphOutputNode;
/** A wire from an Input node to a node's port or param (`data.param`), or from a node's port to an Output node. */
export type IoEdge = Edge<{ param?: string }>;

/** The one handle of an Input node (source) and of an Output node (target). */
export const IO_HANDLE = 'value';
/** The target handle of a node param that a graph input may set; the param's name comes from the edge's data. */
export const paramHandleId = (param: string) => `param:${param}`;

export const newIoId = (side: 'input' | 'output') => `${side}:${randomToken()}`;
export const isGraphInput = (n: IoNode): n is GraphInputNode => n.type === 'graphInput';
export const isGraphOutput = (n: IoNode): n is GraphOutputNode => n.type === 'graphOutput';

/** Names of graph inputs and outputs: what zGraphDocument accepts. */
export const ioNamePattern = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/** `base` made a valid name, with _2, _3… until it is not taken. */
export function uniqueIoName(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  let name = base.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^[^A-Za-z_]/, '_$&').slice(0, 58) || 'value';
  if (!ioNamePattern.test(name)) name = 'value';
  if (!used.has(name)) return name;
  for (let n = 2; ; n++) if (!used.has(`${name}_${n}`)) return `${name}_${n}`;
}

const zPos = z.object({ x: z.number(), y: z.number() });
const zPendingOutput = z.object({ name: z.string(), kind: z.string(), description: z.string().optional(), position: zPos });
/** `ui.graphIo`: positions by name, and Output nodes not wired yet (a document output needs a source). */
const zGraphIoUi = z.object({
  inputs: z.record(z.string(), zPos).optional(),
  outputs: z.record(z.string(), zPos).optional(),
  pendingOutputs: z.array(zPendingOutput).optional(),
});
export type GraphIoUi = z.infer<typeof zGraphIoUi>;

function graphIoUi(ui: Record<string, unknown> | undefined): GraphIoUi {
  const parsed = zGraphIoUi.safeParse(ui?.graphIo);
  return parsed.success ? parsed.data : {};
}

const NODE_WIDTH = 240;
const GAP = 80;

/** Input and Output nodes and their wires for a document; `positions` are the document nodes' positions. */
export function ioFromDocument(
  doc: Pick<GraphDocument, 'inputs' | 'outputs' | 'ui'>,
  positions: ReadonlyMap<string, XYPosition>,
): { ioNodes: IoNode[]; ioEdges: IoEdge[] } {
  const stored = graphIoUi(doc.ui);
  const xs = [...positions.values()].map((p) => p.x);
  const minX = xs.length ? Math.min(...xs) : 0;
  const maxX = xs.length ? Math.max(...xs) : 0;
  const ioNodes: IoNode[] = [];
  const ioEdges: IoEdge[] = [];
  const stacked = new Map<string, number>();
  const used = new Set<string>();
  /** `input:photo` for a loaded input named photo (a random id if a broken document repeats the name). */
  const idFor = (side: 'input' | 'output', name: string) => {
    const id = used.has(`${side}:${name}`) ? newIoId(side) : `${side}:${name}`;
    used.add(id);
    return id;
  };
  /** Beside `anchor` (or in a column left/right of the graph), a little lower for each node already placed there. */
  const near = (anchor: XYPosition | undefined, dx: number, column: number, index: number): XYPosition => {
    const base = anchor ? { x: anchor.x + dx, y: anchor.y } : { x: column, y: index * 140 };
    const key = `${base.x},${base.y}`;
    const n = stacked.get(key) ?? 0;
    stacked.set(key, n + 1);
    return { x: base.x, y: base.y + n * 140 };
  };

  doc.inputs.forEach((input, i) => {
    const id = idFor('input', input.name);
    const first = input.targets[0];
    const at = stored.inputs?.[input.name];
    const autoPosition = at ? undefined : near(first && positions.get(first.node), -(NODE_WIDTH + GAP), minX - NODE_WIDTH - GAP, i);
    ioNodes.push({ id, type: 'graphInput', position: at ?? autoPosition!, data: inputData(input, autoPosition) });
    for (const t of input.targets) ioEdges.push(inputEdge(id, t));
  });
  doc.outputs.forEach((output, i) => {
    const id = idFor('output', output.name);
    const at = stored.outputs?.[output.name];
    const autoPosition = at ? undefined : near(positions.get(output.source.node), NODE_WIDTH + GAP, maxX + NODE_WIDTH + GAP, i);
    ioNodes.push({ id, type: 'graphOutput', position: at ?? autoPosition!, data: outputData(output, autoPosition) });
    ioEdges.push(outputEdge(output.source.node, output.source.port, id));
  });
  for (const pending of stored.pendingOutputs ?? []) {
    const kind = pending.kind as PortKind;
    ioNodes.push({ id: newIoId('output'), type: 'graphOutput', position: pending.position, data: { name: pending.name, kind, ...(pending.description ? { description: pending.description } : {}) } });
  }
  return { ioNodes, ioEdges };
}

function inputData(input: GraphInput, autoPosition: XYPosition | undefined): GraphInputData {
  return {
    name: input.name,
    kind: input.kind,
    required: input.required,
    ...(input.default !== undefined ? { default: input.default } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(autoPosition ? { autoPosition } : {}),
  };
}

function outputData(output: GraphOutput, autoPosition: XYPosition | undefined): GraphOutputData {
  return { name: output.name, kind: output.kind, ...(output.description !== undefined ? { description: output.description } : {}), ...(autoPosition ? { autoPosition } : {}) };
}

export function inputEdge(inputId: string, target: InputTarget): IoEdge {
  if ('param' in target) {
    const handle = paramHandleId(target.param);
    return { id: `${inputId}->${target.node}.${handle}`, source: inputId, sourceHandle: IO_HANDLE, target: target.node, targetHandle: handle, data: { param: target.param } };
  }
  return { id: `${inputId}->${target.node}.${target.port}`, source: inputId, sourceHandle: IO_HANDLE, target: target.node, targetHandle: target.port, data: {} };
}

export function outputEdge(node: string, port: string, outputId: string): IoEdge {
  return { id: `${node}.${port}->${outputId}`, source: node, sourceHandle: port, target: outputId, targetHandle: IO_HANDLE, data: {} };
}

const rounded = (p: XYPosition) => ({ x: Math.round(p.x), y: Math.round(p.y) });
const moved = (n: IoNode) => !n.data.autoPosition || n.data.autoPosition.x !== n.position.x || n.data.autoPosition.y !== n.position.y;

/**
 * The document's `inputs` and `outputs` from the canvas, and `ui.graphIo` (undefined when
 * there is nothing to keep). Wires to nodes that no longer exist are dropped.
 */
export function ioToDocument(
  ioNodes: readonly IoNode[],
  ioEdges: readonly IoEdge[],
  nodeIds: ReadonlySet<string>,
): { inputs: GraphInput[]; outputs: GraphOutput[]; ui: GraphIoUi | undefined } {
  const inputs: GraphInput[] = [];
  const outputs: GraphOutput[] = [];
  const ui: Required<GraphIoUi> = { inputs: {}, outputs: {}, pendingOutputs: [] };
  for (const n of ioNodes) {
    if (isGraphInput(n)) {
      const targets = ioEdges
        .filter((e) => e.source === n.id && nodeIds.has(e.target))
        .map((e): InputTarget => (e.data?.param ? { node: e.target, param: e.data.param } : { node: e.target, port: e.targetHandle ?? '' }));
      const { autoPosition: _a, ...data } = n.data;
      inputs.push({ ...data, targets });
      if (moved(n)) ui.inputs[n.data.name] = rounded(n.position);
      continue;
    }
    const wire = ioEdges.find((e) => e.target === n.id && nodeIds.has(e.source));
    const description = n.data.description !== undefined ? { description: n.data.description } : {};
    if (!wire) {
      ui.pendingOutputs.push({ name: n.data.name, kind: n.data.kind, ...description, position: rounded(n.position) });
      continue;
    }
    outputs.push({ name: n.data.name, kind: n.data.kind, ...description, source: { node: wire.source, port: wire.sourceHandle ?? '' } });
    if (moved(n)) ui.outputs[n.data.name] = rounded(n.position);
  }
  const kept: GraphIoUi = {
    ...(Object.keys(ui.inputs).length ? { inputs: ui.inputs } : {}),
    ...(Object.keys(ui.outputs).length ? { outputs: ui.outputs } : {}),
    ...(ui.pendingOutputs.length ? { pendingOutputs: ui.pendingOutputs } : {}),
  };
  return { inputs, outputs, ui: Object.keys(kept).length ? kept : undefined };
}
