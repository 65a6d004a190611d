'use client';
import { useEffect, useRef, useState } from 'react';
import { fullTime, isoTime, timeAgo, type DateLike } from '../../_components/format';
import ui from '../../_components/ui.module.css';
import styles from './settings.module.css';

/** An invitation just made: who it is for, and the link as `teams.invite` answered it (a path). */
export interface IssuedInvitation {
  email: string;
  role: string;
  expiresAt: DateLike;
  link: string;
}

/**
 * The invitation link, shown once after inviting, with Copy: Pixelwire sends no email, so the owner passes it on.
 * The link works only for someone signed in with the invited address; inviting again makes a new one.
 */
export function InvitationLink({ issued, teamId, onDone }: { issued: IssuedInvitation; teamId: string; onDone(): void }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState('');
  const url = `${typeof location === 'undefined' ? '' : location.origin}${issued.link}`;
  const id = `invitation-link-${teamId}`;

  // Selected at once, ready for Ctrl+C (the parent keys this by link, so each new link starts over).
  useEffect(() => {
    requestAnimationFrame(() => inputRef.current?.select());
  }, []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('Copied to the clipboard.');
    } catch {
      // No clipboard permission (or not a secure context): select the text so Ctrl+C works.
      inputRef.current?.select();
      setCopied('Selected: press Ctrl+C to copy.');
    }
  }

  return (
    <div className={ui.notice} role="group" aria-labelledby={`${id}-title`} data-testid="invitation-link">
      <p id={`${id}-title`} className={styles.noticeTitle}>
        Send this invitation link to {issued.email} ({issued.role})
      </p>
      <p>
        Pixelwire sends no email. The link works only for someone signed in as {issued.email}, and expires{' '}
        <time dateTime={isoTime(issued.expiresAt)} title={fullTime(issued.expiresAt)}>
          {timeAgo(issued.expiresAt)}
        </time>
        . Copy it now: it is shown only once (inviting the address again makes a new link, and this one stops working).
      </p>
      <div className={ui.row}>
        <label htmlFor={id} className={ui.visuallyHidden}>
          Invitation link for {issued.email}
        </label>
        <input id={id} ref={inputRef} className={`${ui.input} ${styles.secret}`} readOnly value={url} onFocus={(e) => e.target.select()} />
        <button type="button" className={ui.button} onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" className={ui.button} onClick={onDone}>
          Done
        </button>
      </div>
      <p role="status" className={copied ? ui.hint : ui.visuallyHidden}>
        {copied}
      </p>
    </div>
  );
}
