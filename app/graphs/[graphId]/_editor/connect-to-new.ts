import { canConnect, type InputKind } from '../../../../nodes/ports';
import { IO_HANDLE } from './graph-io';
import type { PaletteChoice, PaletteEntry } from './palette-entries';

/** A connection dragged from a handle and dropped on the empty canvas: what it starts from. */
export interface LooseEnd {
  nodeId: string;
  handleId: string;
  /** 'source': dragged from an output (the new node takes it on an input); 'target': from an input. */
  side: 'source' | 'target';
  /** `any`: an input that takes every kind, or an output whose kind is not known yet (a reroute nothing feeds). */
  kind: InputKind;
}

/** The handle of a new node (made from `choice`) that the loose end connects to, or undefined when none fits. */
export function compatibleHandle(choice: PaletteChoice, end: LooseEnd): string | undefined {
  if (choice.kind === 'graph-port') return (end.side === 'source') === (choice.side === 'output') ? IO_HANDLE : undefined;
  if (choice.kind !== 'node') return undefined;
  const { inputs, outputs } = choice.item.entry;
  // An output of kind `any` (a new node's sameAs output, an unfed reroute) will carry what feeds it: it may go anywhere.
  const from = end.kind;
  if (end.side === 'source') return inputs.find((p) => from === 'any' || canConnect(from, p.kind))?.name;
  return outputs.find((p) => p.kind === 'any' || canConnect(p.kind, end.kind))?.name;
}

/** Whether the palette offers `entry` for the loose end (nodes with a compatible port, the matching graph port). */
export const acceptsLooseEnd = (end: LooseEnd) => (entry: PaletteEntry) => compatibleHandle(entry.choice, end) !== undefined;

/** The connection from the loose end to the new node's handle. */
export function connectionTo(end: LooseEnd, newNodeId: string, handle: string) {
  return end.side === 'source'
    ? { source: end.nodeId, sourceHandle: end.handleId, target: newNodeId, targetHandle: handle }
    : { source: newNodeId, sourceHandle: handle, target: end.nodeId, targetHandle: end.handleId };
}
