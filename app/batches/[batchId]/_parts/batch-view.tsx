'use client';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { FailureAlert } from '../../../_components/failure-alert';
import { BatchProgress } from './batch-progress';
import { useBatch } from './use-batch';

/**
 * /batches/<id>: the batch's progress, results and failures (BatchProgress), refreshed every 2 s until done. A batch
 * started through a run link shows its starter no way into the graph, only what the link's page shows.
 */
export function BatchView() {
  const params = useParams<{ batchId: string }>();
  const batchId = typeof params?.batchId === 'string' ? decodeURIComponent(params.batchId) : '';
  const followed = useBatch(batchId);
  const { batch, failure } = followed;

  if (!batch) return failure ? <FailureAlert failure={failure} /> : <p className="muted" role="status">Loading the batch…</p>;
  return (
    <article aria-labelledby="batch-title">
      {batch.access === 'graph' ? (
        <p>
          <Link href={`/graphs/${encodeURIComponent(batch.graphId)}`}>← {batch.graphName}</Link>
        </p>
      ) : (
        <p className="muted">Started through a shared link.</p>
      )}
      <h1 id="batch-title">Batch{batch.graphName ? ` of ${batch.graphName}` : ''}</h1>
      <BatchProgress {...followed} batch={batch} />
    </article>
  );
}
