'use client';
import { useState, type FormEvent } from 'react';
import { trpc } from '../../_lib/trpc';
import { errorMessage } from '../../_components/errors';
import { useSession } from '../../_components/session';
import ui from '../../_components/ui.module.css';
import styles from './settings.module.css';
import { InvitationsSection } from './invitations-section';
import { TeamCard } from './team-card';
import { FailureAlert } from '../../_components/failure-alert';

/** Teams: invitations for you, create one, and each team's members (managed by its owners). */
export function TeamsSection() {
  const { teams, refreshTeams } = useSession();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [announcement, setAnnouncement] = useState('');

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get('name') ?? '').trim();
    if (!name) {
      setFailure('Give the team a name.');
      return;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      await trpc.teams.create.mutate({ name });
      form.reset();
      await refreshTeams();
      setAnnouncement(`Team ${name} created; you are its owner.`);
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="teams-heading" className={styles.section}>
      <h2 id="teams-heading">Teams</h2>
      <p className="muted">Team graphs are shared with every member. Viewers see graphs and runs, runners also run them, editors change them, owners manage members.</p>
      <InvitationsSection />
      <form onSubmit={create} className={styles.inlineForm} noValidate>
        <div className={ui.field}>
          <label htmlFor="team-name">Team name</label>
          <input id="team-name" name="name" className={ui.input} maxLength={100} autoComplete="off" />
        </div>
        <button type="submit" className={ui.primary} disabled={busy}>
          Create team
        </button>
      </form>
      <FailureAlert failure={failure} />
      <p role="status" className={ui.visuallyHidden}>
        {announcement}
      </p>
      {teams.length === 0 ? (
        <p className="muted">You are not in any team yet.</p>
      ) : (
        teams.map((team) => <TeamCard key={team.id} team={team} onTeamsChanged={refreshTeams} />)
      )}
    </section>
  );
}
