import { readCookie, SESSION_COOKIE } from '../api/cookies';
import type { ServerConfig } from '../config';
import { AppError } from '../services/app-error';
import { appRequestHeader } from './app-request';

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True for a request authenticated by an API token, which a browser on another site cannot send without a preflight. */
function bearerAuthenticated(request: Request): boolean {
  return request.headers.get('authorization')?.toLowerCase().startsWith('bearer ') ?? false;
}

/**
 * The app's own origin: PIXELWIRE_PUBLIC_URL when set; otherwise the scheme and Host of the request itself
 * (X-Forwarded-Proto and X-Forwarded-Host only when a trusted proxy sets them). Undefined when it cannot be told.
 */
export function appOrigin(request: Request, config: Pick<ServerConfig, 'publicOrigin' | 'trustProxy'>): string | undefined {
  if (config.publicOrigin) return config.publicOrigin;
  const forwarded = (name: string) => (config.trustProxy ? request.headers.get(name)?.split(',')[0]?.trim() || undefined : undefined);
  const host = forwarded('x-forwarded-host') ?? request.headers.get('host') ?? undefined;
  if (!host) return undefined;
  const scheme = forwarded('x-forwarded-proto') ?? new URL(request.url).protocol.replace(/:$/, '');
  try {
    return new URL(`${scheme}://${host}`).origin;
  } catch {
    return undefined;
  }
}

/** The origin a browser says the request comes from: Origin, else Referer's origin; undefined when it sent neither. */
function claimedOrigin(request: Request): string | undefined {
  const origin = request.headers.get('origin');
  if (origin !== null) return origin; // "null" (sandboxed frames, some redirects) matches no origin
  const referer = request.headers.get('referer');
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}

function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/**
 * Cross-site request forgery guard for every /api route (tRPC and REST alike). A state-changing request that is
 * not authenticated by an API token is refused (FORBIDDEN) when
 * - its Origin (or, without one, its Referer) is not the app's own origin — whether or not it carries the session
 *   cookie, so another site cannot sign a visitor in to an account of its choosing either; or
 * - it carries the session cookie but is neither JSON (`Content-Type: application/json`) nor has
 *   `x-pixelwire-request: 1`. Neither can be sent from another site without a CORS preflight, which this API never
 *   answers, so a form post or a text/plain fetch from another site (or from another port of the same host, which
 *   SameSite cookies do not stop) never acts with the cookie, even from a browser that sends no Origin.
 * Requests with `Authorization: Bearer` are left alone: cookies play no part in them.
 */
export function guardRequest(request: Request, config: Pick<ServerConfig, 'publicOrigin' | 'trustProxy'>): void {
  if (!stateChanging.has(request.method) || bearerAuthenticated(request)) return;
  const claimed = claimedOrigin(request);
  if (claimed !== undefined && claimed !== appOrigin(request, config)) {
    throw new AppError('FORBIDDEN', 'cross-site request refused: its origin is not this app');
  }
  if (!readCookie(request.headers.get('cookie'), SESSION_COOKIE)) return;
  if (mediaType(request) !== 'application/json' && request.headers.get(appRequestHeader) !== '1') {
    throw new AppError('FORBIDDEN', `send Content-Type: application/json or the header ${appRequestHeader}: 1 (or an API token)`);
  }
}
