'use client';
import type { Connection, OnConnectEnd } from '@xyflow/react';
import { useCallback, useMemo } from 'react';
import { useCatalogueStore } from './catalogue-store';
import { checkConnection, connectionProblem } from './connection-check';
import type { LooseEnd } from './connect-to-new';
import type { PixelEdge } from './document-flow';
import { useGraphStore } from './graph-store';
import { makePortLookup, type PortLookup } from './node-ports';
import { pipelinePortsOf, usePipelineStore } from './pipeline-store';
import { portColours } from './port-colours';
import { showToast } from './toast-store';

/** A port lookup over the canvas as it is now (catalogue, pipeline versions, graph inputs/outputs). */
function usePortLookup(): () => PortLookup {
  const byType = useCatalogueStore((s) => s.byType);
  // Selected so that the lookup (and the edges' colours) change when pipeline ports arrive.
  const byId = usePipelineStore((s) => s.byId);
  const versions = usePipelineStore((s) => s.versions);
  return useCallback(() => {
    const { nodes, edges, ioNodes, ioEdges } = useGraphStore.getState();
    const pipelines = { byId, versions };
    return makePortLookup({ nodes, edges, ioNodes, ioEdges, byType, pipelinePorts: (graphId, version) => pipelinePortsOf(pipelines, graphId, version) });
  }, [byType, byId, versions]);
}

const allEdges = () => {
  const { edges, ioEdges } = useGraphStore.getState();
  return [...edges, ...ioEdges];
};

/**
 * Typed connections for React Flow: whether a connection is valid (and why not, as a toast
 * when it is dropped), connecting (with what it means: a param a graph input sets, a kind a
 * graph input/output takes), and every wire drawn in the colour of the kind it carries.
 */
export function useConnections(onLooseEnd?: (end: LooseEnd, client: { x: number; y: number }) => void) {
  const lookupNow = usePortLookup();
  const nodes = useGraphStore((s) => s.nodes);
  const edges = useGraphStore((s) => s.edges);
  const ioNodes = useGraphStore((s) => s.ioNodes);
  const ioEdges = useGraphStore((s) => s.ioEdges);

  const isValidConnection = useCallback((c: PixelEdge | Connection) => connectionProblem(c, lookupNow(), allEdges()) === null, [lookupNow]);

  const onConnect = useCallback(
    (c: Connection) => {
      const check = checkConnection(c, lookupNow(), allEdges());
      if (!check.ok) return showToast(check.problem);
      const { ok: _ok, ...resolved } = check;
      useGraphStore.getState().connect(c, resolved);
    },
    [lookupNow],
  );

  /** A connection dropped on a port that refuses it: say why; dropped on the empty canvas: offer the nodes that take it. */
  const onConnectEnd = useCallback<OnConnectEnd>(
    (event, state) => {
      const start = state.fromHandle;
      if (start && !state.toHandle && onLooseEnd && event.target instanceof Element && event.target.classList.contains('react-flow__pane')) {
        const ports = lookupNow()(start.nodeId);
        const kind = start.type === 'source' ? ports?.outputs.get(start.id ?? '') : ports?.inputs.get(start.id ?? '');
        const point = 'changedTouches' in event ? event.changedTouches[0] : event;
        if (kind && start.id && point) onLooseEnd({ nodeId: start.nodeId, handleId: start.id, side: start.type, kind }, { x: point.clientX, y: point.clientY });
        return;
      }
      if (state.isValid !== false || !state.fromHandle || !state.toHandle) return;
      const [from, to] = state.fromHandle.type === 'source' ? [state.fromHandle, state.toHandle] : [state.toHandle, state.fromHandle];
      const problem = connectionProblem({ source: from.nodeId, sourceHandle: from.id ?? null, target: to.nodeId, targetHandle: to.id ?? null }, lookupNow(), allEdges());
      if (problem) showToast(problem);
    },
    [lookupNow, onLooseEnd],
  );

  const styledEdges = useMemo<PixelEdge[]>(() => {
    const lookup = lookupNow();
    const style = (e: PixelEdge, dashed: boolean): PixelEdge => {
      const kind = lookup(e.source)?.outputs.get(e.sourceHandle ?? '');
      if (!kind) return e;
      return { ...e, style: { stroke: portColours[kind], strokeWidth: 2, ...(dashed ? { strokeDasharray: '6 4' } : {}) } };
    };
    return [...edges.map((e) => style(e, false)), ...ioEdges.map((e) => ({ ...style(e, true), className: 'pw-edge--graph-io' }))];
    // nodes and ioNodes are read through lookupNow: kinds of pipeline nodes and graph ports change with them.
  }, [edges, ioEdges, nodes, ioNodes, lookupNow]);

  return { isValidConnection, onConnect, onConnectEnd, styledEdges };
}
