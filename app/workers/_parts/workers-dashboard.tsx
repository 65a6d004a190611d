'use client';
import { useCallback, useMemo, useState } from 'react';
import { trpc } from '../../_lib/trpc';
import { errorMessage } from '../../_components/errors';
import { FailureAlert } from '../../_components/failure-alert';
import { QueueSection } from './queue-section';
import type { QueueList, WorkerList } from './types';
import { usePolling } from './use-polling';
import { WorkersSection } from './workers-section';

/** The Workers page's data: the worker list and the queue, reloaded together every 2 s while the tab is visible. */
export function WorkersDashboard() {
  const [workers, setWorkers] = useState<WorkerList>();
  const [queue, setQueue] = useState<QueueList>();
  const [now, setNow] = useState(() => Date.now());
  const [failure, setFailure] = useState<string>();

  const load = useCallback(async () => {
    try {
      // One batched request; the page keeps showing the last answer when a refresh fails.
      const [nextWorkers, nextQueue] = await Promise.all([trpc.workers.list.query(), trpc.workers.queue.query()]);
      setWorkers(nextWorkers);
      setQueue(nextQueue);
      setNow(Date.now());
      setFailure(undefined);
    } catch (error) {
      setFailure(errorMessage(error));
    }
  }, []);
  const refresh = usePolling(load, 2000);

  const runs = useMemo(() => new Map((queue?.runs ?? []).map((r) => [r.id, r])), [queue]);
  const workerNames = useMemo(() => new Map((workers?.workers ?? []).map((w) => [w.id, w.name])), [workers]);

  return (
    <>
      <FailureAlert failure={failure} />
      <WorkersSection list={workers} runs={runs} now={now} />
      <QueueSection queue={queue} workerNames={workerNames} now={now} onChanged={refresh} />
    </>
  );
}
