'use client';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../../_components/errors';
import { runProblems } from '../../../graphs/_runs/run-parts';
import { trpc } from '../../../_lib/trpc';
import { applyEvent, initialProgress, isFinished, type ProgressStatus, type RunProgress } from './run-progress';

const settled: Record<string, ProgressStatus> = { succeeded: 'succeeded', failed: 'failed', cancelled: 'cancelled', interrupted: 'failed' };

/**
 * Follows one run's events (runs.events over SSE, resumed by the link after a dropped connection)
 * into a RunProgress. When the stream ends without run.finished, the run's record says how it ended.
 */
export function useFollowedRun(runId: string | undefined): { progress: RunProgress; streamFailure: string | undefined } {
  const [progress, setProgress] = useState<RunProgress>(initialProgress);
  const [streamFailure, setStreamFailure] = useState<string>();

  useEffect(() => {
    if (!runId) return;
    let live = true;
    let finished = false;
    setProgress(initialProgress());
    setStreamFailure(undefined);
    const settle = async () => {
      try {
        const run = await trpc.runs.get.query({ runId });
        const status = settled[run.status];
        if (live && status && !finished) setProgress((p) => ({ ...p, status, outputs: run.outputs, errors: runProblems(run.error) }));
      } catch (error) {
        if (live) setStreamFailure(errorMessage(error));
      }
    };
    const sub = trpc.runs.events.subscribe(
      { runId, lastEventId: null },
      {
        onData: ({ data }) => {
          if (!live) return;
          if (data.type === 'run.finished') finished = true;
          setProgress((p) => applyEvent(p, data));
        },
        onError: (error) => {
          if (!live) return;
          setStreamFailure(`Lost the run's progress: ${errorMessage(error)}`);
          void settle();
        },
        onComplete: () => {
          if (live && !finished) void settle();
        },
      },
    );
    return () => {
      live = false;
      sub.unsubscribe();
    };
  }, [runId]);

  return { progress, streamFailure: isFinished(progress.status) ? undefined : streamFailure };
}
