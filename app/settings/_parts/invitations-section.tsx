'use client';
import { useCallback, useEffect, useState } from 'react';
import { trpc } from '../../_lib/trpc';
import { errorMessage } from '../../_components/errors';
import { fullTime, isoTime, timeAgo } from '../../_components/format';
import type { RouterOutputs } from '../../_components/types';
import ui from '../../_components/ui.module.css';
import styles from './settings.module.css';
import { FailureAlert } from '../../_components/failure-alert';

type Invitation = RouterOutputs['teams']['myInvitations'][number];

/**
 * "Invitations for you": teams that invited the signed-in user's address. Accepting takes the invitation link the
 * team's owner sent (an address is not proof enough: it is not verified), so this only points there; Decline works
 * here. Hidden when there are none.
 */
export function InvitationsSection() {
  const [invitations, setInvitations] = useState<Invitation[]>();
  const [failure, setFailure] = useState<string>();
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState<string>();

  const load = useCallback(async () => {
    try {
      setInvitations(await trpc.teams.myInvitations.query());
    } catch (error) {
      setFailure(errorMessage(error));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function decline(invitation: Invitation) {
    setBusy(invitation.id);
    setFailure(undefined);
    try {
      await trpc.teams.declineInvitation.mutate({ invitationId: invitation.id });
      setMessage(`Declined the invitation to ${invitation.team.name}.`);
    } catch (error) {
      setFailure(errorMessage(error));
      setMessage('');
    } finally {
      setBusy(undefined);
      await load();
    }
  }

  const status = (
    <p role="status" className={message ? ui.notice : ui.visuallyHidden}>
      {message}
    </p>
  );
  if (!failure && !invitations?.length) return status;
  return (
    <section aria-labelledby="invitations-heading" className={`${ui.card} ${styles.team}`}>
      <div className={styles.teamTop}>
        <h3 id="invitations-heading">Invitations for you</h3>
      </div>
      <FailureAlert failure={failure} />
      {status}
      {invitations && invitations.length > 0 && (
        <>
          <p className="muted" id="invitations-how">
            To accept, open the invitation link the team’s owner sent you, signed in with this address. No link? Ask them for one.
          </p>
          <ul className={styles.list} aria-label="Team invitations for you" aria-describedby="invitations-how">
            {invitations.map((invitation) => (
              <li key={invitation.id} className={styles.item}>
                <div>
                  <strong>{invitation.team.name}</strong> <span className="muted">as {invitation.role}</span>
                  <div className="muted">
                    Invited by {invitation.invitedBy ? `${invitation.invitedBy.name} (${invitation.invitedBy.email})` : 'an account since deleted'}
                    {' · '}
                    expires <time dateTime={isoTime(invitation.expiresAt)} title={fullTime(invitation.expiresAt)}>{timeAgo(invitation.expiresAt)}</time>
                  </div>
                </div>
                <button
                  type="button"
                  className={`${ui.button} ${ui.small}`}
                  aria-label={`Decline the invitation to ${invitation.team.name}`}
                  disabled={!!busy}
                  onClick={() => void decline(invitation)}
                >
                  Decline
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
