'use client';
import { useReactFlow, type Edge, type Node } from '@xyflow/react';
import { useCallback, useState, type MouseEvent as ReactMouseEvent, type RefObject } from 'react';
import { useGraphStore } from './graph-store';
import { NodeContextMenu, type NodeMenuAt } from './node-context-menu';
import './node-tools.css';
import { showToast } from './toast-store';

/**
 * The canvas's node tools: a document node's context menu (bypass, delete) on right-click,
 * and a reroute point put on a wire by double-clicking it or Alt+clicking it.
 */
export function useNodeTools(wrapper: RefObject<HTMLDivElement | null>) {
  const [menuAt, setMenuAt] = useState<NodeMenuAt | null>(null);
  const { screenToFlowPosition } = useReactFlow();

  const onNodeContextMenu = useCallback((event: ReactMouseEvent, node: Node) => {
    if (node.type !== 'pixel') return;
    event.preventDefault();
    const rect = wrapper.current?.getBoundingClientRect();
    const left = rect ? Math.max(4, Math.min(event.clientX - rect.left, rect.width - 220)) : event.clientX;
    const top = rect ? Math.max(4, Math.min(event.clientY - rect.top, rect.height - 140)) : event.clientY;
    setMenuAt({ nodeId: node.id, left, top });
  }, [wrapper]);

  const reroute = useCallback(
    (event: ReactMouseEvent, edge: Edge) => {
      if (useGraphStore.getState().editMode !== 'all') return;
      event.preventDefault();
      event.stopPropagation();
      const result = useGraphStore.getState().insertReroute(edge.id, screenToFlowPosition({ x: event.clientX, y: event.clientY }));
      if ('problem' in result) showToast(result.problem);
    },
    [screenToFlowPosition],
  );
  const onEdgeClick = useCallback((event: ReactMouseEvent, edge: Edge) => {
    if (event.altKey) reroute(event, edge);
  }, [reroute]);

  const closeMenu = useCallback(() => setMenuAt(null), []);
  const menu = menuAt ? <NodeContextMenu at={menuAt} onClose={closeMenu} /> : null;
  return { onNodeContextMenu, onEdgeDoubleClick: reroute, onEdgeClick, menu };
}
