'use client';
import { useCallback, useEffect, useId, useState } from 'react';
import type { GraphDocument } from '../../../../engine/graph-document';
import { trpc } from '../../../_lib/trpc';
import { useGraphStore } from './graph-store';
import styles from './run-save.module.css';
import { VersionCompare, type CompareRequest } from './version-diff';
import { describeError, documentKey, getBaseVersion, loadSaved, useBaseVersion, useSaveStore, viewingUnchanged } from './use-save';

type Version = Awaited<ReturnType<typeof trpc.graphs.versions.query>>[number];
type Pending = { action: 'open' | 'restore'; number: number };

const timeFormat = typeof Intl !== 'undefined' ? new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : undefined;
const when = (value: string | Date) => {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : (timeFormat?.format(date) ?? date.toISOString());
};

/** The graph's versions, newest first, with Open (load it on the canvas) and Restore (make it the new head). */
export function HistoryPanel({ graphId }: { graphId: string }) {
  const revision = useSaveStore((s) => s.revision);
  const viewing = useSaveStore((s) => s.viewing);
  const dirty = useGraphStore((s) => s.dirty);
  const baseVersion = useBaseVersion();
  const [versions, setVersions] = useState<Version[] | undefined>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const [pending, setPending] = useState<Pending | undefined>();
  const [compare, setCompare] = useState<CompareRequest | undefined>();
  const idBase = useId();

  const refresh = useCallback(async () => {
    setLoading(true);
    try {
      setVersions(await trpc.graphs.versions.query({ graphId }));
      setError(undefined);
    } catch (e) {
      setError(`Could not load the history: ${describeError(e).message}`);
    } finally {
      setLoading(false);
    }
  }, [graphId]);
  useEffect(() => {
    void refresh();
  }, [refresh, revision]);

  const head = versions?.[0]?.number;
  const hasLocalChanges = () => useGraphStore.getState().dirty && viewingUnchanged() === undefined;

  const open = async (number: number) => {
    setBusy(`Opening version ${number}…`);
    setError(undefined);
    try {
      const { version } = await trpc.graphs.get.query({ graphId, version: number });
      const base = getBaseVersion() ?? head ?? number;
      loadSaved(version.document as GraphDocument, base);
      if (number !== base) {
        // The canvas now differs from the saved head: saving makes this version the latest.
        useGraphStore.setState({ dirty: true });
        useSaveStore.setState({ viewing: { number, document: documentKey() } });
      } else {
        useSaveStore.setState({ viewing: undefined });
      }
    } catch (e) {
      setError(`Could not open version ${number}: ${describeError(e).message}`);
    } finally {
      setBusy(undefined);
    }
  };

  const restore = async (number: number) => {
    setBusy(`Restoring version ${number}…`);
    setError(undefined);
    const base = getBaseVersion() ?? head ?? 0;
    try {
      await trpc.graphs.restore.mutate({ graphId, number, baseVersion: base });
      const { version } = await trpc.graphs.get.query({ graphId });
      loadSaved(version.document as GraphDocument, version.number);
      useSaveStore.setState((s) => ({ viewing: undefined, revision: s.revision + 1 }));
    } catch (e) {
      const { code, message, details } = describeError(e);
      if (code === 'CONFLICT') {
        const headVersion = typeof details?.headVersion === 'number' ? details.headVersion : (head ?? base) + 1;
        useSaveStore.setState((s) => ({
          conflict: { headVersion, baseVersion: base, document: useGraphStore.getState().toDocument(), message: `restore version ${number}` },
          revision: s.revision + 1,
        }));
      } else {
        setError(`Could not restore version ${number}: ${message}`);
      }
    } finally {
      setBusy(undefined);
    }
  };

  const request = (action: Pending['action'], number: number) => {
    if (hasLocalChanges()) setPending({ action, number });
    else void (action === 'open' ? open(number) : restore(number));
  };
  const confirm = () => {
    if (!pending) return;
    setPending(undefined);
    void (pending.action === 'open' ? open(pending.number) : restore(pending.number));
  };

  return (
    <section aria-labelledby={`${idBase}-title`}>
      <div className={styles.versionHead}>
        <h3 id={`${idBase}-title`}>Versions</h3>
        <button type="button" className={styles.button} onClick={() => void refresh()} disabled={loading}>
          Refresh
        </button>
      </div>
      {viewing && viewing.number !== baseVersion ? (
        <p className={styles.notice}>
          The canvas shows version {viewing.number}. Save to make it the latest version, or Restore it below.
        </p>
      ) : null}
      {pending ? (
        <div className={styles.notice} role="alert">
          <p style={{ margin: '0 0 0.5rem' }}>
            You have unsaved changes. {pending.action === 'open' ? 'Opening' : 'Restoring'} version {pending.number} discards them.
          </p>
          <div className={styles.versionActions}>
            <button type="button" className={styles.danger} onClick={confirm} autoFocus>
              Discard changes and {pending.action === 'open' ? 'open' : 'restore'}
            </button>
            <button type="button" className={styles.button} onClick={() => setPending(undefined)}>
              Back
            </button>
          </div>
        </div>
      ) : null}
      {busy ? <p role="status">{busy}</p> : null}
      {error ? (
        <p className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
      {versions && versions.length > 1 ? <VersionCompare graphId={graphId} numbers={versions.map((v) => v.number)} request={compare} /> : null}
      {versions === undefined ? (
        loading ? <p className="muted">Loading…</p> : null
      ) : versions.length === 0 ? (
        <p className="muted">No versions yet.</p>
      ) : (
        <ol className={styles.versions} aria-label="Versions, newest first">
          {versions.map((v, index) => {
            const previous = versions[index + 1]?.number;
            const labelId = `${idBase}-v${v.number}`;
            const isHead = v.number === head;
            const isBase = v.number === baseVersion && !(viewing && viewing.number !== baseVersion);
            const isViewing = viewing?.number === v.number && viewing.number !== baseVersion;
            return (
              <li key={v.id} className={`${styles.version} ${isBase || isViewing ? styles.versionCurrent : ''}`} data-version={v.number}>
                <div className={styles.versionHead}>
                  <strong id={labelId}>Version {v.number}</strong>
                  <span>
                    {isHead ? <span className={styles.badge}>latest</span> : null}{' '}
                    {isBase ? <span className={styles.badge}>{dirty ? 'editing' : 'on canvas'}</span> : null}
                    {isViewing ? <span className={styles.badge}>on canvas</span> : null}
                  </span>
                </div>
                <div>{v.message ? v.message : <span className="muted">No message</span>}</div>
                <div className={styles.versionMeta}>
                  {v.author?.name ?? 'unknown author'} · <time dateTime={new Date(v.createdAt).toISOString()}>{when(v.createdAt)}</time>
                </div>
                <div className={styles.versionActions}>
                  <button type="button" className={styles.button} aria-describedby={labelId} onClick={() => request('open', v.number)} disabled={busy !== undefined}>
                    Open
                  </button>
                  <button
                    type="button"
                    className={styles.button}
                    aria-describedby={labelId}
                    onClick={() => request('restore', v.number)}
                    disabled={busy !== undefined || isHead}
                    title={isHead ? 'This is the latest version' : `Make version ${v.number} the latest (a new version; history is kept)`}
                  >
                    Restore
                  </button>
                  {previous !== undefined ? (
                    <button type="button" className={styles.button} aria-describedby={labelId} onClick={() => setCompare({ from: previous, to: v.number })} title={`What changed from version ${previous} to version ${v.number}`}>
                      Compare with previous
                    </button>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
