'use client';
import { useReactFlow } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import { useGraphStore } from './graph-store';
import { bypassRefusal } from './node-bypass';

export interface NodeMenuAt {
  nodeId: string;
  /** Where it opens, in the canvas element's coordinates. */
  left: number;
  top: number;
}

/**
 * A document node's context menu (right-click): Bypass / Stop bypassing (Ctrl+B), with the
 * reason when the node cannot be bypassed, and Delete. Acts on the selection when the node
 * is part of it. Closes on Escape, on a pick, and on a click elsewhere.
 */
export function NodeContextMenu({ at, onClose }: { at: NodeMenuAt; onClose(): void }) {
  const node = useGraphStore((s) => s.nodes.find((n) => n.id === at.nodeId));
  const editable = useGraphStore((s) => s.editMode === 'all');
  const { deleteElements } = useReactFlow();
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    menu.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    const outside = (e: PointerEvent) => {
      if (!(e.target instanceof Node) || !menu.current?.contains(e.target)) onClose();
    };
    document.addEventListener('pointerdown', outside, true);
    return () => document.removeEventListener('pointerdown', outside, true);
  }, [onClose]);

  if (!node) return null;
  const refusal = bypassRefusal(node.data.type);
  const bypassed = node.data.bypass === true;
  const targets = () => {
    const { nodes } = useGraphStore.getState();
    const group = node.selected ? nodes.filter((n) => n.selected) : [node];
    return bypassed ? group.map((n) => n.id) : group.filter((n) => bypassRefusal(n.data.type) === undefined).map((n) => n.id);
  };

  return (
    <div
      ref={menu}
      className="pw-node-menu"
      role="menu"
      aria-label={`Node ${node.id}`}
      data-testid="node-menu"
      style={{ left: at.left, top: at.top }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <button
        type="button"
        role="menuitem"
        className="pw-node-menu__item"
        disabled={!editable || (!bypassed && refusal !== undefined)}
        title={!bypassed ? refusal : undefined}
        onClick={() => {
          useGraphStore.getState().setBypass(targets(), !bypassed);
          onClose();
        }}
      >
        <span>{bypassed ? 'Stop bypassing' : 'Bypass'}</span>
        <kbd>Ctrl+B</kbd>
      </button>
      {!bypassed && refusal && (
        <p className="pw-node-menu__note pw-muted" data-testid="node-menu-note">
          {refusal}
        </p>
      )}
      <button
        type="button"
        role="menuitem"
        className="pw-node-menu__item"
        disabled={!editable}
        onClick={() => {
          const { nodes } = useGraphStore.getState();
          const ids = node.selected ? nodes.filter((n) => n.selected).map((n) => n.id) : [node.id];
          void deleteElements({ nodes: ids.map((id) => ({ id })) });
          onClose();
        }}
      >
        <span>Delete</span>
        <kbd>Del</kbd>
      </button>
    </div>
  );
}
