'use client';
import { useState } from 'react';
import { errorMessage } from '../../../_components/errors';
import { fullTime, isoTime, timeAgo } from '../../../_components/format';
import { trpc } from '../../../_lib/trpc';
import styles from './run-save.module.css';
import { linkState, type ShareLink } from './share-links';
import sharing from './sharing.module.css';

/** The graph's share links, newest first: kind, when made and by whom, expiry, uses, state, and Revoke. */
export function ShareLinkList({ links, onRevoked, onFailure }: { links: ShareLink[] | undefined; onRevoked(): Promise<void>; onFailure(message: string): void }) {
  const [busy, setBusy] = useState<string>();
  if (links === undefined) return <p className={sharing.muted}>Loading…</p>;
  if (links.length === 0) return <p className={sharing.muted}>No links yet.</p>;

  async function revoke(link: ShareLink) {
    setBusy(link.id);
    try {
      await trpc.shares.revoke.mutate({ id: link.id });
      await onRevoked();
    } catch (error) {
      onFailure(`Could not revoke the link: ${errorMessage(error)}`);
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <table className={sharing.table} aria-label="Share links">
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">Created</th>
          <th scope="col">Expires</th>
          <th scope="col">Uses</th>
          <th scope="col">State</th>
          <th scope="col">
            <span className={sharing.muted}>Action</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {links.map((link) => {
          const state = linkState(link);
          const created = new Date(link.createdAt);
          return (
            <tr key={link.id} data-link-state={state} data-link-kind={link.kind}>
              <td>{link.kind}</td>
              <td>
                <time dateTime={isoTime(created)} title={fullTime(created)}>
                  {timeAgo(created)}
                </time>
                {link.createdBy ? <span className={sharing.muted}> by {link.createdBy.name}</span> : null}
              </td>
              <td>{link.expiresAt ? <time dateTime={isoTime(link.expiresAt)}>{fullTime(link.expiresAt)}</time> : 'never'}</td>
              <td>{link.uses}</td>
              <td>{state}</td>
              <td>
                {state === 'active' ? (
                  <button
                    type="button"
                    className={styles.danger}
                    disabled={busy !== undefined}
                    aria-label={`Revoke the ${link.kind} link created ${fullTime(created)}`}
                    onClick={() => void revoke(link)}
                  >
                    Revoke
                  </button>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
