'use client';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../../_components/errors';
import { FailureAlert } from '../../../_components/failure-alert';
import type { RouterOutputs } from '../../../_components/types';
import ui from '../../../_components/ui.module.css';
import { trpc } from '../../../_lib/trpc';
import { BatchGallery } from './batch-gallery';
import { isDone } from './batch-items';
import styles from './batch.module.css';

type Batch = RouterOutputs['batches']['get'];

const countLabels = [
  ['succeeded', 'succeeded'],
  ['failed', 'failed'],
  ['running', 'running'],
  ['queued', 'waiting'],
  ['cancelled', 'cancelled'],
  ['interrupted', 'interrupted'],
] as const;

/** A batch: "37/120" with a bar, counts, Cancel, the ZIP of all outputs, the gallery and failures; refreshed every 2 s until done. */
export function BatchView() {
  const params = useParams<{ batchId: string }>();
  const batchId = typeof params?.batchId === 'string' ? decodeURIComponent(params.batchId) : '';
  const [batch, setBatch] = useState<Batch>();
  const [graphName, setGraphName] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [cancelling, setCancelling] = useState(false);
  const [message, setMessage] = useState('');

  const load = useCallback(async () => {
    try {
      const next = await trpc.batches.get.query({ batchId });
      setBatch(next);
      setFailure(undefined);
      return next;
    } catch (error) {
      setFailure(errorMessage(error));
      return undefined;
    }
  }, [batchId]);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const next = await load();
      if (live && (!next || !isDone(next))) timer = setTimeout(tick, 2000);
    };
    void tick();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [load]);

  const graphId = batch?.graphId;
  useEffect(() => {
    if (!graphId) return;
    trpc.graphs.get
      .query({ graphId })
      .then(({ graph }) => setGraphName(graph.name))
      .catch(() => undefined);
  }, [graphId]);

  async function cancel() {
    setCancelling(true);
    try {
      const { cancelled } = await trpc.batches.cancel.mutate({ batchId });
      setMessage(`Cancelled ${cancelled} ${cancelled === 1 ? 'run' : 'runs'}.`);
      await load();
    } catch (error) {
      setFailure(`Could not cancel: ${errorMessage(error)}`);
    } finally {
      setCancelling(false);
    }
  }

  if (!batch) return failure ? <FailureAlert failure={failure} /> : <p className="muted" role="status">Loading the batch…</p>;
  const done = isDone(batch);
  return (
    <article aria-labelledby="batch-title" data-testid="batch" data-done={done || undefined}>
      <p>
        <Link href={`/graphs/${encodeURIComponent(batch.graphId)}`}>← {graphName ?? 'Back to the graph'}</Link>
      </p>
      <h1 id="batch-title">Batch{graphName ? ` of ${graphName}` : ''}</h1>
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
      <BatchGallery runs={batch.runs} graphId={batch.graphId} />
    </article>
  );
}
