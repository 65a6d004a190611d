'use client';
import { useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { trpc } from '../../_lib/trpc';
import { errorMessage } from '../../_components/errors';
import { useSession } from '../../_components/session';
import type { GraphSummary } from '../../_components/types';
import ui from '../../_components/ui.module.css';
import { ExampleDialog } from './example-dialog';
import { GraphCard } from './graph-card';
import styles from './library.module.css';
import { NewGraphDialog } from './new-graph-dialog';
import { FailureAlert } from '../../_components/failure-alert';

/** The graph library: search, tag filter, the graphs of the chosen team (or all of yours), and ways to start a new one. */
export function Library() {
  const router = useRouter();
  const params = useSearchParams();
  const { teams, user } = useSession();
  const teamId = params.get('team') || undefined;
  const tag = params.get('tag') || undefined;
  const team = teams.find((t) => t.id === teamId);
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<GraphSummary[] | undefined>();
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [failure, setFailure] = useState<string>();
  const [announcement, setAnnouncement] = useState('');
  const [dialog, setDialog] = useState<'new' | 'example' | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const canCreate = !team || team.role === 'editor' || team.role === 'owner';

  // Search as the user types, a moment after they pause.
  useEffect(() => {
    const timer = setTimeout(() => setQuery(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);

  const load = useCallback(async () => {
    try {
      const page = await trpc.graphs.list.query({ search: query || undefined, tag, teamId });
      setItems(page.items);
      setNextCursor(page.nextCursor);
      setFailure(undefined);
    } catch (error) {
      setFailure(errorMessage(error));
      setItems([]);
    }
  }, [query, tag, teamId]);

  useEffect(() => {
    void load();
  }, [load]);

  async function loadMore() {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await trpc.graphs.list.query({ search: query || undefined, tag, teamId, cursor: nextCursor });
      setItems((current) => [...(current ?? []), ...page.items.filter((g) => !current?.some((c) => c.id === g.id))]);
      setNextCursor(page.nextCursor);
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setLoadingMore(false);
    }
  }

  function chooseTag(next: string | undefined) {
    const query = new URLSearchParams(params.toString());
    if (next) query.set('tag', next);
    else query.delete('tag');
    const text = query.toString();
    router.replace(text ? `/graphs?${text}` : '/graphs', { scroll: false });
  }

  const tags = useMemo(() => {
    const all = new Set(items?.flatMap((g) => g.tags) ?? []);
    if (tag) all.add(tag);
    return [...all].sort((a, b) => a.localeCompare(b));
  }, [items, tag]);

  const teamNames = useMemo(() => new Map(teams.map((t) => [t.id, t.name])), [teams]);
  const owns = (graph: GraphSummary) => (graph.ownerTeamId ? teams.find((t) => t.id === graph.ownerTeamId)?.role === 'owner' : graph.ownerUserId === user.id);
  const openEditor = (graphId: string) => router.push(`/graphs/${encodeURIComponent(graphId)}`);

  return (
    <>
      <div className={styles.top}>
        <div>
          <h1>{team ? `${team.name} graphs` : 'Graphs'}</h1>
          <p className="muted">
            {team ? `Graphs of the team ${team.name}; new graphs go to this team.` : "Your personal graphs and your teams' graphs; new graphs are personal."}
          </p>
        </div>
        <div className={ui.row}>
          <button type="button" className={ui.primary} onClick={() => setDialog('new')} disabled={!canCreate}>
            New graph
          </button>
          <button type="button" className={ui.button} onClick={() => setDialog('example')} disabled={!canCreate}>
            From example
          </button>
        </div>
      </div>
      {!canCreate && <p className={ui.hint}>Your role in this team ({team?.role}) cannot create graphs.</p>}

      <div className={styles.filters}>
        <input
          type="search"
          className={`${ui.input} ${styles.search}`}
          aria-label="Search graphs"
          placeholder="Search graphs by name"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        {tags.length > 0 && (
          <div role="group" aria-label="Filter by tag" className={styles.tagBar}>
            {tags.map((t) => (
              <button
                key={t}
                type="button"
                className={styles.tag}
                aria-pressed={t === tag}
                onClick={() => chooseTag(t === tag ? undefined : t)}
              >
                #{t}
              </button>
            ))}
            {tag && (
              <button type="button" className={`${ui.button} ${ui.small}`} onClick={() => chooseTag(undefined)}>
                Clear tag filter
              </button>
            )}
          </div>
        )}
      </div>

      <p role="status" className={ui.visuallyHidden}>
        {announcement}
      </p>
      <FailureAlert failure={failure} />

      {items === undefined ? (
        <p className="muted" role="status">
          Loading graphs…
        </p>
      ) : items.length === 0 ? (
        <div className={`${ui.card} ${styles.empty}`}>
          {query || tag ? (
            <p>No graphs match {query ? `“${query}”` : ''}{query && tag ? ' with ' : ''}{tag ? `the tag #${tag}` : ''}.</p>
          ) : (
            <p>No graphs here yet. Create one with “New graph”, or start from an example.</p>
          )}
        </div>
      ) : (
        <ul className={styles.grid} aria-label="Graphs">
          {items.map((graph) => (
            <GraphCard
              key={graph.id}
              graph={graph}
              teamName={graph.ownerTeamId ? teamNames.get(graph.ownerTeamId) : undefined}
              activeTag={tag}
              onTag={chooseTag}
              duplicateTo={teamId}
              teams={teams}
              canMove={owns(graph)}
              sourceName={graph.copiedFromGraphId ? graph.copiedFromName : undefined}
              onChanged={(message) => {
                setAnnouncement(message);
                void load();
              }}
            />
          ))}
        </ul>
      )}
      {nextCursor && (
        <p>
          <button type="button" className={ui.button} onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Show more graphs'}
          </button>
        </p>
      )}

      <NewGraphDialog open={dialog === 'new'} teamId={teamId} teamName={team?.name} onClose={() => setDialog(null)} onCreated={openEditor} />
      <ExampleDialog open={dialog === 'example'} teamId={teamId} teamName={team?.name} onClose={() => setDialog(null)} onCreated={openEditor} />
    </>
  );
}
