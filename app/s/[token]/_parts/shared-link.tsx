'use client';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { errorCode, errorMessage } from '../../../_components/errors';
import { FailureAlert } from '../../../_components/failure-alert';
import type { RouterOutputs } from '../../../_components/types';
import ui from '../../../_components/ui.module.css';
import { trpc } from '../../../_lib/trpc';
import { RunLink } from './run-link';
import styles from './share.module.css';
import { ViewLink } from './view-link';

export type OpenedShare = RouterOutputs['shares']['open'];
export type OpenedView = Extract<OpenedShare, { document: unknown }>;
export type OpenedRun = Extract<OpenedShare, { inputs: unknown }>;

type State =
  | { status: 'loading' }
  | { status: 'ready'; share: OpenedShare }
  | { status: 'gone' }
  | { status: 'sign-in' }
  | { status: 'failed'; message: string };

/** What a link shows by its state: the view, the app, a sign-in prompt, or why there is nothing. */
export function SharedLink() {
  const params = useParams<{ token: string }>();
  const token = typeof params?.token === 'string' ? decodeURIComponent(params.token) : '';
  const [state, setState] = useState<State>({ status: 'loading' });
  const [signedIn, setSignedIn] = useState<boolean>();

  useEffect(() => {
    let live = true;
    trpc.auth.me
      .query()
      .then((me) => live && setSignedIn(!!me))
      .catch(() => live && setSignedIn(false));
    trpc.shares.open
      .query({ token })
      .then((share) => {
        if (!live) return;
        setState({ status: 'ready', share });
        document.title = `${share.name} · Pixelwire`;
      })
      .catch((error: unknown) => {
        if (!live) return;
        const code = errorCode(error);
        // A malformed token is refused by the input check (BAD_REQUEST): to the visitor it is just a link that does not exist.
        if (code === 'NOT_FOUND' || code === 'BAD_REQUEST') setState({ status: 'gone' });
        else if (code === 'UNAUTHORIZED') setState({ status: 'sign-in' });
        else setState({ status: 'failed', message: errorMessage(error) });
      });
    return () => {
      live = false;
    };
  }, [token]);

  const here = `/s/${encodeURIComponent(token)}`;
  return (
    <>
      <header className={styles.header}>
        <Link href="/" className={styles.brand}>
          Pixelwire
        </Link>
        <span className="muted">Shared graph</span>
        <span className={styles.headerEnd}>
          {signedIn === false && state.status !== 'sign-in' ? <Link href={`/sign-in?next=${encodeURIComponent(here)}`}>Sign in</Link> : null}
          {signedIn ? <Link href="/graphs">Your graphs</Link> : null}
        </span>
      </header>
      <main id="content" className={ui.wide}>
        {state.status === 'loading' && (
          <p className="muted" role="status">
            Opening the link…
          </p>
        )}
        {state.status === 'gone' && (
          <div className={ui.card} data-testid="share-gone">
            <h1>Link not available</h1>
            <p role="alert">This link does not exist, was revoked or has expired.</p>
            <p className="muted">Ask whoever shared it for a new link.</p>
          </div>
        )}
        {state.status === 'sign-in' && (
          <div className={ui.card} data-testid="share-sign-in">
            <h1>Sign in to run this graph</h1>
            <p>This link runs a graph for you, so it needs an account. Sign in or create one, and you come straight back here.</p>
            <p className={ui.row}>
              <Link href={`/sign-in?next=${encodeURIComponent(here)}`} className={ui.primary}>
                Sign in
              </Link>
              <Link href={`/sign-up?next=${encodeURIComponent(here)}`} className={ui.button}>
                Create an account
              </Link>
            </p>
          </div>
        )}
        {state.status === 'failed' && <FailureAlert failure={`Could not open the link: ${state.message}`} />}
        {state.status === 'ready' && ('document' in state.share ? <ViewLink token={token} share={state.share} /> : <RunLink token={token} share={state.share} />)}
      </main>
    </>
  );
}
