'use client';
import { useEffect } from 'react';
import { useAccessStore } from './access-store';
import { requestRun, useRunInputsStore } from './use-run-inputs';
import { useSaveStore } from './use-save';

/**
 * Editor shortcuts for running and saving: Ctrl+Enter / Cmd+Enter runs the canvas (a graph
 * with inputs asks for them, then runs again with the same ones), Ctrl+S / Cmd+S opens the
 * save dialog (instead of the browser's "save page").
 */
export function useRunSaveShortcuts(graphId: string | undefined): void {
  useEffect(() => {
    if (!graphId) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.isComposing || event.defaultPrevented) return;
      const mod = event.ctrlKey || event.metaKey;
      if (!mod || event.altKey) return;
      const save = useSaveStore.getState();
      const inputsOpen = useRunInputsStore.getState().open;
      const access = useAccessStore.getState().access;
      if (event.key === 's' || event.key === 'S') {
        event.preventDefault();
        if (!access.canSave) return;
        if (!save.dialogOpen && !save.conflict && !save.saving && !inputsOpen) save.openDialog();
        return;
      }
      if (event.key === 'Enter' && !event.shiftKey) {
        // Inside a dialog, Enter belongs to the dialog.
        if (save.dialogOpen || save.conflict || inputsOpen) return;
        event.preventDefault();
        if (!access.canRun) return;
        requestRun(graphId, 'again');
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [graphId]);
}
