'use client';
import { useReactFlow } from '@xyflow/react';
import type { DragEvent } from 'react';
import { useCatalogueStore } from './catalogue-store';
import { useGraphStore } from './graph-store';
import { showToast } from './toast-store';
import { uploadImage } from './upload';

/** Dropping image files on the canvas uploads each and adds an image.load node (source 'artifact') where it fell. */
export function useImageDrop() {
  const { screenToFlowPosition } = useReactFlow();
  return {
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
      const typeVersion = useCatalogueStore.getState().byType.get('image.load')?.entry.version;
      for (const [i, file] of images.entries()) {
        try {
          const sha256 = await uploadImage(file);
          useGraphStore.getState().addNode('image.load', { x: at.x + i * 40, y: at.y + i * 40 }, { params: { source: 'artifact', artifact: sha256 }, typeVersion });
        } catch (error) {
          showToast(`upload of ${file.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    },
  };
}
