import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

/** A fetch handler; the Node server also passes what it knows of the connection (the peer's address). */
export type FetchHandler = (request: Request, connection?: { remoteAddress?: string }) => Promise<Response>;

/** Builds a Fetch API Request from a Node request; the body streams, it is not buffered. */
export function toRequest(req: IncomingMessage, origin: string, res?: ServerResponse): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const controller = new AbortController();
  const abort = () => controller.abort();
  const socket = req.socket;
  socket.once('close', abort);
  // A keep-alive socket outlives its requests: drop this request's listener once its response is done.
  res?.once('close', () => socket.off('close', abort));
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', origin), {
    method: req.method,
    headers,
    signal: controller.signal,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  });
}

/** Writes a Fetch API Response to a Node response, streaming (server-sent events flush as they come). */
export async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') return;
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  res.once('close', () => void reader.cancel().catch(() => undefined));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise<void>((resolve) => res.once('drain', resolve));
    }
  } catch {
    // The client went away; nothing more to send.
  } finally {
    res.end();
  }
}

/** A plain Node HTTP server around a fetch handler: for tests, benches and standalone use. */
export async function listen(handler: FetchHandler, port = 0, host = '127.0.0.1'): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const origin = `http://${req.headers.host ?? `${host}:${port}`}`;
    // Node discards a request body nobody read, but not one wrapped as a web stream: a response sent
    // before reading it (413, 401…) would leave the keep-alive connection stuck behind the unread bytes.
    res.once('finish', () => {
      if (req.complete || req.destroyed) return;
      req.removeAllListeners('data');
      req.resume();
    });
    handler(toRequest(req, origin, res), { remoteAddress: req.socket.remoteAddress })
      .then((response) => {
        // A body refused for its size is not worth reading on: ask the client to stop and not reuse the socket.
        if (response.status === 413 && !req.complete) res.setHeader('connection', 'close');
        return writeResponse(response, res);
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'internal error' } }));
      });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
