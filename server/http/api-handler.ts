import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { maxTrpcBatchSize } from '../api/limits';
import { appRouter } from '../api/root';
import type { AppContext } from '../app-context';
import { AppError } from '../services/app-error';
import { readArtifact } from '../services/artifact-service';
import { errorResponse, json } from './responses';
import { handleRestV1 } from './rest-v1';
import { runFileResponse } from './run-files';
import { handleUpload, uploadThumbnailResponse } from './uploads';
import { clientAddress, viewerFromRequest } from './viewer-from-request';

/**
 * Every /api route in one fetch handler, shared by the Next.js route and by the
 * plain Node server used in tests and benches:
 * /api/trpc/* (the app's tRPC API), /api/uploads, /api/uploads/:sha256 (a thumbnail), /api/artifacts/:id,
 * /api/runs/:runId/files/:sha256 (previews and outputs of a run), /api/v1/* (scripts).
 */
export function createApiHandler(app: AppContext): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const path = url.pathname.split('/').filter(Boolean);
    try {
      if (path[0] !== 'api') throw new AppError('NOT_FOUND', 'not found');
      if (path[1] === 'trpc') {
        return await fetchRequestHandler({
          endpoint: '/api/trpc',
          req: request,
          router: appRouter,
          // A larger batch is refused with 400 before any procedure runs.
          maxBatchSize: maxTrpcBatchSize,
          createContext: async ({ resHeaders }) => ({
            app,
            viewer: await viewerFromRequest(app.db.prisma, request),
            resHeaders,
            ip: clientAddress(request, app.config.trustProxy),
          }),
        });
      }
      const viewer = await viewerFromRequest(app.db.prisma, request);
      if (path[1] === 'v1') return await handleRestV1(app, viewer, request, path.slice(2));
      if (path[1] === 'uploads' && path.length === 2 && request.method === 'POST') return json(await handleUpload(app, viewer, request), 201);
      if (path[1] === 'uploads' && path.length === 3 && request.method === 'GET') return await uploadThumbnailResponse(app, viewer, request, path[2]!);
      if (path[1] === 'artifacts' && path.length === 3 && request.method === 'GET') {
        const file = await readArtifact(app.db.prisma, app.artifacts, viewer, path[2]!);
        return new Response(new Uint8Array(file.bytes), { headers: { 'content-type': file.mediaType, 'cache-control': 'private, max-age=31536000, immutable' } });
      }
      if (path[1] === 'runs' && path[3] === 'files' && path.length === 5 && request.method === 'GET') return await runFileResponse(app, viewer, path[2]!, path[4]!);
      throw new AppError('NOT_FOUND', `no route ${request.method} ${url.pathname}`);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
