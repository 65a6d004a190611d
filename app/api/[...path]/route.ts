import { getApp } from '../../../server/app';
import { createApiHandler } from '../../../server/http/api-handler';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

let handler: Promise<(request: Request) => Promise<Response>> | undefined;

async function handle(request: Request): Promise<Response> {
  handler ??= getApp().then(createApiHandler);
  return (await handler)(request);
}

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };
