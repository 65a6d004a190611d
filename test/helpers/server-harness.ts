import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../../server/api/root';
import { createApp, type App } from '../../server/app';
import type { ServerConfig } from '../../server/config';
import type { DatabaseConfig } from '../../server/db/config';
import { createApiHandler } from '../../server/http/api-handler';
import { appRequestHeaders } from '../../server/http/app-request';
import { listen } from '../../server/http/node-adapter';
import { createTestDatabase, type TestDatabase } from '../db/harness';

export interface TestServer {
  app: App;
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

/** The real app (migrated database, worker pool, artifact store) behind a real HTTP server on a free port. */
export async function startTestServer(kind: DatabaseConfig['kind'], config: Partial<ServerConfig> = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pw-server-'));
  const database: TestDatabase = await createTestDatabase(kind);
  const app = await createApp({
    database: database.config,
    config: {
      dataDir,
      workers: 2,
      maxUploadBytes: 5 * 1024 * 1024,
      maxPixels: 25_000_000,
      previewMaxSide: 512,
      sessionDays: 30,
      secureCookies: false,
      // Tests set X-Forwarded-For to keep per-address rate-limit counters apart.
      trustProxy: true,
      ...config,
    },
  });
  const http = await listen(createApiHandler(app));
  return {
    app,
    url: http.url,
    dataDir,
    async close() {
      await http.close();
      await app.close();
      await database.dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A tRPC client that keeps its session cookie (or sends an API token), like a browser or script would. Like the
 * app's own fetches, it sends the app's request header, which cookie-authenticated mutations need.
 */
export function clientFor(server: { url: string }, auth: { token?: string } = {}) {
  let cookie = '';
  const client = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${server.url}/api/trpc`,
        headers: () => ({ ...appRequestHeaders, ...(cookie ? { cookie } : {}), ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}) }),
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          const set = response.headers.getSetCookie().find((c) => c.startsWith('pw_session='));
          if (set) cookie = set.split(';')[0]!.endsWith('=') ? '' : set.split(';')[0]!;
          return response;
        },
      }),
    ],
  });
  return {
    trpc: client,
    get cookie() {
      return cookie;
    },
    /** Raw HTTP with the same credentials. */
    fetch: (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}${path}`, {
        ...init,
        headers: {
          ...appRequestHeaders,
          ...(cookie ? { cookie } : {}),
          ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
          ...(init.headers as Record<string, string> | undefined),
        },
      }),
  };
}

export type TestClient = ReturnType<typeof clientFor>;

let counter = 0;
/** Signs up a fresh user and returns a client holding their session. */
export async function signedUpClient(server: { url: string }, name = 'user'): Promise<TestClient & { email: string; userId: string }> {
  const client = clientFor(server);
  const email = `${name}-${process.pid}-${++counter}@example.com`;
  const { user } = await client.trpc.auth.signUp.mutate({ email, password: 'correct horse battery', name });
  return Object.assign(client, { email, userId: user.id });
}

/**
 * Puts `member` in a team the way people join one: its owner invites their address and they
 * accept with the token of the invitation link. Inviting alone adds no one, whether or not the
 * address has an account.
 */
export async function addToTeam(
  owner: TestClient,
  member: TestClient & { email: string },
  teamId: string,
  role: 'viewer' | 'runner' | 'editor' | 'owner',
): Promise<void> {
  const { link } = await owner.trpc.teams.invite.mutate({ teamId, email: member.email, role });
  await member.trpc.teams.acceptInvitation.mutate({ token: invitationToken(link) });
}

/** The secret token in an invitation link (`/invitations/<token>`). */
export function invitationToken(link: string): string {
  return link.slice(link.lastIndexOf('/') + 1);
}

/** The tRPC error code of a rejected call (e.g. 'NOT_FOUND'), or 'OK' when it succeeded. */
export async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCClientError) return String(error.data?.code ?? error.message);
    throw error;
  }
}

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** Reads server-sent events from a response until `stop` says so or the stream ends. */
export async function readSse(response: Response, stop: (event: SseEvent) => boolean): Promise<SseEvent[]> {
  if (!response.body) throw new Error('no body');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return events;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: SseEvent = { data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') event.id = value;
          else if (field === 'event') event.event = value;
          else if (field === 'data') event.data += event.data ? `\n${value}` : value;
        }
        if (!event.data && !event.event) continue;
        events.push(event);
        if (stop(event)) return events;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
