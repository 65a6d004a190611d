'use client';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { trpc } from '../../_lib/trpc';
import { errorMessage } from '../../_components/errors';
import { fullTime, isoTime, timeAgo } from '../../_components/format';
import { ConfirmModal } from '../../_components/modal';
import type { ApiToken } from '../../_components/types';
import ui from '../../_components/ui.module.css';
import styles from './settings.module.css';
import { FailureAlert } from '../../_components/failure-alert';

/** API tokens: list, create (the secret is shown once, with a copy button), revoke. */
export function TokensSection() {
  const [tokens, setTokens] = useState<ApiToken[]>();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ name: string; token: string }>();
  const [copied, setCopied] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken>();
  const [revokeFailure, setRevokeFailure] = useState<string>();
  const secretRef = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    try {
      setTokens(await trpc.tokens.list.query());
    } catch (error) {
      setFailure(errorMessage(error));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get('name') ?? '').trim();
    if (!name) {
      setFailure('Give the token a name, such as the script that will use it.');
      return;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      const token = await trpc.tokens.create.mutate({ name });
      setCreated({ name: token.name, token: token.token });
      setCopied(false);
      form.reset();
      await load();
      requestAnimationFrame(() => secretRef.current?.select());
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.token);
    } catch {
      // No clipboard permission (or not a secure context): select the text so Ctrl+C works.
      secretRef.current?.select();
      document.execCommand?.('copy');
    }
    setCopied(true);
  }

  async function revoke() {
    if (!revoking) return;
    setBusy(true);
    setRevokeFailure(undefined);
    try {
      await trpc.tokens.revoke.mutate({ id: revoking.id });
      setRevoking(undefined);
      await load();
    } catch (error) {
      setRevokeFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="tokens-heading" className={styles.section}>
      <h2 id="tokens-heading">API tokens</h2>
      <p className="muted">
        Scripts and the <code>pixelwire</code> command line send a token as <code>Authorization: Bearer …</code>. A token acts as you.
      </p>
      <form onSubmit={create} className={styles.inlineForm} noValidate>
        <div className={ui.field}>
          <label htmlFor="token-name">Token name</label>
          <input id="token-name" name="name" className={ui.input} maxLength={100} placeholder="e.g. nightly batch" autoComplete="off" />
        </div>
        <button type="submit" className={ui.primary} disabled={busy}>
          Create token
        </button>
      </form>
      <FailureAlert failure={failure} />
      {created && (
        <div className={ui.notice} role="status">
          <p className={styles.noticeTitle}>
            Token “{created.name}” created. Copy it now: it is not shown again.
          </p>
          <div className={ui.row}>
            <label htmlFor="token-secret" className={ui.visuallyHidden}>
              New token secret
            </label>
            <input id="token-secret" ref={secretRef} className={`${ui.input} ${styles.secret}`} readOnly value={created.token} onFocus={(e) => e.target.select()} />
            <button type="button" className={ui.button} onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </button>
            <button type="button" className={ui.button} onClick={() => setCreated(undefined)}>
              Done
            </button>
          </div>
        </div>
      )}
      {tokens === undefined ? (
        !failure && <p className="muted">Loading tokens…</p>
      ) : tokens.length === 0 ? (
        <p className="muted">No tokens yet.</p>
      ) : (
        <ul className={styles.list} aria-label="Your API tokens">
          {tokens.map((token) => (
            <li key={token.id} className={styles.item}>
              <div>
                <strong>{token.name}</strong> <code className="muted">{token.prefix}…</code>
                <div className="muted">
                  Created <time dateTime={isoTime(token.createdAt)} title={fullTime(token.createdAt)}>{timeAgo(token.createdAt)}</time>
                  {' · '}
                  {token.lastUsedAt ? (
                    <>
                      last used <time dateTime={isoTime(token.lastUsedAt)} title={fullTime(token.lastUsedAt)}>{timeAgo(token.lastUsedAt)}</time>
                    </>
                  ) : (
                    'never used'
                  )}
                </div>
              </div>
              <button type="button" className={`${ui.danger} ${ui.small}`} aria-label={`Revoke ${token.name}`} onClick={() => setRevoking(token)}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
      <ConfirmModal
        open={!!revoking}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        message={<p>Scripts using this token stop working at once.</p>}
        confirmLabel="Revoke token"
        busy={busy}
        failure={revokeFailure}
        onConfirm={revoke}
        onClose={() => {
          setRevoking(undefined);
          setRevokeFailure(undefined);
        }}
      />
    </section>
  );
}
