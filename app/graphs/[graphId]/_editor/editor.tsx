'use client';
import {
  Background,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type NodeTypes,
  type OnConnectEnd,
  type XYPosition,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import './editor.css';
import { CanvasMenu } from './canvas-menu';
import { useCatalogueStore, type CatalogueItem } from './catalogue-store';
import { connectionProblem } from './connection-check';
import type { EditorNode, PixelEdge } from './document-flow';
import { isEditable } from './dom';
import { FrameNodeComponent } from './frame-node';
import { GraphNode } from './graph-node';
import { useGraphStore } from './graph-store';
import { Palette } from './palette';
import { portColours } from './port-colours';
import { ShortcutHelp } from './shortcut-help';
import { showToast } from './toast-store';
import { Toasts } from './toasts';
import { useClipboard } from './use-clipboard';
import { useImageDrop } from './use-image-drop';

/** Node components by type, defined once (a new object per render would remount every node). */
const nodeTypes = { pixel: GraphNode, frame: FrameNodeComponent } satisfies NodeTypes;

interface PaletteAt {
  left: number;
  top: number;
  at: XYPosition;
}

/** The graph canvas: nodes and edges from useGraphStore, typed connections, palette, shortcuts, clipboard, drop. */
export function Editor({ graphName = 'graph' }: { graphName?: string }) {
  return (
    <ReactFlowProvider>
      <Canvas graphName={graphName} />
    </ReactFlowProvider>
  );
}

function Canvas({ graphName }: { graphName: string }) {
  const nodes = useGraphStore((s) => s.nodes);
  const edges = useGraphStore((s) => s.edges);
  const frames = useGraphStore((s) => s.frames);
  const onNodesChange = useGraphStore((s) => s.onNodesChange);
  const onEdgesChange = useGraphStore((s) => s.onEdgesChange);
  const connect = useGraphStore((s) => s.connect);
  const byType = useCatalogueStore((s) => s.byType);
  const { screenToFlowPosition, fitView } = useReactFlow();
  const wrapper = useRef<HTMLDivElement>(null);
  const pointer = useRef<{ x: number; y: number } | null>(null);
  const [palette, setPalette] = useState<PaletteAt | null>(null);
  const [help, setHelp] = useState(false);

  const allNodes = useMemo<EditorNode[]>(() => [...frames, ...nodes], [frames, nodes]);
  /** Edges drawn in the colour of the kind they carry. */
  const styledEdges = useMemo<PixelEdge[]>(() => {
    const typeOf = new Map(nodes.map((n) => [n.id, n.data.type]));
    return edges.map((e) => {
      const kind = byType.get(typeOf.get(e.source) ?? '')?.outputKinds.get(e.sourceHandle ?? '');
      return kind ? { ...e, style: { stroke: portColours[kind], strokeWidth: 2 } } : e;
    });
  }, [edges, nodes, byType]);

  /** A point on screen (client coordinates) or, without one, the pointer if it is over the canvas, else the centre. */
  const anchor = useCallback((client?: { x: number; y: number } | 'centre') => {
    const rect = wrapper.current?.getBoundingClientRect();
    const centre = rect ? { x: rect.left + rect.width / 2, y: rect.top + rect.height / 3 } : { x: 0, y: 0 };
    const point = client === 'centre' ? centre : (client ?? pointer.current ?? centre);
    return { client: point, rect };
  }, []);

  const openPalette = useCallback(
    (client?: { x: number; y: number } | 'centre') => {
      const { client: point, rect } = anchor(client);
      const left = rect ? Math.max(8, Math.min(point.x - rect.left, rect.width - 340)) : 8;
      const top = rect ? Math.max(8, Math.min(point.y - rect.top, rect.height - 420)) : 8;
      setPalette({ left, top, at: screenToFlowPosition(point) });
    },
    [anchor, screenToFlowPosition],
  );

  const closePalette = useCallback(() => {
    setPalette(null);
    wrapper.current?.focus();
  }, []);

  const addFromPalette = useCallback(
    (item: CatalogueItem) => {
      if (!palette) return;
      useGraphStore.getState().addNode(item.entry.type, palette.at, { typeVersion: item.entry.version });
      closePalette();
    },
    [palette, closePalette],
  );

  const addFrame = useCallback((where?: 'centre') => {
    const { client } = anchor(where);
    const at = screenToFlowPosition(client);
    useGraphStore.getState().addFrame({ x: at.x - 40, y: at.y - 40 });
  }, [anchor, screenToFlowPosition]);

  const pastePosition = useCallback(() => (pointer.current ? screenToFlowPosition(pointer.current) : undefined), [screenToFlowPosition]);
  const clipboard = useClipboard(wrapper, pastePosition);
  const drop = useImageDrop();

  const isValidConnection = useCallback(
    (c: PixelEdge | Connection) => {
      const { nodes: current, edges: currentEdges } = useGraphStore.getState();
      return connectionProblem(c, current, currentEdges, byType) === null;
    },
    [byType],
  );

  /** A connection dropped on a port that refuses it: say why. */
  const onConnectEnd = useCallback<OnConnectEnd>(
    (_event, state) => {
      if (state.isValid !== false || !state.fromHandle || !state.toHandle) return;
      const [from, to] = state.fromHandle.type === 'source' ? [state.fromHandle, state.toHandle] : [state.toHandle, state.fromHandle];
      const { nodes: current, edges: currentEdges } = useGraphStore.getState();
      const problem = connectionProblem(
        { source: from.nodeId, sourceHandle: from.id ?? null, target: to.nodeId, targetHandle: to.id ?? null },
        current,
        currentEdges,
        byType,
      );
      if (problem) showToast(problem);
    },
    [byType],
  );

  const onKeyDown = (e: KeyboardEvent | ReactKeyboardEvent) => {
    if (e.defaultPrevented || isEditable(e.target) || palette || help) return;
    const key = e.key.toLowerCase();
    const store = useGraphStore.getState();
    if (e.ctrlKey || e.metaKey) {
      if (key === 'z') {
        e.preventDefault();
        if (e.shiftKey) store.redo();
        else store.undo();
      } else if (key === 'y') {
        e.preventDefault();
        store.redo();
      } else if (key === 'c') clipboard.onCopyKey();
      else if (key === 'v') clipboard.onPasteKey();
      return;
    }
    if (e.altKey) return;
    if (e.key === '/' || e.key === ' ') {
      e.preventDefault();
      openPalette();
    } else if (e.key === '?') {
      e.preventDefault();
      setHelp(true);
    } else if (e.shiftKey && key === 'l') {
      e.preventDefault();
      store.autoLayout();
      requestAnimationFrame(() => fitView({ duration: 200, padding: 0.15 }));
    } else if (!e.shiftKey && key === 'f') {
      e.preventDefault();
      addFrame();
    }
  };

  // Deleting the focused node leaves focus on <body>: undo, redo and paste still reach the canvas then.
  const keyHandler = useRef(onKeyDown);
  keyHandler.current = onKeyDown;
  useEffect(() => {
    const onBodyKey = (e: KeyboardEvent) => {
      const onBody = document.activeElement === document.body || document.activeElement === null;
      if (onBody && (e.ctrlKey || e.metaKey)) keyHandler.current(e);
    };
    document.addEventListener('keydown', onBodyKey);
    return () => document.removeEventListener('keydown', onBodyKey);
  }, []);

  return (
    <div
      ref={wrapper}
      className="pw-canvas"
      tabIndex={0}
      aria-label="Graph canvas"
      data-testid="canvas"
      onKeyDown={onKeyDown}
      onPointerMove={(e) => {
        pointer.current = { x: e.clientX, y: e.clientY };
      }}
      onPointerLeave={() => {
        pointer.current = null;
      }}
      onDragOver={drop.onDragOver}
      onDrop={drop.onDrop}
    >
      <ReactFlow<EditorNode, PixelEdge>
        nodes={allNodes}
        edges={styledEdges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={connect}
        isValidConnection={isValidConnection}
        onConnectEnd={onConnectEnd}
        onPaneClick={(e) => {
          if (e.detail === 2) openPalette({ x: e.clientX, y: e.clientY });
        }}
        zoomOnDoubleClick={false}
        deleteKeyCode={['Delete', 'Backspace']}
        panActivationKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        colorMode="system"
        minZoom={0.1}
        onlyRenderVisibleElements
        fitView
        fitViewOptions={{ maxZoom: 1.2 }}
      >
        <Background />
        <Controls />
        <MiniMap pannable zoomable nodeStrokeWidth={2} nodeClassName={(n) => (n.type === 'frame' ? 'pw-minimap-frame' : 'pw-minimap-node')} />
        <Panel position="top-left">
          <CanvasMenu graphName={graphName} onAddNode={() => openPalette('centre')} onAddFrame={() => addFrame('centre')} onHelp={() => setHelp(true)} />
        </Panel>
      </ReactFlow>
      {palette && <Palette left={palette.left} top={palette.top} onPick={addFromPalette} onClose={closePalette} />}
      {help && (
        <ShortcutHelp
          onClose={() => {
            setHelp(false);
            wrapper.current?.focus();
          }}
        />
      )}
      <Toasts />
    </div>
  );
}
