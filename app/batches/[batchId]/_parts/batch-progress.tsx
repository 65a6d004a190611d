'use client';
import { useState } from 'react';
import { errorMessage } from '../../../_components/errors';
import { FailureAlert } from '../../../_components/failure-alert';
import ui from '../../../_components/ui.module.css';
import { trpc } from '../../../_lib/trpc';
import { BatchGallery } from './batch-gallery';
import { isDone } from './batch-items';
import styles from './batch.module.css';
import type { Batch, useBatch } from './use-batch';

const countLabels = [
  ['succeeded', 'succeeded'],
  ['failed', 'failed'],
  ['running', 'running'],
  ['queued', 'waiting'],
  ['cancelled', 'cancelled'],
  ['interrupted', 'interrupted'],
] as const;

/**
 * A batch's state: "37/120" with a bar, Cancel, the ZIP of all outputs, counts by status, the gallery and failures.
 * Shared by the batch page and the app-mode page of a run link; links into the graph only for its members.
 */
export function BatchProgress({ batch, failure, setFailure, reload }: { batch: Batch } & Omit<ReturnType<typeof useBatch>, 'batch'>) {
  const [cancelling, setCancelling] = useState(false);
  const [message, setMessage] = useState('');
  const done = isDone(batch);

  async function cancel() {
    setCancelling(true);
    try {
      const { cancelled } = await trpc.batches.cancel.mutate({ batchId: batch.id });
      setMessage(`Cancelled ${cancelled} ${cancelled === 1 ? 'run' : 'runs'}.`);
      await reload();
    } catch (error) {
      setFailure(`Could not cancel: ${errorMessage(error)}`);
    } finally {
      setCancelling(false);
    }
  }

  return (
    <div data-testid="batch" data-done={done || undefined}>
      <div className={styles.top}>
        <span className={styles.count} data-testid="batch-count" aria-label={`${batch.done} of ${batch.total} items done`}>
          {batch.done}/{batch.total}
        </span>
        <progress className={styles.bar} value={batch.done} max={batch.total} aria-label="Batch progress" />
        <button type="button" className={ui.danger} onClick={() => void cancel()} disabled={done || cancelling}>
          Cancel batch
        </button>
        <a className={ui.button} href={`/api/v1/batches/${encodeURIComponent(batch.id)}/outputs.zip`} download data-testid="batch-zip">
          Download all (ZIP)
        </a>
      </div>
      <ul className={styles.counts} aria-label="Items by status">
        {countLabels.map(([key, label]) =>
          batch.counts[key] > 0 ? (
            <li key={key}>
              <span className={ui.status} data-status={key}>
                {batch.counts[key]} {label}
              </span>
            </li>
          ) : null,
        )}
      </ul>
      <p role="status" className={message ? ui.notice : ui.visuallyHidden}>
        {message || (done ? 'The batch is done.' : '')}
      </p>
      <FailureAlert failure={failure} />
      <BatchGallery runs={batch.runs} graphId={batch.access === 'graph' ? batch.graphId : undefined} />
    </div>
  );
}
