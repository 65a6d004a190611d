'use client';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { trpc } from '../_lib/trpc';
import styles from './app-header.module.css';
import { errorMessage } from './errors';
import type { Me, Team } from './types';

/** The library URL for a team ('' = personal). */
export function libraryHref(teamId: string | null | undefined): string {
  return teamId ? `/graphs?team=${encodeURIComponent(teamId)}` : '/graphs';
}

/** Header of every signed-in page: where to go, which team, who is signed in. */
export function AppHeader({ user, teams }: { user: Me; teams: Team[] }) {
  const pathname = usePathname();
  const params = useSearchParams();
  const router = useRouter();
  const team = params.get('team') ?? '';
  const [signingOut, setSigningOut] = useState(false);
  const [failure, setFailure] = useState<string>();
  const onLibrary = pathname === '/graphs';

  function chooseTeam(next: string) {
    if (onLibrary) {
      const query = new URLSearchParams(params.toString());
      if (next) query.set('team', next);
      else query.delete('team');
      query.delete('tag');
      const text = query.toString();
      router.replace(text ? `/graphs?${text}` : '/graphs');
    } else {
      router.push(libraryHref(next));
    }
  }

  async function signOut() {
    setSigningOut(true);
    try {
      await trpc.auth.signOut.mutate();
      router.replace('/sign-in');
    } catch (error) {
      setFailure(errorMessage(error));
      setSigningOut(false);
    }
  }

  const current = (href: string) => (pathname === href || pathname.startsWith(`${href}/`) ? 'page' : undefined);
  return (
    <header className={styles.header}>
      <Link href={libraryHref(team)} className={styles.brand}>
        Pixelwire
      </Link>
      <nav aria-label="Main" className={styles.nav}>
        <Link href={libraryHref(team)} aria-current={current('/graphs')}>
          Graphs
        </Link>
        <Link href="/workers" aria-current={current('/workers')}>
          Workers
        </Link>
        <Link href="/settings" aria-current={current('/settings')}>
          Settings
        </Link>
      </nav>
      <div className={styles.team}>
        <label htmlFor="team-switcher">Team</label>
        <select id="team-switcher" value={teams.some((t) => t.id === team) ? team : ''} onChange={(e) => chooseTeam(e.target.value)}>
          <option value="">Personal</option>
          {teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </div>
      <div className={styles.user}>
        <InvitationBadge pathname={pathname} />
        <span className={styles.name} title={user.email}>
          {user.name}
        </span>
        <button type="button" className={styles.signOut} onClick={signOut} disabled={signingOut}>
          Sign out
        </button>
      </div>
      {failure && (
        <p role="alert" className={styles.failure}>
          {failure}
        </p>
      )}
    </header>
  );
}

/**
 * My pending team invitations as a count linking to Settings → Teams, where they are answered;
 * nothing when there are none. Read on every page change, when the window regains focus, and each minute.
 */
function InvitationBadge({ pathname }: { pathname: string }) {
  const [count, setCount] = useState(0);
  useEffect(() => {
    let live = true;
    const load = () =>
      trpc.teams.myInvitations
        .query()
        .then((list) => live && setCount(list.length))
        .catch(() => undefined);
    void load();
    const timer = setInterval(load, 60_000);
    window.addEventListener('focus', load);
    return () => {
      live = false;
      clearInterval(timer);
      window.removeEventListener('focus', load);
    };
  }, [pathname]);
  if (count === 0) return null;
  const label = `${count} pending team ${count === 1 ? 'invitation' : 'invitations'}`;
  return (
    <Link href="/settings#teams-heading" className={styles.invitations} aria-label={label} title={label} data-testid="invitation-badge">
      Invitations <span className={styles.badgeCount}>{count}</span>
    </Link>
  );
}
