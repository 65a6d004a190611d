'use client';
import {
  Background,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  useNodesInitialized,
  useReactFlow,
  type NodeTypes,
  type XYPosition,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import './editor.css';
import { useAccessStore } from './access-store';
import { CanvasMenu } from './canvas-menu';
import { acceptsLooseEnd, compatibleHandle, connectionTo, type LooseEnd } from './connect-to-new';
import type { EditorNode, PixelEdge } from './document-flow';
import { isEditable } from './dom';
import { FrameNodeComponent } from './frame-node';
import { GraphInputComponent, GraphOutputComponent } from './graph-io-node';
import { GraphNode } from './graph-node';
import { useGraphStore } from './graph-store';
import { Palette } from './palette';
import type { PaletteChoice } from './palette-entries';
import { usePipelineStore } from './pipeline-store';
import { ShortcutHelp } from './shortcut-help';
import { Toasts } from './toasts';
import { useClipboard } from './use-clipboard';
import { useConnections } from './use-connections';
import { useImageDrop } from './use-image-drop';
import { toggleBypassOfSelection } from './node-bypass';
import { useNodeTools } from './use-node-tools';

/** Node components by type, defined once (a new object per render would remount every node). */
const nodeTypes = { pixel: GraphNode, frame: FrameNodeComponent, graphInput: GraphInputComponent, graphOutput: GraphOutputComponent } satisfies NodeTypes;

interface PaletteAt {
  left: number;
  top: number;
  at: XYPosition;
  /** A connection dropped on the empty canvas: the palette offers what takes it, and the new node is connected. */
  end?: LooseEnd;
}

/** The graph canvas: nodes and edges from useGraphStore, typed connections, palette, shortcuts, clipboard, drop. */
export function Editor({ graphName = 'graph' }: { graphName?: string }) {
  const params = useParams<{ graphId: string }>();
  const graphId = typeof params?.graphId === 'string' ? decodeURIComponent(params.graphId) : undefined;
  return (
    <ReactFlowProvider>
      <Canvas graphName={graphName} graphId={graphId} />
    </ReactFlowProvider>
  );
}

function Canvas({ graphName, graphId }: { graphName: string; graphId: string | undefined }) {
  const nodes = useGraphStore((s) => s.nodes);
  const frames = useGraphStore((s) => s.frames);
  const ioNodes = useGraphStore((s) => s.ioNodes);
  const editable = useGraphStore((s) => s.editMode === 'all');
  const notice = useAccessStore((s) => s.access.notice);
  const onNodesChange = useGraphStore((s) => s.onNodesChange);
  const onEdgesChange = useGraphStore((s) => s.onEdgesChange);
  const openForLooseEnd = useCallback((end: LooseEnd, client: { x: number; y: number }) => openPaletteRef.current(client, end), []);
  const { isValidConnection, onConnect, onConnectEnd, styledEdges } = useConnections(openForLooseEnd);
  const { screenToFlowPosition, fitView } = useReactFlow();
  // Fit the view to the graph it opens with; an empty canvas is not refitted when its first node arrives (it stays where it was put).
  const [fitAtStart] = useState(() => useGraphStore.getState().nodes.length + useGraphStore.getState().ioNodes.length > 0);
  // Once React Flow has measured the loaded nodes: move apart those that overlap at their real sizes.
  const measured = useNodesInitialized();
  const pendingSeparate = useGraphStore((s) => s.pendingSeparate);
  useEffect(() => {
    if (measured && pendingSeparate) useGraphStore.getState().separateOverlaps();
  }, [measured, pendingSeparate]);
  const wrapper = useRef<HTMLDivElement>(null);
  const pointer = useRef<{ x: number; y: number } | null>(null);
  const [palette, setPalette] = useState<PaletteAt | null>(null);
  const [help, setHelp] = useState(false);

  const allNodes = useMemo<EditorNode[]>(() => [...frames, ...nodes, ...ioNodes], [frames, nodes, ioNodes]);
  // The saved graphs the palette offers as pipeline nodes (and the ports of the versions nodes are pinned to).
  useEffect(() => void usePipelineStore.getState().load(), []);

  /** A point on screen (client coordinates) or, without one, the pointer if it is over the canvas, else the centre. */
  const anchor = useCallback((client?: { x: number; y: number } | 'centre') => {
    const rect = wrapper.current?.getBoundingClientRect();
    const centre = rect ? { x: rect.left + rect.width / 2, y: rect.top + rect.height / 3 } : { x: 0, y: 0 };
    const point = client === 'centre' ? centre : (client ?? pointer.current ?? centre);
    return { client: point, rect };
  }, []);

  const openPalette = useCallback(
    (client?: { x: number; y: number } | 'centre', end?: LooseEnd) => {
      if (useGraphStore.getState().editMode !== 'all') return;
      const { client: point, rect } = anchor(client);
      const left = rect ? Math.max(8, Math.min(point.x - rect.left, rect.width - 340)) : 8;
      const top = rect ? Math.max(8, Math.min(point.y - rect.top, rect.height - 420)) : 8;
      setPalette({ left, top, at: screenToFlowPosition(point), ...(end ? { end } : {}) });
    },
    [anchor, screenToFlowPosition],
  );
  const openPaletteRef = useRef(openPalette);
  openPaletteRef.current = openPalette;
  const only = useMemo(
    () => (palette?.end ? { label: `Nodes that connect to ${palette.end.side === 'source' ? 'output' : 'input'} ${palette.end.handleId} (${palette.end.kind})`, accepts: acceptsLooseEnd(palette.end) } : undefined),
    [palette?.end],
  );

  const closePalette = useCallback(() => {
    setPalette(null);
    wrapper.current?.focus();
  }, []);

  const addFromPalette = useCallback(
    (choice: PaletteChoice) => {
      if (!palette) return;
      const store = useGraphStore.getState();
      const { end } = palette;
      // Dragged from an input, the new node goes to the left of the drop point so that its output faces the input.
      const at = end?.side === 'target' ? { x: palette.at.x - 240, y: palette.at.y - 30 } : end ? { x: palette.at.x, y: palette.at.y - 30 } : palette.at;
      let id: string;
      if (choice.kind === 'node') id = store.addNode(choice.item.entry.type, at, { typeVersion: choice.item.entry.version });
      else if (choice.kind === 'pipeline') id = store.addPipeline(choice.pipeline.graphId, choice.pipeline.headVersion, at);
      else id = store.addGraphPort(choice.side, at);
      const handle = end && id ? compatibleHandle(choice, end) : undefined;
      if (end && handle) onConnect(connectionTo(end, id, handle));
      closePalette();
    },
    [palette, closePalette, onConnect],
  );

  const addFrame = useCallback((where?: 'centre') => {
    const { client } = anchor(where);
    const at = screenToFlowPosition(client);
    useGraphStore.getState().addFrame({ x: at.x - 40, y: at.y - 40 });
  }, [anchor, screenToFlowPosition]);

  const pastePosition = useCallback(() => (pointer.current ? screenToFlowPosition(pointer.current) : undefined), [screenToFlowPosition]);
  const clipboard = useClipboard(wrapper, pastePosition);
  const drop = useImageDrop();
  const tools = useNodeTools(wrapper);

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
      } else if (key === 'b') {
        e.preventDefault();
        toggleBypassOfSelection();
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
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onConnectEnd={onConnectEnd}
        onNodeContextMenu={tools.onNodeContextMenu}
        onEdgeDoubleClick={tools.onEdgeDoubleClick}
        onEdgeClick={tools.onEdgeClick}
        nodesDraggable={editable}
        nodesConnectable={editable}
        onPaneClick={(e) => {
          if (e.detail === 2) openPalette({ x: e.clientX, y: e.clientY });
        }}
        zoomOnDoubleClick={false}
        deleteKeyCode={editable ? ['Delete', 'Backspace'] : null}
        panActivationKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        colorMode="system"
        minZoom={0.1}
        onlyRenderVisibleElements
        fitView={fitAtStart}
        fitViewOptions={{ maxZoom: 1.2 }}
      >
        <Background />
        <Controls />
        <MiniMap pannable zoomable nodeStrokeWidth={2} nodeClassName={(n) => (n.type === 'frame' ? 'pw-minimap-frame' : 'pw-minimap-node')} />
        <Panel position="top-left">
          <CanvasMenu graphName={graphName} editable={editable} onAddNode={() => openPalette('centre')} onAddFrame={() => addFrame('centre')} onHelp={() => setHelp(true)} />
        </Panel>
        {notice && (
          <Panel position="top-right">
            <p className="pw-read-only" role="status" data-testid="read-only-notice">
              {notice}
            </p>
          </Panel>
        )}
      </ReactFlow>
      {palette && <Palette left={palette.left} top={palette.top} graphId={graphId} onPick={addFromPalette} onClose={closePalette} only={only} />}
      {help && (
        <ShortcutHelp
          onClose={() => {
            setHelp(false);
            wrapper.current?.focus();
          }}
        />
      )}
      {drop.dialog}
      {tools.menu}
      <Toasts />
    </div>
  );
}
