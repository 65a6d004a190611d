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
 * The client's address for per-address rate limits. Behind a trusted proxy (PIXELWIRE_TRUST_PROXY=true, a proxy
 * that overwrites the header): the first X-Forwarded-For hop, or X-Real-IP. Otherwise the socket's peer address
 * as the server in front reports it (`remoteAddress`): headers are ignored then, since anyone can send them.
 * Next.js route handlers get no socket address (Next only fills X-Forwarded-For from the socket when the client
 * sent none, so the header cannot be told from a forged one): under `next start` without a trusted proxy this is
 * undefined, and then only the per-email limit applies.
 */
export function clientAddress(request: Request, trustProxy: boolean, remoteAddress?: string): string | undefined {
  if (trustProxy) {
    return request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || request.headers.get('x-real-ip')?.trim() || remoteAddress || undefined;
  }
  return remoteAddress ? normaliseAddress(remoteAddress) : undefined;
}

/** An IPv4 peer on a dual-stack socket ("::ffff:203.0.113.7") counted as the IPv4 address it is. */
function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
