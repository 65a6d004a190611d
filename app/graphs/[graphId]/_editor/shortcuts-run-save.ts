'use client';
import { useEffect } from 'react';
import { runCurrent } from './use-run';
import { useSaveStore } from './use-save';

/**
 * Editor shortcuts for running and saving: Ctrl+Enter / Cmd+Enter runs the canvas,
 * Ctrl+S / Cmd+S opens the save dialog (instead of the browser's "save page").
 */
export function useRunSaveShortcuts(graphId: string | undefined): void {
  useEffect(() => {
    if (!graphId) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.isComposing || event.defaultPrevented) return;
      const mod = event.ctrlKey || event.metaKey;
      if (!mod || event.altKey) return;
      const save = useSaveStore.getState();
      if (event.key === 's' || event.key === 'S') {
        event.preventDefault();
        if (!save.dialogOpen && !save.conflict && !save.saving) save.openDialog();
        return;
      }
      if (event.key === 'Enter' && !event.shiftKey) {
        // Inside a dialog, Enter belongs to the dialog.
        if (save.dialogOpen || save.conflict) return;
        event.preventDefault();
        void runCurrent(graphId);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [graphId]);
}
