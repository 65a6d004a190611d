'use client';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { createContext, Suspense, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { trpc } from '../_lib/trpc';
import { AppHeader } from './app-header';
import { errorMessage } from './errors';
import type { Me, Team } from './types';
import ui from './ui.module.css';

interface Session {
  user: Me;
  teams: Team[];
  /** Reloads the team list (after creating, leaving or changing a team). */
  refreshTeams(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** The signed-in user and their teams; only inside <SignedIn>. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() outside <SignedIn>');
  return session;
}

/**
 * A signed-in page: checks the session (auth.me), sends visitors without one to
 * /sign-in (and back afterwards), and puts the app header above the page.
 */
export function SignedIn({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  return (
    <Suspense fallback={<Loading />}>
      <Gate wide={wide}>{children}</Gate>
    </Suspense>
  );
}

function Gate({ children, wide }: { children: ReactNode; wide: boolean }) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const [user, setUser] = useState<Me | null | undefined>(undefined);
  const [teams, setTeams] = useState<Team[]>([]);
  const [failure, setFailure] = useState<string>();

  const refreshTeams = useCallback(async () => {
    setTeams(await trpc.teams.list.query());
  }, []);

  useEffect(() => {
    let live = true;
    Promise.all([trpc.auth.me.query(), trpc.teams.list.query().catch(() => [] as Team[])])
      .then(([me, list]) => {
        if (!live) return;
        if (!me) {
          const here = `${pathname}${search ? `?${search}` : ''}`;
          router.replace(`/sign-in?next=${encodeURIComponent(here)}`);
          return;
        }
        setUser(me);
        setTeams(list);
      })
      .catch((error) => live && setFailure(errorMessage(error)));
    return () => {
      live = false;
    };
    // The session is checked once per page load, not on every query-string change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  if (failure) {
    return (
      <main>
        <p role="alert" className={ui.error}>
          {failure}
        </p>
      </main>
    );
  }
  if (!user) return <Loading />;
  return (
    <SessionContext.Provider value={{ user, teams, refreshTeams }}>
      <a className={ui.skipLink} href="#content">
        Skip to content
      </a>
      <AppHeader user={user} teams={teams} />
      <main id="content" className={wide ? ui.wide : undefined} tabIndex={-1}>
        {children}
      </main>
    </SessionContext.Provider>
  );
}

function Loading() {
  return (
    <main aria-busy="true">
      <p className="muted" role="status">
        Loading…
      </p>
    </main>
  );
}
