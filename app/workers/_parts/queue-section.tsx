'use client';
import ui from '../../_components/ui.module.css';
import type { QueueList } from './types';
import { QueueRow } from './queue-row';
import styles from './workers.module.css';

/** Runs waiting and running across the graphs the viewer can read, oldest first, each with Cancel. */
export function QueueSection({
  queue,
  workerNames,
  now,
  onChanged,
}: {
  queue: QueueList | undefined;
  workerNames: ReadonlyMap<string, string>;
  now: number;
  onChanged(): Promise<void>;
}) {
  const waiting = queue?.runs.filter((r) => r.status === 'queued').length ?? 0;
  const running = (queue?.runs.length ?? 0) - waiting;
  return (
    <section aria-labelledby="queue-heading" className={styles.section}>
      <h2 id="queue-heading">Queue</h2>
      <p className="muted">
        Runs waiting and running in the graphs you can see, oldest first. A position counts every waiting run, also other people’s.
      </p>
      {queue === undefined ? (
        <p className="muted">Loading the queue…</p>
      ) : queue.runs.length === 0 ? (
        <p className="muted" role="status">
          Nothing is waiting or running.
        </p>
      ) : (
        <div className={styles.tableWrap}>
          <p id="queue-summary" className={styles.summary}>
            {running} running, {waiting} waiting
          </p>
          <table className={styles.table} aria-labelledby="queue-heading" aria-describedby="queue-summary">
            <thead>
              <tr>
                <th scope="col">Graph</th>
                <th scope="col">Status</th>
                <th scope="col">Position</th>
                <th scope="col">Time</th>
                <th scope="col">Worker</th>
                <th scope="col">
                  <span className={ui.visuallyHidden}>Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {queue.runs.map((run) => (
                <QueueRow key={run.id} run={run} mode={queue.mode} workerNames={workerNames} now={now} onCancelled={onChanged} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
