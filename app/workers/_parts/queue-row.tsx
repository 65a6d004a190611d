'use client';
import Link from 'next/link';
import { useState } from 'react';
import { trpc } from '../../_lib/trpc';
import { errorMessage } from '../../_components/errors';
import { FailureAlert } from '../../_components/failure-alert';
import { formatDuration, fullTime, isoTime } from '../../_components/format';
import ui from '../../_components/ui.module.css';
import { StatusBadge } from '../../graphs/_runs/run-parts';
import type { QueuedRun } from './types';
import { runHref } from './worker-card';
import styles from './workers.module.css';

/** Which worker a run is on: its name when the worker list knows it, "this server" for the embedded pool. */
function workerOf(run: QueuedRun, mode: 'embedded' | 'cluster', names: ReadonlyMap<string, string>) {
  if (run.status === 'queued') return <span className="muted">—</span>;
  if (run.workerId) return names.get(run.workerId) ?? <code>{run.workerId}</code>;
  return mode === 'embedded' ? 'this server' : <span className="muted">starting</span>;
}

/** One waiting or running run, with a Cancel button that reports the server's refusal beside it. */
export function QueueRow({
  run,
  mode,
  workerNames,
  now,
  onCancelled,
}: {
  run: QueuedRun;
  mode: 'embedded' | 'cluster';
  workerNames: ReadonlyMap<string, string>;
  now: number;
  onCancelled(): Promise<void>;
}) {
  const [cancelling, setCancelling] = useState(false);
  const [failure, setFailure] = useState<string>();
  const since = run.status === 'running' && run.startedAt ? run.startedAt : run.createdAt;
  const failureId = `cancel-failure-${run.id}`;

  async function cancel() {
    setCancelling(true);
    setFailure(undefined);
    try {
      await trpc.runs.cancel.mutate({ runId: run.id });
      await onCancelled();
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setCancelling(false);
    }
  }

  return (
    <tr data-run-id={run.id}>
      <td>
        <Link href={runHref(run)}>{run.graphName}</Link>
        <div className={styles.runId}>{run.id}</div>
      </td>
      <td>
        <StatusBadge status={run.status} />
      </td>
      <td>{run.status === 'queued' && run.position !== null ? `#${run.position}` : <span className="muted">—</span>}</td>
      <td>
        <time dateTime={isoTime(since)} title={`${run.status === 'queued' ? 'Waiting since' : 'Running since'} ${fullTime(since)}`}>
          {run.status === 'queued' ? 'waiting' : 'running'} {formatDuration(Math.max(0, now - new Date(since).getTime()))}
        </time>
      </td>
      <td>{workerOf(run, mode, workerNames)}</td>
      <td>
        <button
          type="button"
          className={`${ui.danger} ${ui.small}`}
          onClick={cancel}
          disabled={cancelling}
          aria-label={`Cancel the run of ${run.graphName} (${run.id})`}
          aria-describedby={failure ? failureId : undefined}
        >
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
        <FailureAlert failure={failure} id={failureId} />
      </td>
    </tr>
  );
}
