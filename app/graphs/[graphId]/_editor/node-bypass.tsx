'use client';
import { useShallow } from 'zustand/react/shallow';
import type { CatalogueEntry } from '../../../../nodes/catalogue';
import { bypassBlocker, bypassGapMessage } from './bypass-rules';
import { useCatalogueStore } from './catalogue-store';
import { useGraphStore } from './graph-store';
import { PIPELINE_TYPE } from './pipeline-ports';
import { showToast } from './toast-store';

/** Why a document node of this type cannot be bypassed, or undefined. */
export function bypassRefusal(type: string): string | undefined {
  if (type === PIPELINE_TYPE) return 'a pipeline node cannot be bypassed (bypass nodes inside its graph instead)';
  const item = useCatalogueStore.getState().byType.get(type);
  return item ? bypassBlocker(item.entry) : `unknown node type “${type}”`;
}

/**
 * Ctrl+B: bypasses the selected nodes, or stops bypassing them when all of them are; nodes
 * that cannot be bypassed are left as they are, and a toast says why.
 */
export function toggleBypassOfSelection(): void {
  const store = useGraphStore.getState();
  if (store.editMode !== 'all') return;
  const selected = store.nodes.filter((n) => n.selected);
  if (selected.length === 0) return showToast('select the nodes to bypass (Ctrl+B)');
  const bypass = !selected.every((n) => n.data.bypass);
  const refused = bypass ? selected.map((n) => bypassRefusal(n.data.type)).filter((r): r is string => r !== undefined) : [];
  const ids = selected.filter((n) => !bypass || bypassRefusal(n.data.type) === undefined).map((n) => n.id);
  store.setBypass(ids, bypass);
  if (refused.length) showToast(refused[0]! + (refused.length > 1 ? ` (and ${refused.length - 1} more)` : ''));
}

/** The "Bypassed" badge in a bypassed node's header. */
export function BypassBadge({ id, bypassed }: { id: string; bypassed: boolean | undefined }) {
  if (!bypassed) return null;
  return (
    <span className="pw-badge pw-badge--bypassed" data-testid={`bypassed-${id}`} title="Bypassed: passes its matching inputs on instead of running (Ctrl+B to undo)">
      bypassed
    </span>
  );
}

/** Under a bypassed node: the outputs it would have nothing for with its inputs connected as they are (the run would fail it). */
export function BypassGap({ id, entry, bypassed }: { id: string; entry: CatalogueEntry | undefined; bypassed: boolean | undefined }) {
  const connected = useGraphStore(useShallow((s) => (bypassed ? [...s.edges, ...s.ioEdges].filter((e) => e.target === id).map((e) => e.targetHandle ?? '') : [])));
  const message = bypassed && entry ? bypassGapMessage(entry, new Set(connected)) : undefined;
  if (!message) return null;
  return (
    <p className="pw-node__bypass-gap" data-testid={`bypass-gap-${id}`} title={message}>
      {message}
    </p>
  );
}
