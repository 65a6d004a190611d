import type { EdgeChange, NodeChange } from '@xyflow/react';
import type { EditorNode, PixelEdge } from './document-flow';

/** How React Flow's changes are sorted into the graph store's arrays and undo steps. */

/** Changes that only reflect what React Flow measured or selected: no undo step, not dirty. */
export function isEdit(change: NodeChange<EditorNode> | EdgeChange<PixelEdge>): boolean {
  if (change.type === 'select') return false;
  if (change.type === 'dimensions') return Boolean(change.setAttributes || change.resizing);
  return true;
}

/** The undo key of a batch of edits: a drag or a resize coalesces into one step. */
export function editKey(changes: (NodeChange<EditorNode> | EdgeChange<PixelEdge>)[]): string | undefined {
  const first = changes[0];
  if (!first) return undefined;
  if (first.type === 'position') return 'move';
  if (first.type === 'dimensions') return `resize:${first.id}`;
  if (first.type === 'remove') return 'remove';
  return undefined;
}

/** The changes that concern one array of nodes (those without an item, so they apply to any node type). */
export function changesFor<T extends EditorNode>(changes: NodeChange<EditorNode>[], ids: ReadonlySet<string>, mine: boolean): NodeChange<T>[] {
  return changes.filter((c) => c.type !== 'add' && c.type !== 'replace' && ids.has(c.id) === mine) as NodeChange<T>[];
}

export function allIds(s: { nodes: readonly { id: string }[]; frames: readonly { id: string }[]; ioNodes: readonly { id: string }[] }): Set<string> {
  return new Set([...s.nodes.map((n) => n.id), ...s.frames.map((f) => f.id), ...s.ioNodes.map((n) => n.id)]);
}

export const deselect = <T extends { selected?: boolean }>(list: T[]): T[] => list.map((n) => (n.selected ? { ...n, selected: false } : n));
