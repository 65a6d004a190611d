'use client';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { trpc } from '../_lib/trpc';

/** On the landing page: a signed-in visitor goes straight to their graphs. */
export function HomeRedirect() {
  const router = useRouter();
  useEffect(() => {
    trpc.auth.me
      .query()
      .then((me) => me && router.replace('/graphs'))
      .catch(() => undefined);
  }, [router]);
  return null;
}
