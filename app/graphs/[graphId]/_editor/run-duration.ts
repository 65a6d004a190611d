'use client';
import { useEffect, useState } from 'react';
import { runDuration } from '../../../_components/format';
import { trpc } from '../../../_lib/trpc';
import type { RunStatus } from './run-store';

/**
 * A finished run's duration as the server records it (start to finish, wall time: the Runs page's figure), read
 * once the run has ended; the outcome is recorded just after run.finished, so an unsettled answer is asked again.
 */
export function useServerDuration(runId: string | undefined, status: RunStatus): number | undefined {
  const [found, setFound] = useState<{ runId: string; ms: number }>();
  const ended = status === 'succeeded' || status === 'failed' || status === 'cancelled';
  useEffect(() => {
    if (!runId || !ended) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async (tries: number) => {
      try {
        const run = await trpc.runs.get.query({ runId });
        if (!live) return;
        if (run.finishedAt) setFound({ runId, ms: runDuration(run) ?? 0 });
        else if (tries > 0) timer = setTimeout(() => void read(tries - 1), 300);
      } catch {
        // No duration then.
      }
    };
    void read(20);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [runId, ended]);
  return found && found.runId === runId ? found.ms : undefined;
}
