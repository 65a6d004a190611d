import { AppError, httpStatus } from '../services/app-error';

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}

/** The one place HTTP routes turn errors into responses: typed code and message, never a stack. */
export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    return json({ error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } }, httpStatus[error.code]);
  }
  console.error('[pixelwire] internal error:', error);
  return json({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'internal error' } }, 500);
}

/** Reads a JSON body, refusing anything that is not JSON or is larger than maxBytes (PIXELWIRE_MAX_REQUEST_BYTES). */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const text = await readLimited(request, maxBytes);
  if (text.length === 0) return {};
  try {
    return JSON.parse(text.toString('utf8'));
  } catch {
    throw new AppError('BAD_REQUEST', 'the body is not valid JSON');
  }
}

/** The body as bytes, stopping with PAYLOAD_TOO_LARGE as soon as it passes maxBytes. */
export async function readLimited(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `the body is ${declared} bytes; the limit is ${maxBytes}`);
  if (!request.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new AppError('PAYLOAD_TOO_LARGE', `the body is over the limit of ${maxBytes} bytes`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}
