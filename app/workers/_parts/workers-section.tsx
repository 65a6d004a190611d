'use client';
import type { QueuedRun, WorkerList } from './types';
import { WorkerCard } from './worker-card';
import styles from './workers.module.css';

/** The workers that execute runs; in the embedded mode, what that means and how to add remote ones. */
export function WorkersSection({ list, runs, now }: { list: WorkerList | undefined; runs: ReadonlyMap<string, QueuedRun>; now: number }) {
  return (
    <section aria-labelledby="workers-heading" className={styles.section}>
      <h2 id="workers-heading">Workers</h2>
      {list?.mode === 'embedded' && (
        <div className={styles.note} data-testid="embedded-note">
          <p>
            Runs execute in this server’s own worker processes (<code>PIXELWIRE_WORKERS</code>, default 2), with the models installed on this machine
            and the execution providers in <code>PIXELWIRE_EXECUTION_PROVIDERS</code> (default CPU).
          </p>
          <p>
            To run them on other machines, point the server and each worker at the same Redis, PostgreSQL and S3 storage and start workers there with{' '}
            <code>REDIS_URL=… pixelwire worker</code>; see <code>docs/deploy.md</code>.
          </p>
        </div>
      )}
      {list?.mode === 'cluster' && <p className="muted">Remote workers, from their latest heartbeats. A worker that stops reporting leaves this list.</p>}
      {list === undefined ? (
        <p className="muted">Loading the workers…</p>
      ) : list.workers.length === 0 ? (
        <p className={styles.warning} role="status">
          No worker is connected: runs wait in the queue until one starts.
        </p>
      ) : (
        <div className={styles.workers}>
          {list.workers.map((worker) => (
            <WorkerCard key={worker.id} worker={worker} runs={runs} now={now} />
          ))}
        </div>
      )}
    </section>
  );
}
