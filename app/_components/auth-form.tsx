'use client';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useEffect, useState, type FormEvent } from 'react';
import { safeNext } from '../_lib/safe-next';
import { trpc } from '../_lib/trpc';
import styles from './auth-form.module.css';
import { errorMessage } from './errors';
import ui from './ui.module.css';
import { FailureAlert } from './failure-alert';

type Mode = 'sign-in' | 'sign-up';

/** The sign-in and sign-up pages: one form, with a name field when signing up. */
export function AuthPage({ mode }: { mode: Mode }) {
  return (
    <Suspense fallback={null}>
      <AuthForm mode={mode} />
    </Suspense>
  );
}

function AuthForm({ mode }: { mode: Mode }) {
  const router = useRouter();
  const next = safeNext(useSearchParams().get('next'));
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const signUp = mode === 'sign-up';
  const title = signUp ? 'Create your account' : 'Sign in to Pixelwire';
  const action = signUp ? 'Sign up' : 'Sign in';

  // Someone already signed in has nothing to do here.
  useEffect(() => {
    trpc.auth.me
      .query()
      .then((me) => me && router.replace(next))
      .catch(() => undefined);
  }, [router, next]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '');
    const password = String(form.get('password') ?? '');
    const name = String(form.get('name') ?? '').trim();
    if (!email.trim() || !password || (signUp && !name)) {
      setFailure(signUp ? 'Enter your name, email and a password.' : 'Enter your email and password.');
      return;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      if (signUp) {
        await trpc.auth.signUp.mutate({ email, password, name });
        // Signing up with an address that already has an account opens no session: the server answers alike either
        // way, so whether it exists is not told by the sign-up itself.
        if (!(await trpc.auth.me.query())) {
          setFailure('No account was created with this email. If it already has an account, sign in instead.');
          setBusy(false);
          return;
        }
      } else await trpc.auth.signIn.mutate({ email, password });
      router.replace(next);
    } catch (error) {
      setFailure(errorMessage(error));
      setBusy(false);
    }
  }

  const otherHref = `${signUp ? '/sign-in' : '/sign-up'}${next !== '/graphs' ? `?next=${encodeURIComponent(next)}` : ''}`;
  return (
    <main className={styles.page}>
      <div className={`${ui.card} ${styles.card}`}>
        <p className={styles.brand}>
          <Link href="/">Pixelwire</Link>
        </p>
        <h1 className={styles.title}>{title}</h1>
        <form onSubmit={submit} noValidate aria-describedby={failure ? 'auth-error' : undefined}>
          {signUp && (
            <div className={ui.field}>
              <label htmlFor="auth-name">Name</label>
              <input id="auth-name" name="name" className={ui.input} autoComplete="name" required maxLength={100} />
            </div>
          )}
          <div className={ui.field}>
            <label htmlFor="auth-email">Email</label>
            <input id="auth-email" name="email" type="email" className={ui.input} autoComplete="email" required maxLength={254} />
          </div>
          <div className={ui.field}>
            <label htmlFor="auth-password">Password</label>
            <input
              id="auth-password"
              name="password"
              type="password"
              className={ui.input}
              autoComplete={signUp ? 'new-password' : 'current-password'}
              required
              minLength={signUp ? 10 : undefined}
              maxLength={200}
              aria-describedby={signUp ? 'auth-password-hint' : undefined}
            />
            {signUp && (
              <span id="auth-password-hint" className={ui.hint}>
                At least 10 characters.
              </span>
            )}
          </div>
          <FailureAlert failure={failure} id="auth-error" />
          <button type="submit" className={`${ui.primary} ${styles.submit}`} disabled={busy} aria-busy={busy}>
            {action}
          </button>
        </form>
        <p className={styles.switch}>
          {signUp ? 'Already have an account? ' : 'New to Pixelwire? '}
          <Link href={otherHref}>{signUp ? 'Sign in' : 'Create an account'}</Link>
        </p>
      </div>
    </main>
  );
}
