'use client';
import { useEffect, useRef } from 'react';
import { FailureAlert } from '../../../_components/failure-alert';
import ui from '../../../_components/ui.module.css';
import { OutputGallery } from './output-gallery';
import { isFinished, progressCounts } from './run-progress';
import styles from './share.module.css';
import { useFollowedRun } from './use-followed-run';

const statusText = { queued: 'Waiting for a worker…', running: 'Running', succeeded: 'Done', failed: 'Failed', cancelled: 'Cancelled' } as const;

/** A started run: "n of m nodes" with a progress bar while it runs, then its outputs or its problems. */
export function RunProgressView({ runId, order, fileUrl, onFinished }: { runId: string; order: string[]; fileUrl(sha: string): string; onFinished(): void }) {
  const { progress, streamFailure } = useFollowedRun(runId);
  const { done, total } = progressCounts(progress);
  const finished = isFinished(progress.status);
  const notify = useRef(onFinished);
  notify.current = onFinished;
  useEffect(() => {
    if (finished) notify.current();
  }, [finished]);

  return (
    <div data-testid="share-run" data-status={progress.status}>
      <div className={styles.progressRow}>
        <span className={ui.status} data-status={progress.status}>
          {statusText[progress.status]}
        </span>
        <span role="status" aria-live="polite">
          {total > 0 ? `${done} of ${total} nodes done` : finished ? '' : 'Starting…'}
        </span>
        {!finished ? <progress value={total > 0 ? done : undefined} max={total > 0 ? total : undefined} aria-label="Run progress" /> : null}
      </div>
      <FailureAlert failure={streamFailure} />
      {progress.status === 'failed' && (
        <div className={ui.error} role="alert">
          <strong>The run failed.</strong>
          {progress.errors.length > 0 ? (
            <ul>
              {progress.errors.map((e, i) => (
                <li key={i}>
                  {e.nodeId ? <code>{e.nodeId}</code> : 'Graph'}: {e.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      )}
      {progress.status === 'cancelled' && <p className="muted">The run was cancelled.</p>}
      {progress.status === 'succeeded' && <OutputGallery outputs={progress.outputs} order={order} fileUrl={fileUrl} />}
    </div>
  );
}
