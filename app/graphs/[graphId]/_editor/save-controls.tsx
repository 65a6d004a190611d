'use client';
import { useEffect, useId, useRef, useState } from 'react';
import { useAccessStore } from './access-store';
import { useGraphStore } from './graph-store';
import { Modal } from '../../../_components/modal';
import styles from './run-save.module.css';
import { saveCurrent, useBaseVersion, useSaveStore } from './use-save';

/** The Save button, the unsaved-changes indicator and the save dialog (optional message). */
export function SaveControls({ graphId }: { graphId: string }) {
  const dirty = useGraphStore((s) => s.dirty);
  // Re-render when the base version changes, whichever store holds it.
  const baseVersion = useBaseVersion();
  const { dialogOpen, saving, error, viewing, openDialog } = useSaveStore();
  const { canSave, saveReason } = useAccessStore((s) => s.access);
  const viewingOld = viewing && viewing.number !== baseVersion ? viewing.number : undefined;
  return (
    <div className={styles.group}>
      <button
        type="button"
        className={styles.button}
        onClick={openDialog}
        disabled={saving || !canSave}
        aria-haspopup="dialog"
        aria-keyshortcuts="Control+S Meta+S"
        aria-describedby={canSave ? undefined : 'pw-save-reason'}
        title={canSave ? 'Save a new version (Ctrl+S / ⌘+S)' : saveReason}
      >
        Save
      </button>
      {!canSave && saveReason ? (
        <span id="pw-save-reason" className={styles.saved} data-testid="save-disabled-reason">
          {saveReason}
        </span>
      ) : null}
      {dirty ? (
        <span className={styles.unsaved} data-testid="unsaved">
          <span className={styles.dot} aria-hidden="true" />
          Unsaved changes
        </span>
      ) : baseVersion !== undefined ? (
        <span className={styles.saved} data-testid="saved-version">
          Version {baseVersion}
        </span>
      ) : null}
      {viewingOld !== undefined ? <span className={styles.saved}>(showing version {viewingOld}; save to make it the latest)</span> : null}
      {saving && !dialogOpen ? <span className={styles.saved}>Saving…</span> : null}
      {error && !dialogOpen ? (
        <span className={styles.error} role="alert">
          {error}
        </span>
      ) : null}
      <SaveDialog graphId={graphId} open={dialogOpen} />
    </div>
  );
}

function SaveDialog({ graphId, open }: { graphId: string; open: boolean }) {
  const titleId = useId();
  const descId = useId();
  const [message, setMessage] = useState('');
  const { saving, error, closeDialog } = useSaveStore();
  const baseVersion = useBaseVersion();
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (open) {
      setMessage('');
      inputRef.current?.focus();
    }
  }, [open]);
  return (
    <Modal open={open} onClose={closeDialog} labelledBy={titleId} describedBy={descId} testId="save-dialog">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void saveCurrent(graphId, message.trim());
        }}
      >
        <h2 id={titleId}>Save version</h2>
        <p id={descId} className="muted">
          {baseVersion !== undefined ? `Saves version ${baseVersion + 1} of this graph.` : 'Saves a new version of this graph.'} Earlier versions stay in the history.
        </p>
        <div className={styles.field}>
          <input
            ref={inputRef}
            className={styles.input}
            aria-label="Version message"
            placeholder="What changed? (optional)"
            maxLength={1000}
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            autoFocus
          />
        </div>
        {error ? (
          <p className={styles.error} role="alert">
            {error}
          </p>
        ) : null}
        <div className={styles.actions}>
          <button type="button" className={styles.button} onClick={closeDialog}>
            Close
          </button>
          <button type="submit" className={styles.primary} disabled={saving}>
            Save version
          </button>
        </div>
      </form>
    </Modal>
  );
}
