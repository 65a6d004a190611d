'use client';
import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../_components/errors';
import { FailureAlert } from '../../_components/failure-alert';
import { Modal } from '../../_components/modal';
import type { GraphSummary, Team } from '../../_components/types';
import ui from '../../_components/ui.module.css';
import { trpc } from '../../_lib/trpc';

export type MoveCopyMode = 'move' | 'copy';

/** Where a graph may go: personal, or a team where I may add graphs (editor or owner); a move skips where it already is. */
export function destinations(teams: readonly Team[], graph: Pick<GraphSummary, 'ownerTeamId'>, mode: MoveCopyMode): { id: string; name: string }[] {
  const writable = teams.filter((t) => t.role === 'editor' || t.role === 'owner').map((t) => ({ id: t.id, name: t.name }));
  const all = [{ id: '', name: 'Personal' }, ...writable];
  return mode === 'move' ? all.filter((d) => d.id !== (graph.ownerTeamId ?? '')) : all;
}

/** "Move to…" (history and runs go along) or "Copy to…" (a fork recording where it came from): pick personal or a team. */
export function MoveCopyDialog({
  mode,
  graph,
  teams,
  onClose,
  onDone,
}: {
  mode: MoveCopyMode | undefined;
  graph: GraphSummary;
  teams: readonly Team[];
  onClose(): void;
  onDone(message: string): void;
}) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const choices = mode ? destinations(teams, graph, mode) : [];

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!mode) return;
    const form = new FormData(event.currentTarget);
    const target = String(form.get('target') ?? '');
    const where = choices.find((c) => c.id === target)?.name ?? 'Personal';
    setBusy(true);
    setFailure(undefined);
    try {
      if (mode === 'move') {
        await trpc.graphs.move.mutate({ graphId: graph.id, teamId: target || null });
        onDone(`Moved ${graph.name} to ${where}.`);
      } else {
        const name = String(form.get('name') ?? '').trim();
        const copy = await trpc.graphs.duplicate.mutate({ graphId: graph.id, ...(target ? { teamId: target } : {}), ...(name ? { name } : {}) });
        onDone(`Copied ${graph.name} to ${where} as ${copy.graph.name}.`);
      }
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  const close = () => {
    setFailure(undefined);
    onClose();
  };
  return (
    <Modal open={mode !== undefined} title={mode === 'move' ? `Move “${graph.name}”` : `Copy “${graph.name}”`} onClose={close}>
      {choices.length === 0 ? (
        <p>There is nowhere else to put it: you are an editor or owner of no other team.</p>
      ) : (
        <form onSubmit={submit} noValidate>
          <div className={ui.field}>
            <label htmlFor={`${id}-target`}>{mode === 'move' ? 'Move to' : 'Copy to'}</label>
            <select id={`${id}-target`} name="target" className={ui.input} defaultValue={choices[0]?.id}>
              {choices.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
            <span className={ui.hint}>
              {mode === 'move'
                ? 'The graph, its versions and its runs move; people lose access that came only from where it was.'
                : 'The copy starts from the latest version and records that it was copied from this graph.'}
            </span>
          </div>
          {mode === 'copy' && (
            <div className={ui.field}>
              <label htmlFor={`${id}-name`}>Name of the copy</label>
              <input id={`${id}-name`} name="name" className={ui.input} defaultValue={`${graph.name} (copy)`} maxLength={200} autoComplete="off" />
            </div>
          )}
          <FailureAlert failure={failure} />
          <div className={ui.actions}>
            <button type="button" className={ui.button} onClick={close}>
              Cancel
            </button>
            <button type="submit" className={ui.primary} disabled={busy}>
              {mode === 'move' ? 'Move' : 'Copy'}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
