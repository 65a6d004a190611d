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

/**
 * The client's address for per-address rate limits: the first X-Forwarded-For hop,
 * only when a trusted proxy sets it (anyone can send the header). Undefined otherwise,
 * and then only the per-email limit applies.
 */
export function clientAddress(request: Request, trustProxy: boolean): string | undefined {
  if (!trustProxy) return undefined;
  return request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || request.headers.get('x-real-ip')?.trim() || undefined;
}
