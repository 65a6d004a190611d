'use client';
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { errorMessage } from '../../../_components/errors';
import { Modal } from '../../../_components/modal';
import { trpc } from '../../../_lib/trpc';
import { useAccessStore } from './access-store';
import styles from './run-save.module.css';
import { ShareLinkList } from './share-link-list';
import { expiryChoices, shareReason, shareUrl, type ShareLink } from './share-links';
import sharing from './sharing.module.css';

/** The toolbar's Share button and its dialog; disabled, with the reason, for viewers and runners. */
export function ShareButton({ graphId }: { graphId: string }) {
  const role = useAccessStore((s) => s.access.role);
  const [open, setOpen] = useState(false);
  const reason = shareReason(role);
  return (
    <>
      <button type="button" className={styles.button} aria-haspopup="dialog" disabled={reason !== undefined} title={reason ?? 'Share a view or run link to this graph'} onClick={() => setOpen(true)}>
        Share…
      </button>
      <ShareDialog graphId={graphId} open={open} onClose={() => setOpen(false)} />
    </>
  );
}

/** Create a view or run link (optionally expiring), see its URL once with Copy, and the graph's links with Revoke. */
function ShareDialog({ graphId, open, onClose }: { graphId: string; open: boolean; onClose(): void }) {
  const titleId = useId();
  const idBase = useId();
  const [links, setLinks] = useState<ShareLink[]>();
  const [kind, setKind] = useState<'view' | 'run'>('view');
  const [days, setDays] = useState('');
  const [created, setCreated] = useState<{ url: string; kind: string }>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [copied, setCopied] = useState('');
  const urlRef = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    try {
      setLinks(await trpc.shares.list.query({ graphId }));
    } catch (error) {
      setFailure(`Could not list the links: ${errorMessage(error)}`);
    }
  }, [graphId]);
  useEffect(() => {
    if (!open) return;
    setCreated(undefined);
    setCopied('');
    setFailure(undefined);
    void load();
  }, [open, load]);

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFailure(undefined);
    setCopied('');
    try {
      const expiresInDays = days ? Number(days) : undefined;
      const result = await trpc.shares.create.mutate({ graphId, kind, ...(expiresInDays ? { expiresInDays } : {}) });
      setCreated({ url: shareUrl(result.path), kind });
      await load();
      requestAnimationFrame(() => urlRef.current?.select());
    } catch (error) {
      setFailure(`Could not create the link: ${errorMessage(error)}`);
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.url);
      setCopied('Copied to the clipboard.');
    } catch {
      urlRef.current?.select();
      setCopied('Selected: press Ctrl+C to copy.');
    }
  }

  return (
    <Modal open={open} onClose={onClose} labelledBy={titleId} testId="share-dialog" className={sharing.wideDialog}>
      <h2 id={titleId}>Share this graph</h2>
      <form onSubmit={create}>
        <fieldset className={sharing.fieldset}>
          <legend>New link</legend>
          <label className={sharing.choice}>
            <input type="radio" name={`${idBase}-kind`} value="view" checked={kind === 'view'} onChange={() => setKind('view')} />
            <span>
              <strong>View</strong> <span className={sharing.muted}>— anyone with the link sees the graph and its latest outputs, read-only; no account needed</span>
            </span>
          </label>
          <label className={sharing.choice}>
            <input type="radio" name={`${idBase}-kind`} value="run" checked={kind === 'run'} onChange={() => setKind('run')} />
            <span>
              <strong>Run</strong> <span className={sharing.muted}>— signed-in people fill in the graph&apos;s inputs and run it as an app (counted, limited per hour)</span>
            </span>
          </label>
          <div className={sharing.row}>
            <label htmlFor={`${idBase}-expiry`}>Expires</label>
            <select id={`${idBase}-expiry`} className={styles.select} value={days} onChange={(e) => setDays(e.target.value)}>
              {expiryChoices.map((c) => (
                <option key={c.label} value={c.days ?? ''}>
                  {c.label}
                </option>
              ))}
            </select>
            <button type="submit" className={styles.primary} disabled={busy}>
              Create link
            </button>
          </div>
        </fieldset>
      </form>
      {created ? (
        <div className={sharing.created} data-testid="share-created">
          <label htmlFor={`${idBase}-url`}>
            <strong>New {created.kind} link</strong> — copy it now: it is shown only once.
          </label>
          <div className={sharing.row}>
            <input ref={urlRef} id={`${idBase}-url`} className={`${styles.input} ${sharing.grow}`} readOnly value={created.url} onFocus={(e) => e.target.select()} />
            <button type="button" className={styles.button} onClick={() => void copy()}>
              Copy
            </button>
          </div>
          <p role="status" className={sharing.muted}>
            {copied}
          </p>
        </div>
      ) : null}
      {failure ? (
        <p role="alert" className={sharing.problem}>
          {failure}
        </p>
      ) : null}
      <h3>Links to this graph</h3>
      <ShareLinkList links={links} onRevoked={load} onFailure={setFailure} />
      <div className={styles.actions}>
        <button type="button" className={styles.button} onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
