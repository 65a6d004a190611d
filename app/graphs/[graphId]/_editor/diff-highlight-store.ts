'use client';
import { create } from 'zustand';
import type { RouterOutputs } from '../../../_components/types';

export type VersionDiff = RouterOutputs['graphs']['diff'];

export interface DiffHighlight {
  graphId: string;
  from: number;
  to: number;
  /** Node ids to mark on the canvas: added in `to`, and changed (params, type or label; not only moved). */
  added: string[];
  changed: string[];
  /** Nodes that `to` no longer has: listed, not on the canvas. */
  removed: { id: string; type: string }[];
}

interface DiffHighlightState {
  highlight: DiffHighlight | undefined;
  show(graphId: string, diff: VersionDiff): void;
  clear(): void;
}

/** The version comparison marked on the canvas, until dismissed (or another graph opens). */
export const useDiffHighlight = create<DiffHighlightState>((set) => ({
  highlight: undefined,
  show: (graphId, diff) =>
    set({
      highlight: {
        graphId,
        from: diff.from,
        to: diff.to,
        added: diff.nodes.added.map((n) => n.id),
        changed: diff.nodes.changed.filter((c) => !c.movedOnly).map((c) => c.id),
        removed: diff.nodes.removed,
      },
    }),
  clear: () => set({ highlight: undefined }),
}));

/** An attribute selector value, quoted for CSS. */
const quoted = (id: string) => `"${id.replace(/["\\]/g, '\\$&').replace(/[\n\r\f]/g, '')}"`;

/**
 * The style sheet that marks the highlighted nodes: React Flow renders each node in an element with
 * data-id, so no node component needs to know about the comparison. Added nodes get a green ring and
 * an "added" tag, changed ones amber and "changed".
 */
export function highlightCss(h: Pick<DiffHighlight, 'added' | 'changed'>): string {
  const rule = (ids: string[], colour: string, tag: string) =>
    ids.length === 0
      ? ''
      : `${ids.map((id) => `.react-flow__node[data-id=${quoted(id)}]`).join(',')}{outline:3px solid ${colour};outline-offset:3px;border-radius:8px}\n` +
        `${ids.map((id) => `.react-flow__node[data-id=${quoted(id)}]::before`).join(',')}{content:${JSON.stringify(tag)};position:absolute;top:-1.6rem;left:0;font:600 11px system-ui,sans-serif;background:${colour};color:#fff;padding:1px 6px;border-radius:999px}\n`;
  return rule(h.added, '#16a34a', 'added') + rule(h.changed, '#d97706', 'changed');
}
