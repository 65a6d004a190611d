import { getApp } from '../../../server/app';
import { createApiHandler, type ApiHandler } from '../../../server/http/api-handler';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

let handler: Promise<ApiHandler> | undefined;

/**
 * Next.js gives route handlers no socket address (only X-Forwarded-For, which it fills from the socket when the
 * client sent none, so a forged one cannot be told apart): no remote address is passed, and per-address sign-in
 * limits apply under `next start` only behind a trusted proxy (PIXELWIRE_TRUST_PROXY=true). See
 * server/http/viewer-from-request.ts.
 */
async function handle(request: Request): Promise<Response> {
  handler ??= getApp().then(createApiHandler);
  return (await handler)(request);
}

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };
