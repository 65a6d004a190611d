'use client';
import { useReactFlow } from '@xyflow/react';
import { useRef } from 'react';
import { downloadDocument, readDocumentFile } from './document-io';
import { useGraphStore } from './graph-store';
import { showToast } from './toast-store';

interface CanvasMenuProps {
  graphName: string;
  /** False for viewers and runners: the buttons that change the graph are disabled. */
  editable: boolean;
  onAddNode(): void;
  onAddFrame(): void;
  onHelp(): void;
}

/** The canvas's own small toolbar: add node/frame, auto layout, import, export, shortcuts. */
export function CanvasMenu({ graphName, editable, onAddNode, onAddFrame, onHelp }: CanvasMenuProps) {
  const { fitView } = useReactFlow();
  const fileInput = useRef<HTMLInputElement>(null);
  const autoLayout = useGraphStore((s) => s.autoLayout);

  return (
    <div className="pw-canvas-menu" role="toolbar" aria-label="Canvas">
      <button type="button" className="pw-button" onClick={onAddNode} disabled={!editable}>
        Add node
      </button>
      <button type="button" className="pw-button" onClick={onAddFrame} disabled={!editable}>
        Add frame
      </button>
      <button
        type="button"
        className="pw-button"
        disabled={!editable}
        title="Shift+L"
        onClick={() => {
          autoLayout();
          requestAnimationFrame(() => fitView({ duration: 200, padding: 0.15 }));
        }}
      >
        Auto layout
      </button>
      <button type="button" className="pw-button" onClick={() => fileInput.current?.click()} disabled={!editable}>
        Import…
      </button>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json,image/png"
        className="pw-visually-hidden"
        aria-label="Import graph file"
        tabIndex={-1}
        onChange={async (e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (!file) return;
          const result = await readDocumentFile(file);
          if (!result.ok) return showToast(`import failed: ${result.message}`);
          useGraphStore.getState().replaceDocument(result.document);
          showToast(`imported ${result.document.nodes.length} nodes from ${file.name} (not saved yet)`);
          requestAnimationFrame(() => fitView({ duration: 200, padding: 0.15 }));
        }}
      />
      <button type="button" className="pw-button" onClick={() => downloadDocument(useGraphStore.getState().toDocument(), graphName)}>
        Export
      </button>
      <button type="button" className="pw-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={onHelp}>
        ?
      </button>
    </div>
  );
}
