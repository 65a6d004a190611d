'use client';
import type { XYPosition } from '@xyflow/react';
import { useCallback, useEffect, useRef, type RefObject } from 'react';
import { isEditable } from './dom';
import { parseFragment, type Fragment } from './fragment';
import { useGraphStore } from './graph-store';

/** In-memory clipboard: the fallback when the system clipboard is not available (shared by every canvas in this tab). */
let memory: Fragment | null = null;

/**
 * Copy and paste of selected nodes (and the edges between them) through the system
 * clipboard as a JSON fragment `{ pixelwire: 'fragment', nodes, edges }`, so they travel
 * between graphs and tabs; falls back to an in-memory copy.
 * Returns key handlers for Ctrl+C / Ctrl+V to call from the canvas's keydown.
 */
export function useClipboard(wrapper: RefObject<HTMLDivElement | null>, pastePosition: () => XYPosition | undefined) {
  const fallback = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const pasteFragment = useCallback((fragment: Fragment) => useGraphStore.getState().paste(fragment, pastePosition()), [pastePosition]);

  useEffect(() => {
    const inCanvas = () => {
      const active = document.activeElement;
      return (active === null || active === document.body || Boolean(wrapper.current?.contains(active))) && !isEditable(active);
    };
    const onCopy = (e: ClipboardEvent) => {
      if (!inCanvas()) return;
      const fragment = useGraphStore.getState().copySelection();
      if (!fragment || !e.clipboardData) return;
      memory = fragment;
      e.clipboardData.setData('text/plain', JSON.stringify(fragment));
      e.preventDefault();
    };
    const onPaste = (e: ClipboardEvent) => {
      if (!inCanvas()) return;
      clearTimeout(fallback.current);
      const text = e.clipboardData?.getData('text/plain');
      const fragment = parseFragment(text) ?? (text ? null : memory);
      if (!fragment) return;
      e.preventDefault();
      pasteFragment(fragment);
    };
    document.addEventListener('copy', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, [wrapper, pasteFragment]);

  return {
    /** Ctrl+C: keep an in-memory copy too (the copy event writes the system clipboard). */
    onCopyKey: () => {
      const fragment = useGraphStore.getState().copySelection();
      if (fragment) memory = fragment;
    },
    /** Ctrl+V: when no paste event follows (no clipboard access), paste the in-memory copy. */
    onPasteKey: () => {
      clearTimeout(fallback.current);
      fallback.current = setTimeout(() => {
        if (memory) pasteFragment(memory);
      }, 150);
    },
  };
}
