'use client';
import { useState, type FormEvent } from 'react';
import { trpc } from '../../_lib/trpc';
import { errorMessage } from '../../_components/errors';
import { Modal } from '../../_components/modal';
import ui from '../../_components/ui.module.css';
import { FailureAlert } from '../../_components/failure-alert';

/** What the library's dialogs that create a graph take: where it goes, and what to do once it exists. */
export interface CreateGraphDialogProps {
  open: boolean;
  teamId: string | undefined;
  teamName: string | undefined;
  onClose(): void;
  onCreated(graphId: string): void;
}

/** Asks for a name, creates an empty graph (in the team or personal) and opens it. */
export function NewGraphDialog({ open, teamId, teamName, onClose, onCreated }: CreateGraphDialogProps) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name') ?? '').trim();
    if (!name) {
      setFailure('Give the graph a name.');
      return;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      const { graph } = await trpc.graphs.create.mutate({ name, teamId });
      onCreated(graph.id);
    } catch (error) {
      setFailure(errorMessage(error));
      setBusy(false);
    }
  }

  function close() {
    setFailure(undefined);
    setBusy(false);
    onClose();
  }

  return (
    <Modal open={open} title="New graph" onClose={close}>
      <form onSubmit={submit} noValidate>
        <div className={ui.field}>
          <label htmlFor="new-graph-name">Name</label>
          <input id="new-graph-name" name="name" className={ui.input} required maxLength={200} autoFocus autoComplete="off" />
          <span className={ui.hint}>{teamName ? `The graph belongs to the team ${teamName}.` : 'The graph is personal; you can share a copy with a team later.'}</span>
        </div>
        <FailureAlert failure={failure} />
        <div className={ui.actions}>
          <button type="button" className={ui.button} onClick={close}>
            Cancel
          </button>
          <button type="submit" className={ui.primary} disabled={busy}>
            {busy ? 'Creating…' : 'Create graph'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
