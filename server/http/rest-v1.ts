import { z } from 'zod';
import type { AppContext } from '../app-context';
import { maxRequestBytes } from '../config';
import { AppError } from '../services/app-error';
import { readArtifact, uploadImage } from '../services/artifact-service';
import { runOutputsZip } from '../services/run-outputs-zip';
import { zStartBatch, zStartRun } from '../services/run-service';
import type { Viewer } from '../services/viewer';
import { describeUnsafeJson, findUnsafeJson, formatJsonPath } from '../validation/safe-json';
import { openApiDocument } from './openapi';
import { runFileResponse } from './run-files';
import { json, readJson } from './responses';
import { sseResponse } from './sse';
import { handleUpload, readUploadForm } from './uploads';

const zRunBody = zStartRun.omit({ graphId: true });
const zBatchBody = zStartBatch.omit({ graphId: true });

/**
 * The HTTP API for scripts (/api/v1). Every route but the OpenAPI document needs
 * a viewer; each service call checks what that viewer may do.
 */
export async function handleRestV1(app: AppContext, viewer: Viewer | null, request: Request, path: string[]): Promise<Response> {
  const method = request.method;
  const [first, id, sub, ...rest] = path;
  if (method === 'GET' && first === 'openapi.json' && path.length === 1) return json(openApiDocument());
  if (!viewer) throw new AppError('UNAUTHORIZED', 'send an API token: Authorization: Bearer pwt_…');

  if (first === 'graphs' && id && sub === 'runs' && rest.length === 0 && method === 'POST') {
    const body = await runBody(app, viewer, request);
    const run = await app.runs.start(viewer, { graphId: id, ...body });
    return json(run, 201, { location: `/api/v1/runs/${run.id}` });
  }
  if (first === 'graphs' && id && sub === 'batches' && rest.length === 0 && method === 'POST') {
    const body = parseChecked(zBatchBody, await readJson(request, maxRequestBytes(app.config)));
    const started = await app.runs.startBatch(viewer, { graphId: id, ...body });
    return json(started, 201, { location: `/api/v1/batches/${started.batch.id}` });
  }
  if (first === 'batches' && id && !sub && method === 'GET') return json(await app.batches.get(viewer, id));
  if (first === 'batches' && id && sub === 'cancel' && rest.length === 0 && method === 'POST') return json(await app.batches.cancel(viewer, id));
  if (first === 'batches' && id && sub === 'outputs.zip' && rest.length === 0 && method === 'GET') {
    const zip = await app.batches.zip(viewer, id);
    return new Response(new Uint8Array(zip), {
      headers: { 'content-type': 'application/zip', 'content-disposition': `attachment; filename="batch-${id}.zip"`, 'cache-control': 'private, no-store' },
    });
  }
  if (first === 'runs' && id && !sub && method === 'GET') return json(await app.runs.get(viewer, id));
  if (first === 'runs' && id && sub === 'files' && rest.length === 1 && method === 'GET') return runFileResponse(app, viewer, id, rest[0]!);
  if (first === 'runs' && id && sub === 'outputs.zip' && rest.length === 0 && method === 'GET') {
    const zip = await runOutputsZip(app, viewer, id);
    return new Response(new Uint8Array(zip), {
      headers: { 'content-type': 'application/zip', 'content-disposition': `attachment; filename="run-${id}.zip"`, 'cache-control': 'private, no-store' },
    });
  }
  if (first === 'runs' && id && sub === 'cancel' && rest.length === 0 && method === 'POST') return json(await app.runs.cancel(viewer, id));
  if (first === 'runs' && id && sub === 'events' && rest.length === 0 && method === 'GET') {
    const last = request.headers.get('last-event-id') ?? new URL(request.url).searchParams.get('lastEventId');
    const after = last && /^\d{1,9}$/.test(last) ? Number(last) : 0;
    const abort = new AbortController();
    request.signal.addEventListener('abort', () => abort.abort(), { once: true });
    return sseResponse(await app.runs.events(viewer, id, after, abort.signal), abort);
  }
  if (first === 'artifacts' && !id && method === 'POST') return json(await handleUpload(app, viewer, request), 201);
  if (first === 'artifacts' && id && !sub && method === 'GET') {
    const file = await readArtifact(app.db.prisma, app.artifacts, viewer, id);
    return new Response(new Uint8Array(file.bytes), {
      headers: { 'content-type': file.mediaType, 'cache-control': 'private, max-age=31536000, immutable', etag: `"${file.sha256}"` },
    });
  }
  throw new AppError('NOT_FOUND', `no route ${method} /api/v1/${path.join('/')}`);
}

/** A run request: JSON `{ inputs, version }`, or multipart with an `inputs` JSON field and image files named by input. */
async function runBody(app: AppContext, viewer: Viewer, request: Request): Promise<z.infer<typeof zRunBody>> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('multipart/form-data')) return parseChecked(zRunBody, await readJson(request, maxRequestBytes(app.config)));
  const { files, fields } = await readUploadForm(request, app.config.maxUploadBytes);
  const version = fields.get('version');
  let inputs: Record<string, unknown> = {};
  const inputsField = fields.get('inputs');
  if (inputsField !== undefined) {
    try {
      inputs = z.record(z.string(), z.unknown()).parse(JSON.parse(inputsField));
    } catch {
      throw new AppError('BAD_REQUEST', 'the "inputs" field must be a JSON object');
    }
  }
  for (const [name, bytes] of files) {
    const stored = await uploadImage(app.db.prisma, app.artifacts, viewer, bytes, { maxUploadBytes: app.config.maxUploadBytes, maxPixels: app.config.maxPixels });
    inputs[name] = stored.id;
  }
  return parseChecked(zRunBody, { inputs, ...(version ? { version: Number(version) } : {}) });
}

/**
 * A JSON body checked for unsafe strings and depth first (before zod, whose z.json() recurses, and PostgreSQL,
 * which refuses NUL in jsonb), then by its schema; problems are a 400 with their paths.
 */
function parseChecked<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const unsafe = findUnsafeJson(body);
  if (unsafe) {
    throw new AppError('BAD_REQUEST', `invalid request: ${describeUnsafeJson(unsafe)}`, {
      issues: [{ path: formatJsonPath(unsafe.path), code: unsafe.code, message: unsafe.message }],
    });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new AppError('BAD_REQUEST', `invalid request: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`, {
      issues: parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message })),
    });
  }
  return parsed.data;
}
