import type { PrismaClient } from '../db/generated/client';
import { readCookie, SESSION_COOKIE } from '../api/cookies';
import { viewerFromApiToken, viewerFromSession } from '../services/auth-service';
import type { Viewer } from '../services/viewer';

/** Who sent a request: a bearer API token wins over a session cookie; neither means anonymous. */
export async function viewerFromRequest(prisma: PrismaClient, request: Request): Promise<Viewer | null> {
  const auth = request.headers.get('authorization');
  if (auth?.toLowerCase().startsWith('bearer ')) return viewerFromApiToken(prisma, auth.slice(7).trim());
  return viewerFromSession(prisma, readCookie(request.headers.get('cookie'), SESSION_COOKIE));
}

/** The client's address for rate limiting: the first X-Forwarded-For hop when a proxy sets it. */
export function clientAddress(request: Request): string {
  return request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || request.headers.get('x-real-ip') || 'direct';
}
