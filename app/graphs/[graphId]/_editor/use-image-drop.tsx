'use client';
import { useReactFlow } from '@xyflow/react';
import { useState, type DragEvent, type ReactNode } from 'react';
import { Modal } from '../../../_components/modal';
import { useCatalogueStore } from './catalogue-store';
import { parseDocument } from './document-io';
import { useGraphStore } from './graph-store';
import type { GraphDocument } from '../../../../engine/graph-document';
import { isPng, readGraphFromPng } from './png-graph';
import { showToast } from './toast-store';
import { uploadImage } from './upload';

interface CarriedGraph {
  file: File;
  document: GraphDocument;
  at: { x: number; y: number };
}

/**
 * Dropping image files on the canvas uploads each and adds an image.load node (source
 * 'artifact') where it fell. A PNG saved by Pixelwire carries its graph: dropping one asks
 * whether to load that workflow (replacing the canvas, undoable) or to use it as an image.
 */
export function useImageDrop(): { onDragOver(e: DragEvent): void; onDrop(e: DragEvent): Promise<void>; dialog: ReactNode } {
  const { screenToFlowPosition, fitView } = useReactFlow();
  const [carried, setCarried] = useState<CarriedGraph | undefined>();

  const addImage = async (file: File, at: { x: number; y: number }) => {
    const typeVersion = useCatalogueStore.getState().byType.get('image.load')?.entry.version;
    try {
      const sha256 = await uploadImage(file);
      useGraphStore.getState().addNode('image.load', at, { params: { source: 'artifact', artifact: sha256 }, typeVersion });
    } catch (error) {
      showToast(`upload of ${file.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const loadWorkflow = (c: CarriedGraph) => {
    useGraphStore.getState().replaceDocument(c.document);
    showToast(`loaded the workflow from ${c.file.name}: ${c.document.nodes.length} nodes (not saved yet; Ctrl+Z undoes)`);
    requestAnimationFrame(() => fitView({ duration: 200, padding: 0.15 }));
  };

  const dialog = (
    <Modal open={carried !== undefined} onClose={() => setCarried(undefined)} title="This PNG carries a Pixelwire workflow" testId="png-drop-dialog">
      {carried && (
        <div>
          <p>
            {carried.file.name} was saved by Pixelwire with its graph ({carried.document.nodes.length} nodes). Load that workflow in place of this canvas, or
            use the file as an image?
          </p>
          <div className="pw-dialog-actions">
            <button
              type="button"
              className="pw-button"
              onClick={() => {
                loadWorkflow(carried);
                setCarried(undefined);
              }}
            >
              Load workflow
            </button>
            <button
              type="button"
              className="pw-button"
              onClick={() => {
                void addImage(carried.file, carried.at);
                setCarried(undefined);
              }}
            >
              Load as image
            </button>
          </div>
        </div>
      )}
    </Modal>
  );

  return {
    dialog,
    onDragOver: (e: DragEvent) => {
      if (!e.dataTransfer.types.includes('Files')) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    },
    onDrop: async (e: DragEvent) => {
      const files = [...e.dataTransfer.files];
      if (files.length === 0) return;
      e.preventDefault();
      if (useGraphStore.getState().editMode !== 'all') return showToast('this graph is read-only for you: nothing was uploaded');
      const at = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const images = files.filter((f) => f.type.startsWith('image/'));
      if (images.length < files.length) showToast('only image files can be dropped on the canvas (use Import for graphs)');
      for (const [i, file] of images.entries()) {
        const where = { x: at.x + i * 40, y: at.y + i * 40 };
        if (images.length === 1 && file.type === 'image/png') {
          const bytes = new Uint8Array(await file.arrayBuffer());
          const raw = isPng(bytes) ? await readGraphFromPng(bytes) : undefined;
          const parsed = raw === undefined ? undefined : parseDocument(raw);
          if (parsed?.ok) return setCarried({ file, document: parsed.document, at: where });
        }
        await addImage(file, where);
      }
    },
  };
}
