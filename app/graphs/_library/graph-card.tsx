'use client';
import Link from 'next/link';
import { useEffect, useId, useRef, useState } from 'react';
import { trpc } from '../../_lib/trpc';
import { errorMessage } from '../../_components/errors';
import { fullTime, isoTime, timeAgo } from '../../_components/format';
import { ConfirmModal } from '../../_components/modal';
import type { GraphSummary, Team } from '../../_components/types';
import ui from '../../_components/ui.module.css';
import styles from './library.module.css';
import { FailureAlert } from '../../_components/failure-alert';
import { MoveCopyDialog, type MoveCopyMode } from './move-copy-dialog';

interface Props {
  graph: GraphSummary;
  teamName: string | undefined;
  activeTag: string | undefined;
  onTag(tag: string): void;
  /** Where copies go: the team being viewed, or personal. */
  duplicateTo: string | undefined;
  /** After a duplicate, move, copy or delete: what happened, for screen readers; the list reloads. */
  onChanged(message: string): void;
  /** My teams (where Move and Copy may put the graph). */
  teams: readonly Team[];
  /** Whether I own the graph (only owners move it). */
  canMove: boolean;
  /** The name of the graph this one was copied from; null when it cannot be read; undefined when not a copy or not known yet. */
  sourceName: string | null | undefined;
}

/** One graph in the library: a link (named by the graph) with its last output, tags, age and a menu. */
export function GraphCard({ graph, teamName, activeTag, onTag, duplicateTo, onChanged, teams, canMove, sourceName }: Props) {
  const href = `/graphs/${encodeURIComponent(graph.id)}`;
  const [menuOpen, setMenuOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [deleteFailure, setDeleteFailure] = useState<string>();
  const [moveCopy, setMoveCopy] = useState<MoveCopyMode>();
  const menuId = useId();
  const menuRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!menuOpen) return;
    const close = (event: MouseEvent) => {
      if (!menuRef.current?.contains(event.target as Node)) setMenuOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [menuOpen]);

  async function duplicate() {
    setMenuOpen(false);
    setBusy(true);
    setFailure(undefined);
    try {
      const copy = await trpc.graphs.duplicate.mutate({ graphId: graph.id, teamId: duplicateTo });
      onChanged(`Duplicated ${graph.name} as ${copy.graph.name}.`);
    } catch (error) {
      setFailure(`Could not duplicate: ${errorMessage(error)}`);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    setDeleteFailure(undefined);
    try {
      await trpc.graphs.delete.mutate({ graphId: graph.id });
      setConfirming(false);
      onChanged(`Deleted ${graph.name}.`);
    } catch (error) {
      setDeleteFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className={styles.card}>
      <Link href={href} className={styles.cardLink}>
        <span className={styles.thumb}>
          {graph.thumbnail ? (
            // eslint-disable-next-line @next/next/no-img-element -- previews are served by the API, not optimised by Next
            <img src={graph.thumbnail} alt="" loading="lazy" />
          ) : (
            <span aria-hidden="true" className={styles.noThumb}>
              No output yet
            </span>
          )}
        </span>
        <span className={styles.cardName}>{graph.name}</span>
      </Link>
      <div className={styles.cardMeta}>
        <span className="muted">
          Updated <time dateTime={isoTime(graph.updatedAt)} title={fullTime(graph.updatedAt)}>{timeAgo(graph.updatedAt)}</time>
          {teamName && <> · {teamName}</>}
        </span>
        <div className={styles.menuWrap} ref={menuRef} onKeyDown={(e) => {
          if (e.key === 'Escape' && menuOpen) {
            setMenuOpen(false);
            buttonRef.current?.focus();
          }
        }}>
          <button
            ref={buttonRef}
            type="button"
            className={`${ui.button} ${ui.small}`}
            aria-label={`Actions for ${graph.name}`}
            aria-expanded={menuOpen}
            aria-controls={menuId}
            onClick={() => setMenuOpen((open) => !open)}
            disabled={busy}
          >
            ⋯
          </button>
          <div id={menuId} className={styles.menu} hidden={!menuOpen}>
            <button type="button" className={styles.menuItem} onClick={duplicate}>
              Duplicate
            </button>
            {canMove && (
              <button type="button" className={styles.menuItem} onClick={() => { setMenuOpen(false); setMoveCopy('move'); }}>
                Move to…
              </button>
            )}
            <button type="button" className={styles.menuItem} onClick={() => { setMenuOpen(false); setMoveCopy('copy'); }}>
              Copy to…
            </button>
            <Link href={`${href}/runs`} className={styles.menuItem}>
              Runs
            </Link>
            <button type="button" className={`${styles.menuItem} ${styles.menuDanger}`} onClick={() => { setMenuOpen(false); setConfirming(true); }}>
              Delete
            </button>
          </div>
        </div>
      </div>
      {graph.copiedFromGraphId && graph.copiedFromVersion && (
        <p className={`muted ${styles.provenance}`} data-testid="provenance">
          copied from{' '}
          {sourceName ? (
            <Link href={`/graphs/${encodeURIComponent(graph.copiedFromGraphId)}`}>{sourceName}</Link>
          ) : sourceName === null ? (
            'a graph you cannot open'
          ) : (
            'another graph'
          )}{' '}
          v{graph.copiedFromVersion}
        </p>
      )}
      {graph.tags.length > 0 && (
        <ul className={styles.cardTags} aria-label={`Tags of ${graph.name}`}>
          {graph.tags.map((tag) => (
            <li key={tag}>
              <button type="button" className={styles.tag} aria-pressed={tag === activeTag} onClick={() => onTag(tag)} title={`Show graphs tagged ${tag}`}>
                #{tag}
              </button>
            </li>
          ))}
        </ul>
      )}
      <FailureAlert failure={failure} />
      <MoveCopyDialog
        mode={moveCopy}
        graph={graph}
        teams={teams}
        onClose={() => setMoveCopy(undefined)}
        onDone={(message) => {
          setMoveCopy(undefined);
          onChanged(message);
        }}
      />
      <ConfirmModal
        open={confirming}
        title={`Delete “${graph.name}”?`}
        message={<p>The graph, its versions and its run history leave the library. This cannot be undone here.</p>}
        confirmLabel="Delete graph"
        busy={busy}
        failure={deleteFailure}
        onConfirm={remove}
        onClose={() => {
          setConfirming(false);
          setDeleteFailure(undefined);
        }}
      />
    </li>
  );
}
