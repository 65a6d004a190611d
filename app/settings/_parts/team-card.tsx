'use client';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { trpc } from '../../_lib/trpc';
import { errorMessage } from '../../_components/errors';
import { ConfirmModal } from '../../_components/modal';
import { useSession } from '../../_components/session';
import { roleNames, type RouterOutputs, type Role, type Team } from '../../_components/types';
import ui from '../../_components/ui.module.css';
import styles from './settings.module.css';
import { FailureAlert } from '../../_components/failure-alert';
import { InvitationLink, type IssuedInvitation } from './invitation-link';

type Members = RouterOutputs['teams']['members'];
type Member = Members['members'][number];
type PendingInvitation = Members['invitations'][number];

/** One team: its members and pending invitations; owners also invite, change roles and remove. */
export function TeamCard({ team, onTeamsChanged }: { team: Team; onTeamsChanged(): Promise<void> }) {
  const { user } = useSession();
  const owner = team.role === 'owner';
  const [data, setData] = useState<Members>();
  const [failure, setFailure] = useState<string>();
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState<Member>();
  const [removeFailure, setRemoveFailure] = useState<string>();
  const [issued, setIssued] = useState<IssuedInvitation>();

  const load = useCallback(async () => {
    try {
      setData(await trpc.teams.members.query({ teamId: team.id }));
    } catch (error) {
      setFailure(errorMessage(error));
    }
  }, [team.id]);
  useEffect(() => {
    void load();
  }, [load]);

  async function act(work: () => Promise<unknown>, done: string) {
    setBusy(true);
    setFailure(undefined);
    try {
      await work();
      setMessage(done);
      await load();
    } catch (error) {
      setFailure(errorMessage(error));
      setMessage('');
    } finally {
      setBusy(false);
    }
  }

  async function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const values = new FormData(form);
    const email = String(values.get('email') ?? '').trim();
    const role = String(values.get('role') ?? 'viewer') as Role;
    if (!email) {
      setFailure('Enter the email address of the person to invite.');
      return;
    }
    setIssued(undefined);
    await act(async () => {
      const { invitation, link } = await trpc.teams.invite.mutate({ teamId: team.id, email, role });
      form.reset();
      setIssued({ email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt, link });
    }, `Invited ${email} as ${role}. They join when they open the invitation link signed in with that address.`);
  }

  async function cancelInvitation(invitation: PendingInvitation) {
    if (issued?.email === invitation.email) setIssued(undefined);
    await act(() => trpc.teams.cancelInvitation.mutate({ teamId: team.id, invitationId: invitation.id }), `Cancelled the invitation to ${invitation.email}.`);
  }

  async function changeRole(member: Member, role: Role) {
    await act(() => trpc.teams.changeRole.mutate({ teamId: team.id, userId: member.id, role }), `${member.name} is now ${role}.`);
    if (member.id === user.id) await onTeamsChanged();
  }

  async function remove() {
    if (!removing) return;
    const leaving = removing.id === user.id;
    setBusy(true);
    setRemoveFailure(undefined);
    try {
      await trpc.teams.removeMember.mutate({ teamId: team.id, userId: removing.id });
      setRemoving(undefined);
      if (leaving) await onTeamsChanged();
      else {
        setMessage(`Removed ${removing.name}.`);
        await load();
      }
    } catch (error) {
      setRemoveFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  const headingId = `team-${team.id}-heading`;
  const leavingSelf = removing?.id === user.id;
  return (
    <article aria-labelledby={headingId} className={`${ui.card} ${styles.team}`}>
      <div className={styles.teamTop}>
        <h3 id={headingId}>{team.name}</h3>
        <span className="muted">Your role: {team.role}</span>
      </div>
      <FailureAlert failure={failure} />
      <p role="status" className={message ? ui.notice : ui.visuallyHidden}>
        {message}
      </p>
      {!data ? (
        !failure && <p className="muted">Loading members…</p>
      ) : (
        <table className={styles.members}>
          <caption className={ui.visuallyHidden}>Members of {team.name}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">
                <span className={ui.visuallyHidden}>Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.members.map((member) => (
              <tr key={member.id}>
                <td>
                  {member.name}
                  {member.id === user.id && <span className="muted"> (you)</span>}
                </td>
                <td className={styles.email}>{member.email}</td>
                <td>
                  {owner ? (
                    <select
                      className={ui.input}
                      aria-label={`Role of ${member.name}`}
                      value={member.role}
                      disabled={busy}
                      onChange={(e) => void changeRole(member, e.target.value as Role)}
                    >
                      {roleNames.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  ) : (
                    member.role
                  )}
                </td>
                <td>
                  {(owner || member.id === user.id) && (
                    <button type="button" className={`${ui.danger} ${ui.small}`} onClick={() => setRemoving(member)} disabled={busy}>
                      {member.id === user.id ? 'Leave team' : <>Remove<span className={ui.visuallyHidden}> {member.name}</span></>}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.invitations.length > 0 && (
        <>
          <h4 className={styles.subheading}>Pending invitations</h4>
          <ul className={styles.pending} aria-label={`Pending invitations to ${team.name}`}>
            {data.invitations.map((i) => (
              <li key={i.id}>
                {i.email} <span className="muted">as {i.role}</span>
                {owner && (
                  <>
                    {' '}
                    <button
                      type="button"
                      className={`${ui.button} ${ui.small}`}
                      aria-label={`Cancel the invitation to ${i.email}`}
                      disabled={busy}
                      onClick={() => void cancelInvitation(i)}
                    >
                      Cancel
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {owner && issued && <InvitationLink key={issued.link} issued={issued} teamId={team.id} onDone={() => setIssued(undefined)} />}
      {owner && (
        <form onSubmit={invite} className={styles.inlineForm} noValidate aria-label={`Invite to ${team.name}`}>
          <div className={ui.field}>
            <label htmlFor={`invite-email-${team.id}`}>Email</label>
            <input id={`invite-email-${team.id}`} name="email" type="email" className={ui.input} autoComplete="off" maxLength={254} />
          </div>
          <div className={ui.field}>
            <label htmlFor={`invite-role-${team.id}`}>Role</label>
            <select id={`invite-role-${team.id}`} name="role" className={ui.input} defaultValue="editor">
              {roleNames.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className={ui.primary} disabled={busy}>
            Invite
          </button>
        </form>
      )}
      <ConfirmModal
        open={!!removing}
        title={leavingSelf ? `Leave ${team.name}?` : `Remove ${removing?.name ?? ''} from ${team.name}?`}
        message={<p>{leavingSelf ? 'You lose access to the team’s graphs until an owner invites you again.' : 'They lose access to the team’s graphs and runs.'}</p>}
        confirmLabel={leavingSelf ? 'Leave team' : 'Remove member'}
        busy={busy}
        failure={removeFailure}
        onConfirm={remove}
        onClose={() => {
          setRemoving(undefined);
          setRemoveFailure(undefined);
        }}
      />
    </article>
  );
}
