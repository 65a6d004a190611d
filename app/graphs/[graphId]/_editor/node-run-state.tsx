'use client';
import { useStore } from '@xyflow/react';
import type { NodeRunState } from './run-store';

/** Below this zoom, nodes drop their widgets and previews (too small to use) so large graphs pan smoothly. */
export const COMPACT_ZOOM = 0.45;

/** Whether nodes are drawn compact; a boolean selector, so nodes re-render when the zoom crosses the threshold, not on every step. */
export const useCompact = () => useStore((s) => s.transform[2] < COMPACT_ZOOM);

/** A node's run state below its widgets: progress while running, the message, a failure, the latest preview. */
export function NodeRunStateView({ id, title, run, compact }: { id: string; title: string; run: NodeRunState | undefined; compact: boolean }) {
  const status = run?.status ?? 'idle';
  return (
    <>
      {status === 'running' && (
        <div
          className="pw-progress"
          role="progressbar"
          aria-label={`${id} progress`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={run?.progress === undefined ? undefined : Math.round(run.progress * 100)}
          data-indeterminate={run?.progress === undefined || undefined}
        >
          <div className="pw-progress__bar" style={{ width: `${Math.round((run?.progress ?? 0.3) * 100)}%` }} />
        </div>
      )}
      {status === 'running' && run?.message && <p className="pw-node__message pw-muted">{run.message}</p>}
      {status === 'failed' && run?.error && (
        <p className="pw-node__error" data-testid={`error-${id}`}>
          {run.error.port ? `${run.error.port}: ` : run.error.param ? `${run.error.param}: ` : ''}
          {run.error.message}
        </p>
      )}
      {run?.previewUrl && !compact && <img className="pw-node__preview" data-testid={`preview-${id}`} src={run.previewUrl} alt={`Preview of ${title}`} />}
    </>
  );
}

/** The status badge in a node's header. */
export function StatusBadge({ status }: { status: NodeRunState['status'] }) {
  if (status === 'idle') return null;
  return <span className={`pw-badge pw-badge--${status}`}>{status}</span>;
}

/** The server's validation problems of a node, listed under it. */
export function NodeErrors({ id, errors }: { id: string; errors: readonly { port?: string; param?: string; message: string }[] | undefined }) {
  if (!errors || errors.length === 0) return null;
  return (
    <ul className="pw-node__errors" data-testid={`errors-${id}`}>
      {errors.map((e, i) => (
        <li key={i}>
          {e.port ? <strong>{e.port}: </strong> : e.param ? <strong>{e.param}: </strong> : null}
          {e.message}
        </li>
      ))}
    </ul>
  );
}
