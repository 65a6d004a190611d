import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { maxTrpcBatchSize } from '../api/limits';
import { appRouter } from '../api/root';
import type { AppContext } from '../app-context';
import { maxRequestBytes } from '../config';
import { AppError } from '../services/app-error';
import { readArtifact } from '../services/artifact-service';
import { guardRequest } from './request-guard';
import { errorResponse, json, readLimited } from './responses';
import { handleRestV1 } from './rest-v1';
import { runFileResponse, sharedFileResponse } from './run-files';
import { withSecurityHeaders } from './security-headers';
import { handleUpload, handleZipUpload, uploadThumbnailResponse } from './uploads';
import { clientAddress, viewerFromRequest } from './viewer-from-request';

/** What the server in front knows about the connection and the Request does not carry. */
export interface ConnectionInfo {
  /** The peer's address (the socket's remote address), when the server in front knows it. */
  remoteAddress?: string;
}

export type ApiHandler = (request: Request, connection?: ConnectionInfo) => Promise<Response>;

/** Routes whose bodies are images (raw or multipart): PIXELWIRE_MAX_UPLOAD_BYTES applies there, not the request limit. */
function isUpload(request: Request, path: string[]): boolean {
  if (request.method !== 'POST') return false;
  if (path[1] === 'uploads' && (path.length === 2 || (path.length === 3 && path[2] === 'zip'))) return true;
  if (path[1] === 'v1' && path[2] === 'artifacts' && path.length === 3) return true;
  const multipart = request.headers.get('content-type')?.toLowerCase().startsWith('multipart/form-data') ?? false;
  return multipart && path[1] === 'v1' && path[2] === 'graphs' && path[4] === 'runs' && path.length === 5;
}

/**
 * Every /api route in one fetch handler, shared by the Next.js route and by the
 * plain Node server used in tests and benches:
 * /api/trpc/* (the app's tRPC API), /api/uploads, /api/uploads/zip (a ZIP of images), /api/uploads/:sha256 (a thumbnail), /api/artifacts/:id,
 * /api/runs/:runId/files/:sha256 (previews and outputs of a run), /api/v1/* (scripts).
 *
 * Before any route runs: the cross-site guard (request-guard.ts) and the body limit — every body but an upload's
 * is refused past PIXELWIRE_MAX_REQUEST_BYTES (413, from Content-Length at once, else as soon as the stream passes
 * it), before it is parsed or anyone is looked up. Every response gets the API's security headers.
 */
export function createApiHandler(app: AppContext): ApiHandler {
  const route = async (request: Request, connection: ConnectionInfo): Promise<Response> => {
    const url = new URL(request.url);
    const path = url.pathname.split('/').filter(Boolean);
    if (path[0] !== 'api') throw new AppError('NOT_FOUND', 'not found');
    const limit = maxRequestBytes(app.config);
    const admit = () => {
      guardRequest(request, app.config);
      if (isUpload(request, path)) return;
      const declared = Number(request.headers.get('content-length') ?? '0');
      if (declared > limit) throw new AppError('PAYLOAD_TOO_LARGE', `the body is ${declared} bytes; the limit is ${limit}`);
    };
    if (path[1] === 'trpc') return await handleTrpc(request, connection, admit, limit);
    admit();
    const viewer = await viewerFromRequest(app.db.prisma, request);
    if (path[1] === 'v1') return await handleRestV1(app, viewer, request, path.slice(2));
    if (path[1] === 'uploads' && path.length === 2 && request.method === 'POST') return json(await handleUpload(app, viewer, request), 201);
    if (path[1] === 'uploads' && path[2] === 'zip' && path.length === 3 && request.method === 'POST') return json(await handleZipUpload(app, viewer, request), 201);
    if (path[1] === 'uploads' && path.length === 3 && request.method === 'GET') return await uploadThumbnailResponse(app, viewer, request, path[2]!);
    if (path[1] === 'artifacts' && path.length === 3 && request.method === 'GET') {
      const file = await readArtifact(app.db.prisma, app.artifacts, viewer, path[2]!);
      return new Response(new Uint8Array(file.bytes), { headers: { 'content-type': file.mediaType, 'cache-control': 'private, max-age=31536000, immutable' } });
    }
    if (path[1] === 'runs' && path[3] === 'files' && path.length === 5 && request.method === 'GET') return await runFileResponse(app, viewer, path[2]!, path[4]!);
    if (path[1] === 'shares' && path[3] === 'files' && path.length === 5 && request.method === 'GET') return await sharedFileResponse(app, path[2]!, path[4]!);
    throw new AppError('NOT_FOUND', `no route ${request.method} ${url.pathname}`);
  };
  /**
   * tRPC reads the whole body as text, so it gets the body only once it is known to be within the limit. A request
   * refused before any procedure runs (cross-site, too large) is refused through tRPC itself, from its context, so
   * the client gets a tRPC error it can read (one per call of a batch) with the right status.
   */
  async function handleTrpc(request: Request, connection: ConnectionInfo, admit: () => void, limit: number): Promise<Response> {
    let req = request;
    let refusal: TRPCError | undefined;
    try {
      admit();
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        const body = new Uint8Array(await readLimited(request, limit));
        req = new Request(request.url, { method: request.method, headers: request.headers, body, signal: request.signal });
      }
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refusal = new TRPCError({ code: error.code, message: error.message, cause: error });
      req = new Request(request.url, { method: request.method, headers: withoutBodyHeaders(request.headers), signal: request.signal });
    }
    return fetchRequestHandler({
      endpoint: '/api/trpc',
      req,
      router: appRouter,
      // A larger batch is refused with 400 before any procedure runs.
      maxBatchSize: maxTrpcBatchSize,
      createContext: async ({ resHeaders }) => {
        if (refusal) throw refusal;
        return {
          app,
          viewer: await viewerFromRequest(app.db.prisma, req),
          resHeaders,
          ip: clientAddress(req, app.config.trustProxy, connection.remoteAddress),
        };
      },
    });
  }

  return async (request, connection = {}) => {
    let response: Response;
    try {
      response = await route(request, connection);
    } catch (error) {
      response = errorResponse(error);
    }
    return withSecurityHeaders(response);
  };
}

/** Headers of a request re-made without its body, typed as JSON so that tRPC gets as far as its context. */
function withoutBodyHeaders(headers: Headers): Headers {
  const copy = new Headers(headers);
  copy.delete('content-length');
  copy.delete('transfer-encoding');
  copy.set('content-type', 'application/json');
  return copy;
}
