'use client';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { errorCode, errorMessage } from '../../../_components/errors';
import { FailureAlert } from '../../../_components/failure-alert';
import { fullTime, isoTime, timeAgo } from '../../../_components/format';
import type { Me, Role, RouterOutputs } from '../../../_components/types';
import ui from '../../../_components/ui.module.css';
import { trpc } from '../../../_lib/trpc';
import styles from './invitation.module.css';

type Invitation = RouterOutputs['teams']['invitation'];

type State =
  | { status: 'loading' }
  | { status: 'sign-in' }
  | { status: 'gone' }
  | { status: 'failed'; message: string }
  | { status: 'open'; invitation: Invitation }
  | { status: 'joined'; team: { id: string; name: string }; role: Role }
  | { status: 'declined'; team: string };

/** What each role may do in the team, as Settings → Teams says it. */
const roleMeans: Record<Role, string> = {
  viewer: 'see the team’s graphs and runs',
  runner: 'see the team’s graphs and runs, and run them',
  editor: 'see, run and change the team’s graphs',
  owner: 'see, run and change the team’s graphs, and manage its members',
};

/**
 * An invitation link. Signed out: a prompt to sign in or create an account, which comes back here. Signed in with
 * the invited address: the team, the role, Accept and Decline. Anything else (another address, an unknown, expired
 * or cancelled invitation) is one message, as the server answers it.
 */
export function InvitationPage() {
  const params = useParams<{ token: string }>();
  const token = typeof params?.token === 'string' ? decodeURIComponent(params.token) : '';
  const [state, setState] = useState<State>({ status: 'loading' });
  const [me, setMe] = useState<Me | null>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    let live = true;
    trpc.auth.me
      .query()
      .then((user) => live && setMe(user))
      .catch(() => live && setMe(null));
    trpc.teams.invitation
      .query({ token })
      .then((invitation) => {
        if (!live) return;
        setState(invitation.joined ? { status: 'joined', team: invitation.team, role: invitation.role } : { status: 'open', invitation });
        document.title = `Join ${invitation.team.name} · Pixelwire`;
      })
      .catch((error: unknown) => {
        if (!live) return;
        const code = errorCode(error);
        if (code === 'UNAUTHORIZED') setState({ status: 'sign-in' });
        else if (code === 'NOT_FOUND' || code === 'BAD_REQUEST') setState({ status: 'gone' });
        else setState({ status: 'failed', message: errorMessage(error) });
      });
    return () => {
      live = false;
    };
  }, [token]);

  async function answer(invitation: Invitation, accept: boolean) {
    setBusy(true);
    setFailure(undefined);
    try {
      if (accept) {
        const { team, role } = await trpc.teams.acceptInvitation.mutate({ token });
        setState({ status: 'joined', team, role });
      } else {
        await trpc.teams.declineInvitation.mutate({ invitationId: invitation.id });
        setState({ status: 'declined', team: invitation.team.name });
      }
    } catch (error) {
      if (errorCode(error) === 'NOT_FOUND') setState({ status: 'gone' });
      else setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  const here = `/invitations/${encodeURIComponent(token)}`;
  return (
    <>
      <header className={styles.header}>
        <Link href="/" className={styles.brand}>
          Pixelwire
        </Link>
        <span className="muted">Team invitation</span>
        <span className={styles.headerEnd}>
          {me ? (
            <span className="muted" title={me.email}>
              Signed in as {me.name}
            </span>
          ) : null}
        </span>
      </header>
      <main id="content">
        <div className={`${ui.card} ${styles.card}`} data-testid="invitation" data-state={state.status}>
          {state.status === 'loading' && (
            <p className="muted" role="status">
              Opening the invitation…
            </p>
          )}
          {state.status === 'sign-in' && (
            <>
              <h1>You have been invited to a team</h1>
              <p>Sign in, or create an account, with the email address the invitation was sent to. You come straight back here to accept it.</p>
              <p className={ui.row}>
                <Link href={`/sign-in?next=${encodeURIComponent(here)}`} className={ui.primary}>
                  Sign in
                </Link>
                <Link href={`/sign-up?next=${encodeURIComponent(here)}`} className={ui.button}>
                  Create an account
                </Link>
              </p>
            </>
          )}
          {state.status === 'gone' && (
            <>
              <h1>Invitation not available</h1>
              <p role="alert">This invitation does not exist, has expired or was cancelled, or it is not for your address.</p>
              <p className="muted">
                {me ? `You are signed in as ${me.email}. ` : ''}An invitation works only for the address it was sent to; if that is another account, sign
                in with it. Otherwise ask the team’s owner for a new link.
              </p>
              <p>
                <Link href="/graphs">Go to your graphs</Link>
              </p>
            </>
          )}
          {state.status === 'failed' && <FailureAlert failure={`Could not open the invitation: ${state.message}`} />}
          {state.status === 'open' && (
            <>
              <h1>Join {state.invitation.team.name}</h1>
              <p>
                {state.invitation.invitedBy ? `${state.invitation.invitedBy.name} (${state.invitation.invitedBy.email})` : 'A team owner'} invited you to
                the team <strong>{state.invitation.team.name}</strong> as <strong>{state.invitation.role}</strong>: you may{' '}
                {roleMeans[state.invitation.role]}.
              </p>
              <p className="muted">
                The invitation expires{' '}
                <time dateTime={isoTime(state.invitation.expiresAt)} title={fullTime(state.invitation.expiresAt)}>
                  {timeAgo(state.invitation.expiresAt)}
                </time>
                .
              </p>
              <FailureAlert failure={failure} />
              <p className={ui.row}>
                <button type="button" className={ui.primary} disabled={busy} aria-busy={busy} onClick={() => void answer(state.invitation, true)}>
                  Accept
                </button>
                <button type="button" className={ui.button} disabled={busy} onClick={() => void answer(state.invitation, false)}>
                  Decline
                </button>
              </p>
            </>
          )}
          {state.status === 'joined' && (
            <>
              <h1>Welcome to {state.team.name}</h1>
              <p role="status">
                You are a member of {state.team.name} as {state.role}.
              </p>
              <p>
                <Link href={`/graphs?team=${encodeURIComponent(state.team.id)}`} className={ui.primary}>
                  Open {state.team.name}’s graphs
                </Link>
              </p>
            </>
          )}
          {state.status === 'declined' && (
            <>
              <h1>Invitation declined</h1>
              <p role="status">You declined the invitation to {state.team}.</p>
              <p>
                <Link href="/graphs">Go to your graphs</Link>
              </p>
            </>
          )}
        </div>
      </main>
    </>
  );
}
