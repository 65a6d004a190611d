'use client';
import Link from 'next/link';
import { useId } from 'react';
import { fullTime, isoTime } from '../../_components/format';
import type { QueuedRun, WorkerView } from './types';
import { formatMiB, providersLabel, shortAgo } from '../../_components/worker-format';
import { WorkerModels } from './worker-models';
import styles from './workers.module.css';

/** Where a run's detail is, when the queue says which graph it belongs to. */
export function runHref(run: Pick<QueuedRun, 'id' | 'graphId'>): string {
  return `/graphs/${encodeURIComponent(run.graphId)}/runs?run=${encodeURIComponent(run.id)}`;
}

/** One worker: state, what it runs now, when it last reported, and what it can run. */
export function WorkerCard({ worker, runs, now }: { worker: WorkerView; runs: ReadonlyMap<string, QueuedRun>; now: number }) {
  const headingId = useId();
  return (
    <article aria-labelledby={headingId} className={styles.worker} data-testid="worker-card">
      <div className={styles.workerTop}>
        <h3 id={headingId}>{worker.name}</h3>
        <span className={styles.state} data-state={worker.state}>
          {worker.state}
        </span>
      </div>
      <dl className={styles.facts}>
        <dt>Host</dt>
        <dd>
          <code>{worker.host}</code>
        </dd>
        <dt>Running now</dt>
        <dd>
          <CurrentRuns worker={worker} runs={runs} />
        </dd>
        <dt>Concurrency</dt>
        <dd>{worker.concurrency === 1 ? '1 run at a time' : `${worker.concurrency} runs at a time`}</dd>
        <dt>Last heartbeat</dt>
        <dd>
          {worker.heartbeatAt === null ? (
            <span className="muted">none (part of this server)</span>
          ) : (
            <time dateTime={isoTime(worker.heartbeatAt)} title={fullTime(worker.heartbeatAt)}>
              {shortAgo(worker.heartbeatAt, now)}
            </time>
          )}
        </dd>
        {worker.startedAt !== null && (
          <>
            <dt>Started</dt>
            <dd>
              <time dateTime={isoTime(worker.startedAt)} title={fullTime(worker.startedAt)}>
                {shortAgo(worker.startedAt, now)}
              </time>
            </dd>
          </>
        )}
        <dt>Providers</dt>
        <dd>
          {worker.providers.length > 0 ? providersLabel(worker.providers) : <span className="muted">this server’s setting (default CPU)</span>}
        </dd>
        <dt>GPU</dt>
        <dd>{worker.gpu ? `${worker.gpu.name}${worker.gpu.memoryMiB ? `, ${formatMiB(worker.gpu.memoryMiB)}` : ''}` : <span className="muted">none reported</span>}</dd>
        {(worker.cores !== null || worker.memoryMiB !== null) && (
          <>
            <dt>CPU and memory</dt>
            <dd>
              {worker.cores ?? '—'} cores, {formatMiB(worker.memoryMiB)}
            </dd>
          </>
        )}
        <dt>Models</dt>
        <dd>
          <WorkerModels models={worker.models} />
        </dd>
      </dl>
    </article>
  );
}

/** The runs a worker executes now: links to those the viewer may read, a count of the others. */
function CurrentRuns({ worker, runs }: { worker: WorkerView; runs: ReadonlyMap<string, QueuedRun> }) {
  if (worker.runIds.length === 0 && worker.otherRuns === 0) return <span className="muted">nothing</span>;
  return (
    <ul className={styles.inlineList}>
      {worker.runIds.map((id) => {
        const run = runs.get(id);
        return (
          <li key={id}>
            {run ? (
              <Link href={runHref(run)}>
                {run.graphName} <span className={styles.runId}>{id.slice(-6)}</span>
              </Link>
            ) : (
              <code>{id}</code>
            )}
          </li>
        );
      })}
      {worker.otherRuns > 0 && <li className="muted">{worker.otherRuns === 1 ? '1 other run' : `${worker.otherRuns} other runs`}</li>}
    </ul>
  );
}
