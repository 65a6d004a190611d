'use client';
import Link from 'next/link';
import { useParams, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { trpc } from '../../_lib/trpc';
import { errorMessage } from '../../_components/errors';
import { formatDuration, fullTime, isoTime, runDuration, timeAgo } from '../../_components/format';
import { libraryHref } from '../../_components/app-header';
import { useSession } from '../../_components/session';
import type { RouterOutputs, RunSummary } from '../../_components/types';
import ui from '../../_components/ui.module.css';
import { RunDetail } from './run-detail';
import { OutputImage, splitOutputs, StatusBadge } from './run-parts';
import styles from './runs.module.css';
import { FailureAlert } from '../../_components/failure-alert';

type GraphInfo = RouterOutputs['graphs']['get']['graph'];
const active = (run: RunSummary) => run.status === 'queued' || run.status === 'running';

/** /graphs/<id>/runs: every run of a graph, the images they made, and one run's detail (?run=). */
export function RunHistory() {
  const { graphId } = useParams<{ graphId: string }>();
  const params = useSearchParams();
  const router = useRouter();
  const { user } = useSession();
  const selected = params.get('run');
  const [graph, setGraph] = useState<GraphInfo>();
  const [runs, setRuns] = useState<RunSummary[]>();
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [failure, setFailure] = useState<string>();
  const firstLoad = useRef(true);

  useEffect(() => {
    trpc.graphs.get
      .query({ graphId })
      .then(async ({ graph }) => {
        setGraph(graph);
        if (graph.ownerTeamId) {
          const { members } = await trpc.teams.members.query({ teamId: graph.ownerTeamId });
          setNames(new Map(members.map((m) => [m.id, m.name])));
        }
      })
      .catch((error) => setFailure(errorMessage(error)));
  }, [graphId]);

  const refresh = useCallback(async () => {
    try {
      const page = await trpc.runs.list.query({ graphId, limit: 20 });
      // Keep older pages the user already loaded; the first page replaces what it covers.
      setRuns((current) => [...page.items, ...(current ?? []).filter((r) => !page.items.some((p) => p.id === r.id) && !isNewer(r, page.items))]);
      if (firstLoad.current) setNextCursor(page.nextCursor);
      firstLoad.current = false;
    } catch (error) {
      setFailure(errorMessage(error));
    }
  }, [graphId]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // While a run is queued or running, look again every two seconds.
  const anyActive = runs?.some(active) ?? false;
  useEffect(() => {
    if (!anyActive) return;
    const timer = setInterval(() => void refresh(), 2000);
    return () => clearInterval(timer);
  }, [anyActive, refresh]);

  async function loadMore() {
    if (!nextCursor) return;
    try {
      const page = await trpc.runs.list.query({ graphId, limit: 20, cursor: nextCursor });
      setRuns((current) => [...(current ?? []), ...page.items.filter((r) => !current?.some((c) => c.id === r.id))]);
      setNextCursor(page.nextCursor);
    } catch (error) {
      setFailure(errorMessage(error));
    }
  }

  const who = (id: string | null) => (id === null ? 'a removed user' : id === user.id ? 'You' : (names.get(id) ?? 'A team member'));
  const select = (runId: string | null) => router.replace(runId ? `?run=${encodeURIComponent(runId)}` : '?', { scroll: false });

  const gallery = useMemo(
    () =>
      (runs ?? [])
        .filter((r) => r.status === 'succeeded')
        .flatMap((run) => splitOutputs(run.outputs).images.map((image) => ({ run, image }))),
    [runs],
  );
  const editorHref = `/graphs/${encodeURIComponent(graphId)}`;

  return (
    <>
      <nav aria-label="Breadcrumb" className={styles.crumbs}>
        <Link href={libraryHref(graph?.ownerTeamId)}>Graphs</Link> <span aria-hidden="true">/</span>{' '}
        <Link href={editorHref}>{graph?.name ?? 'Graph'}</Link> <span aria-hidden="true">/</span> <span aria-current="page">Runs</span>
      </nav>
      <div className={styles.top}>
        <h1>Runs of {graph?.name ?? '…'}</h1>
        <Link href={editorHref} className={ui.button}>
          Open in editor
        </Link>
      </div>
      <FailureAlert failure={failure} />

      {runs === undefined ? (
        <p className="muted" role="status">
          Loading runs…
        </p>
      ) : runs.length === 0 ? (
        <div className={ui.card}>
          <p>This graph has not run yet. Open it in the editor and press Run.</p>
        </div>
      ) : (
        <div className={styles.layout}>
          <section aria-labelledby="runs-heading">
            <h2 id="runs-heading">History</h2>
            <div className={styles.tableWrap}>
              <table className={styles.table}>
                <thead>
                  <tr>
                    <th scope="col">Status</th>
                    <th scope="col">Started</th>
                    <th scope="col">By</th>
                    <th scope="col">Version</th>
                    <th scope="col">Duration</th>
                    <th scope="col">
                      <span className={ui.visuallyHidden}>Details</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {runs.map((run) => (
                    <tr key={run.id} aria-selected={run.id === selected} className={run.id === selected ? styles.selectedRow : undefined}>
                      <td>
                        <StatusBadge status={run.status} />
                      </td>
                      <td>
                        <time dateTime={isoTime(run.createdAt)} title={fullTime(run.createdAt)}>
                          {timeAgo(run.createdAt)}
                        </time>
                      </td>
                      <td>{who(run.createdById)}</td>
                      <td>v{run.version.number}</td>
                      <td>{run.status === 'queued' ? '—' : formatDuration(runDuration(run))}</td>
                      <td>
                        <button
                          type="button"
                          className={`${ui.button} ${ui.small}`}
                          aria-pressed={run.id === selected}
                          aria-label={`Details of the run ${fullTime(run.createdAt)}`}
                          onClick={() => select(run.id === selected ? null : run.id)}
                        >
                          Details
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {nextCursor && (
              <p>
                <button type="button" className={ui.button} onClick={loadMore}>
                  Show older runs
                </button>
              </p>
            )}
          </section>
          {selected && <RunDetail key={selected} graphId={graphId} runId={selected} who={who} onClose={() => select(null)} />}
        </div>
      )}

      {gallery.length > 0 && (
        <section aria-labelledby="gallery-heading">
          <h2 id="gallery-heading">Output images</h2>
          <p className="muted">Previews of what succeeded runs made; each opens the full PNG.</p>
          <ul className={styles.gallery}>
            {gallery.map(({ run, image }) => (
              <li key={`${run.id}:${image.name}`}>
                <OutputImage
                  runId={run.id}
                  image={image}
                  alt={`${image.name}, from the run ${fullTime(run.createdAt)} (full-size PNG)`}
                  caption={`${timeAgo(run.createdAt)} · v${run.version.number}`}
                />
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

/** Whether `run` is newer than the oldest of a fresh first page (then the page already has it, or it is gone). */
function isNewer(run: RunSummary, page: RunSummary[]): boolean {
  const oldest = page.at(-1);
  return !!oldest && new Date(run.createdAt).getTime() >= new Date(oldest.createdAt).getTime();
}
