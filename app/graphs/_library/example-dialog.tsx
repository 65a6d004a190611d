'use client';
import { useState } from 'react';
import { trpc } from '../../_lib/trpc';
import { errorMessage } from '../../_components/errors';
import { Modal } from '../../_components/modal';
import ui from '../../_components/ui.module.css';
import { examples, prepareExample, type Example } from './examples';
import styles from './library.module.css';
import type { CreateGraphDialogProps } from './new-graph-dialog';
import { FailureAlert } from '../../_components/failure-alert';

/** The bundled example graphs; choosing one uploads its sample photo, creates the graph and opens it. */
export function ExampleDialog({ open, teamId, teamName, onClose, onCreated }: CreateGraphDialogProps) {
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [notes, setNotes] = useState<string[]>([]);

  async function use(example: Example) {
    setBusy(example.key);
    setFailure(undefined);
    try {
      const prepared = await prepareExample(example, teamId);
      setNotes(prepared.notes);
      const { graph } = await trpc.graphs.create.mutate({
        name: example.name,
        description: example.description,
        tags: ['example'],
        teamId,
        document: prepared.document,
        message: `created from the example ${example.key}`,
      });
      onCreated(graph.id);
    } catch (error) {
      setFailure(errorMessage(error));
      setBusy(undefined);
    }
  }

  function close() {
    setBusy(undefined);
    setFailure(undefined);
    setNotes([]);
    onClose();
  }

  return (
    <Modal open={open} title="Start from an example" onClose={close}>
      <p className={ui.hint}>
        Each example becomes a new graph{teamName ? ` in ${teamName}` : ''} that you can change freely. The examples load bundled sample
        photos from files; here the photo is uploaded to your images instead, so the graph runs straight away.
      </p>
      <ul className={styles.examples}>
        {examples.map((example) => (
          <li key={example.key} className={styles.example}>
            <div>
              <strong>{example.name}</strong>
              <p className={ui.hint}>{example.description}</p>
              {example.inputs.length > 0 && (
                <p className={ui.hint}>
                  Asks for {example.inputs.map((i) => `${i.name} (${i.kind}${i.required ? '' : ', optional'})`).join(', ')} when run.
                </p>
              )}
            </div>
            <button
              type="button"
              className={ui.button}
              onClick={() => use(example)}
              disabled={busy !== undefined}
              aria-label={`Use the example ${example.name}`}
            >
              {busy === example.key ? 'Creating…' : 'Use'}
            </button>
          </li>
        ))}
      </ul>
      {notes.map((note) => (
        <p key={note} className={ui.notice}>
          {note}
        </p>
      ))}
      <FailureAlert failure={failure} />
      <div className={ui.actions}>
        <button type="button" className={ui.button} onClick={close}>
          Close
        </button>
      </div>
    </Modal>
  );
}
