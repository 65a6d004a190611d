'use client';
import { useCallback, useEffect, useRef } from 'react';

/**
 * Calls `load` now and then every `intervalMs` after the previous call settled (never two at
 * once), pauses while the tab is hidden and loads at once when it is shown again. Returns a
 * function that loads afresh now (after an action such as Cancel) and restarts the interval.
 */
export function usePolling(load: () => Promise<void>, intervalMs: number): () => Promise<void> {
  const loadRef = useRef(load);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const running = useRef<Promise<void> | undefined>(undefined);
  const live = useRef(false);

  useEffect(() => {
    loadRef.current = load;
  }, [load]);

  const tick = useCallback(async (): Promise<void> => {
    clearTimeout(timer.current);
    if (running.current) {
      // A load already under way may predate what the caller changed: load again after it.
      await running.current;
      return live.current ? tick() : undefined;
    }
    const current = loadRef.current().finally(() => {
      running.current = undefined;
      if (live.current && document.visibilityState === 'visible') timer.current = setTimeout(() => void tick(), intervalMs);
    });
    running.current = current;
    return current;
  }, [intervalMs]);

  useEffect(() => {
    live.current = true;
    const onVisibility = () => {
      if (document.visibilityState === 'visible') void tick();
      else clearTimeout(timer.current);
    };
    document.addEventListener('visibilitychange', onVisibility);
    void tick();
    return () => {
      live.current = false;
      clearTimeout(timer.current);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [tick]);

  return tick;
}
