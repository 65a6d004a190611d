'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useState } from 'react';
import { Modal } from '../../../_components/modal';
import styles from './run-save.module.css';
import { describeError, reloadLatest, saveAsCopy, useSaveStore } from './use-save';

/**
 * Shown when a save found a newer version on the server. Nothing was overwritten:
 * the user reloads the latest version (dropping local changes, after confirming)
 * or saves the local document as a copy of the graph.
 */
export function ConflictDialog({ graphId }: { graphId: string }) {
  const conflict = useSaveStore((s) => s.conflict);
  const clearConflict = useSaveStore((s) => s.clearConflict);
  const router = useRouter();
  const titleId = useId();
  const descId = useId();
  const [step, setStep] = useState<'choose' | 'confirm-reload'>('choose');
  const [working, setWorking] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    setStep('choose');
    setWorking(undefined);
    setError(undefined);
  }, [conflict]);

  const reload = async () => {
    setWorking('Loading the latest version…');
    setError(undefined);
    try {
      await reloadLatest(graphId);
    } catch (e) {
      setError(`Could not reload: ${describeError(e).message}`);
    } finally {
      setWorking(undefined);
    }
  };
  const copy = async () => {
    if (!conflict) return;
    setWorking('Saving your changes as a copy…');
    setError(undefined);
    try {
      const copyId = await saveAsCopy(graphId, conflict);
      router.push(`/graphs/${encodeURIComponent(copyId)}`);
    } catch (e) {
      setError(`Could not save a copy: ${describeError(e).message}`);
    } finally {
      setWorking(undefined);
    }
  };

  return (
    <Modal open={conflict !== undefined} onClose={clearConflict} labelledBy={titleId} describedBy={descId} testId="conflict-dialog">
      {conflict ? (
        <div>
          <h2 id={titleId}>Someone saved version {conflict.headVersion}</h2>
          <p id={descId}>
            While you were editing (from version {conflict.baseVersion}), someone else saved version {conflict.headVersion} of this graph. Your changes
            have not been saved, and nothing was overwritten.
          </p>
          {step === 'choose' ? (
            <p className="muted">Reload the latest version (your unsaved changes are discarded), or keep your changes by saving them as a copy of the graph.</p>
          ) : (
            <p role="alert">Reloading discards your unsaved changes on this canvas. This cannot be undone.</p>
          )}
          {working ? <p role="status">{working}</p> : null}
          {error ? (
            <p className={styles.error} role="alert">
              {error}
            </p>
          ) : null}
          <div className={styles.actions}>
            {step === 'choose' ? (
              <>
                <button type="button" className={styles.button} onClick={clearConflict} disabled={working !== undefined}>
                  Close
                </button>
                <button type="button" className={styles.button} onClick={() => void copy()} disabled={working !== undefined}>
                  Save as a copy
                </button>
                <button type="button" className={styles.primary} onClick={() => setStep('confirm-reload')} disabled={working !== undefined} autoFocus>
                  Reload latest
                </button>
              </>
            ) : (
              <>
                <button type="button" className={styles.button} onClick={() => setStep('choose')} disabled={working !== undefined}>
                  Back
                </button>
                <button type="button" className={styles.danger} onClick={() => void reload()} disabled={working !== undefined} autoFocus>
                  Discard my changes and reload
                </button>
              </>
            )}
          </div>
        </div>
      ) : null}
    </Modal>
  );
}
