import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../db/harness';
import { clientFor, codeOf, signedUpClient, startTestServer, type TestServer } from '../helpers/server-harness';
import { trpcError } from './server-fixtures';

const password = 'correct horse battery';
let counter = 0;
const freshEmail = (name: string) => `${name}-${process.pid}-${++counter}@example.com`;

/** One tRPC mutation over raw HTTP, to see status, headers and the exact body a browser gets. */
async function rawMutation(server: TestServer, path: string, input: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/api/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  return { response, text, body: JSON.parse(text) as { result?: { data: any }; error?: { message: string; data: Record<string, any> } } };
}

const cookiePair = (setCookie: string) => setCookie.split(';')[0]!;

describe.each(engines)('auth (%s)', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('sign up', () => {
    it('creates the account and sets an HttpOnly, SameSite=Lax session cookie', async () => {
      const email = freshEmail('ada');
      const { response, body } = await rawMutation(server, 'auth.signUp', { email, password, name: 'Ada' });
      expect(response.status).toBe(200);
      expect(body.result?.data.user).toMatchObject({ email, name: 'Ada' });
      const cookies = response.headers.getSetCookie();
      expect(cookies).toHaveLength(1);
      const attributes = cookies[0]!.split(';').map((part) => part.trim());
      expect(attributes[0]).toMatch(/^pw_session=pws_.+/);
      expect(attributes).toContain('HttpOnly');
      expect(attributes).toContain('SameSite=Lax');
      expect(attributes).toContain('Path=/');
      expect(attributes).not.toContain('Secure'); // secureCookies is off in tests
      const expires = attributes.find((a) => a.startsWith('Expires='));
      const days = (Date.parse(expires!.slice('Expires='.length)) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29);
      expect(days).toBeLessThanOrEqual(30);

      // The cookie is a working session.
      const me = await fetch(`${server.url}/api/trpc/auth.me`, { headers: { cookie: cookiePair(cookies[0]!) } });
      expect(((await me.json()) as any).result.data).toMatchObject({ email, name: 'Ada', via: 'session' });
    });

    it('answers a sign-up with a taken email exactly like a new one, but creates nothing and opens no session', async () => {
      const first = await signedUpClient(server, 'dup');
      const attributes = (setCookie: string) => setCookie.split(';').slice(1).map((part) => part.trim().replace(/^Expires=.*/, 'Expires'));
      for (const email of [first.email, ` ${first.email.toUpperCase()} `]) {
        const fresh = await rawMutation(server, 'auth.signUp', { email: freshEmail('new'), password, name: 'Again' });
        const taken = await rawMutation(server, 'auth.signUp', { email, password: 'another password', name: 'Again' });
        // Same status, same shape, a session cookie of the same form either way: nothing says the address is taken.
        expect(taken.response.status).toBe(200);
        expect(fresh.response.status).toBe(200);
        expect(taken.text).not.toMatch(/exist|taken|already/i);
        const [takenUser, freshUser] = [taken.body.result?.data.user, fresh.body.result?.data.user];
        expect(Object.keys(takenUser).sort()).toEqual(Object.keys(freshUser).sort());
        expect(takenUser).toMatchObject({ email: first.email, name: 'Again' });
        expect(takenUser.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(freshUser.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(takenUser.id).not.toBe(first.userId);
        const [takenCookie, freshCookie] = [taken.response.headers.getSetCookie(), fresh.response.headers.getSetCookie()];
        expect(takenCookie).toHaveLength(1);
        expect(takenCookie[0]).toMatch(/^pw_session=pws_[\w-]{43};/);
        expect(attributes(takenCookie[0]!)).toEqual(attributes(freshCookie[0]!));

        // But that cookie opens no session, and the existing account is untouched.
        const me = await fetch(`${server.url}/api/trpc/auth.me`, { headers: { cookie: cookiePair(takenCookie[0]!) } });
        expect(((await me.json()) as any).result.data).toBeNull();
      }
      expect(await server.app.db.prisma.user.count({ where: { email: first.email } })).toBe(1);
      expect(await server.app.db.prisma.session.count({ where: { userId: first.userId } })).toBe(1);
      const signIn = (pw: string) => rawMutation(server, 'auth.signIn', { email: first.email, password: pw }, { 'x-forwarded-for': `198.51.100.${++counter % 250}` });
      expect((await signIn('another password')).response.status).toBe(401);
      expect((await signIn(password)).body.result?.data.user.id).toBe(first.userId);
    });

    it('refuses a short password with BAD_REQUEST and zod details, never a stack trace', async () => {
      const email = freshEmail('short');
      const { response, text, body } = await rawMutation(server, 'auth.signUp', { email, password: 'short', name: 'Shorty' });
      expect(response.status).toBe(400);
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(body.error?.data.code).toBe('BAD_REQUEST');
      expect(body.error?.data.zodError.fieldErrors.password).toEqual(['use at least 10 characters']);
      expect(body.error?.data).not.toHaveProperty('stack');
      expect(text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
      expect(await server.app.db.prisma.user.count({ where: { email } })).toBe(0);

      // Through the client too: the error is typed and carries the same details.
      const error = await trpcError(clientFor(server).trpc.auth.signUp.mutate({ email, password: 'short', name: 'Shorty' }));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.data.zodError.fieldErrors.password).toHaveLength(1);
    });

    it('stores the email normalised (trimmed, lower case) and signs in with any case', async () => {
      const local = `Grace.Hopper-${process.pid}-${++counter}`;
      const client = clientFor(server);
      const { user } = await client.trpc.auth.signUp.mutate({ email: `  ${local}@Example.COM `, password, name: 'Grace' });
      const normalised = `${local.toLowerCase()}@example.com`;
      expect(user.email).toBe(normalised);
      expect(await server.app.db.prisma.user.findUnique({ where: { email: normalised }, select: { id: true } })).toEqual({ id: user.id });

      const other = clientFor(server);
      const signedIn = await other.trpc.auth.signIn.mutate({ email: ` ${local.toUpperCase()}@EXAMPLE.com`, password });
      expect(signedIn.user.id).toBe(user.id);
      expect(await other.trpc.auth.me.query()).toMatchObject({ id: user.id, email: normalised });
    });
  });

  describe('sign in and out', () => {
    it('signs in with a new session, signs out clearing the cookie, and the old session stops working', async () => {
      const alice = await signedUpClient(server, 'alice');
      const laptop = clientFor(server);
      await laptop.trpc.auth.signIn.mutate({ email: alice.email, password });
      expect(laptop.cookie).toMatch(/^pw_session=pws_/);
      expect(laptop.cookie).not.toBe(alice.cookie);
      expect(await laptop.trpc.auth.me.query()).toMatchObject({ id: alice.userId, via: 'session' });
      const sessions = await server.app.db.prisma.session.count({ where: { userId: alice.userId } });
      expect(sessions).toBe(2);

      const oldCookie = laptop.cookie;
      const { response, body } = await rawMutation(server, 'auth.signOut', {}, { cookie: oldCookie });
      expect(body.result?.data).toEqual({ ok: true });
      const cleared = response.headers.getSetCookie();
      expect(cleared).toHaveLength(1);
      expect(cleared[0]).toMatch(/^pw_session=;/);
      expect(cleared[0]).toContain('Max-Age=0');
      expect(cleared[0]).toContain('HttpOnly');

      // The old cookie, replayed, is nobody.
      const replay = clientFor(server);
      const asOld = (path: string) => fetch(`${server.url}/api/trpc/${path}`, { headers: { cookie: oldCookie } });
      expect(((await (await asOld('auth.me')).json()) as any).result.data).toBeNull();
      const denied = await asOld('graphs.list');
      expect(denied.status).toBe(401);
      expect(((await denied.json()) as any).error.data.code).toBe('UNAUTHORIZED');
      expect(await codeOf(replay.trpc.graphs.list.query({}))).toBe('UNAUTHORIZED');
      // Only that session ended: the first one still works.
      expect(await server.app.db.prisma.session.count({ where: { userId: alice.userId } })).toBe(1);
      expect(await alice.trpc.auth.me.query()).toMatchObject({ id: alice.userId });
    });

    it('answers a wrong password and an unknown email alike (UNAUTHORIZED, same message)', async () => {
      const bob = await signedUpClient(server, 'bob');
      const headers = { 'x-forwarded-for': `198.51.100.${++counter % 250}` };
      const wrong = await rawMutation(server, 'auth.signIn', { email: bob.email, password: 'not the password' }, headers);
      const unknown = await rawMutation(server, 'auth.signIn', { email: freshEmail('nobody'), password }, headers);
      expect(wrong.response.status).toBe(401);
      expect(unknown.response.status).toBe(401);
      expect(wrong.body.error?.message).toBe(unknown.body.error?.message);
      expect(wrong.response.headers.getSetCookie()).toEqual([]);
    });

    it('signing out needs a browser session', async () => {
      expect(await codeOf(clientFor(server).trpc.auth.signOut.mutate())).toBe('UNAUTHORIZED');
    });
  });

  it('rejects an expired session and removes its row', async () => {
    const carol = await signedUpClient(server, 'carol');
    expect(await codeOf(carol.trpc.graphs.list.query({}))).toBe('OK');
    const prisma = server.app.db.prisma;
    const { count } = await prisma.session.updateMany({ where: { userId: carol.userId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(count).toBe(1);

    expect(await codeOf(carol.trpc.graphs.list.query({}))).toBe('UNAUTHORIZED');
    expect(await carol.trpc.auth.me.query()).toBeNull();
    expect(await prisma.session.count({ where: { userId: carol.userId } })).toBe(0);
    // Signing in again gives a fresh, working session.
    await carol.trpc.auth.signIn.mutate({ email: carol.email, password });
    expect(await codeOf(carol.trpc.graphs.list.query({}))).toBe('OK');
  });

  it('slows failed sign-ins per account instead of locking it: the owner still gets in after a short wait', async () => {
    const dave = await signedUpClient(server, 'dave');
    const ip = { 'x-forwarded-for': `203.0.113.${++counter % 250}` };
    // How long each attempt waited for its turn: its recorded turn minus when it was sent (hashing time left out,
    // so a loaded machine does not blur the numbers).
    const timed = async (email: string, pw: string, headers: Record<string, string>) => {
      const sent = Date.now();
      const attempt = await rawMutation(server, 'auth.signIn', { email, password: pw }, headers);
      const turn = await server.app.db.prisma.loginAttempt.findFirst({ where: { key: `email:${email.toLowerCase()}` }, orderBy: { id: 'desc' }, select: { at: true } });
      return { ...attempt, waited: turn!.at.getTime() - sent };
    };
    for (let i = 0; i < 5; i++) {
      const attempt = await timed(dave.email, `wrong password ${i}`, ip);
      expect(attempt.body.error?.data.code).toBe('UNAUTHORIZED');
      expect(attempt.waited).toBeLessThan(500);
    }
    // Past five failures each check waits twice as long as the one before (1 s, then 2 s after the previous turn),
    // whatever the address or the case of the email: the delay is the account's.
    const sixth = await timed(dave.email.toUpperCase(), 'wrong password 5', { 'x-forwarded-for': '192.0.2.77' });
    expect(sixth.body.error?.data.code).toBe('UNAUTHORIZED');
    const owner = await timed(dave.email, password, { 'x-forwarded-for': '192.0.2.78' });
    expect(owner.body.result?.data.user.id).toBe(dave.userId);
    expect(owner.response.headers.getSetCookie()).toHaveLength(1);
    const turns = (await server.app.db.prisma.loginAttempt.findMany({ where: { key: `email:${dave.email}` }, orderBy: { id: 'asc' }, select: { at: true } })).map((t) => t.at.getTime());
    expect(turns[5]! - turns[4]!).toBeGreaterThanOrEqual(1000);
    expect(turns[6]! - turns[5]!).toBeGreaterThanOrEqual(2000);

    // The owner's own sign-in starts the account's count over.
    const afterwards = await timed(dave.email, 'one more typo', ip);
    expect(afterwards.body.error?.data.code).toBe('UNAUTHORIZED');
    expect(afterwards.waited).toBeLessThan(500);
    // Other accounts from the first address are not slowed.
    const erin = await signedUpClient(server, 'erin');
    const other = await timed(erin.email, password, ip);
    expect(other.body.result?.data.user.id).toBe(erin.userId);
    expect(other.waited).toBeLessThan(500);
  });

  describe('API tokens', () => {
    it('creates, lists, uses and revokes a token', async () => {
      const frank = await signedUpClient(server, 'frank');
      const created = await frank.trpc.tokens.create.mutate({ name: 'ci script' });
      expect(created.token).toMatch(/^pwt_/);
      expect(created.prefix).toBe(created.token.slice(0, 12));

      const listed = await frank.trpc.tokens.list.query();
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ id: created.id, name: 'ci script', prefix: created.prefix, lastUsedAt: null });
      expect(JSON.stringify(listed)).not.toContain(created.token);
      expect(listed[0]).not.toHaveProperty('tokenHash');

      // A script with the token acts as frank.
      const script = clientFor(server, { token: created.token });
      expect(await script.trpc.auth.me.query()).toMatchObject({ id: frank.userId, via: 'token' });
      const { graph } = await script.trpc.graphs.create.mutate({ name: 'made by a script' });
      expect((await frank.trpc.graphs.get.query({ graphId: graph.id })).graph.name).toBe('made by a script');
      const v1 = await script.fetch(`/api/v1/runs/no-such-run`);
      expect(v1.status).toBe(404); // authenticated, the run just does not exist
      expect((await frank.trpc.tokens.list.query())[0]!.lastUsedAt).not.toBeNull();

      // Tokens cannot mint tokens, revoke them or sign out: that needs a browser session.
      expect(await codeOf(script.trpc.tokens.create.mutate({ name: 'another' }))).toBe('FORBIDDEN');
      expect(await codeOf(script.trpc.tokens.revoke.mutate({ id: created.id }))).toBe('FORBIDDEN');
      expect(await codeOf(script.trpc.auth.signOut.mutate())).toBe('FORBIDDEN');

      // Another user can neither see nor revoke it.
      const grace = await signedUpClient(server, 'grace');
      expect(await grace.trpc.tokens.list.query()).toEqual([]);
      expect(await codeOf(grace.trpc.tokens.revoke.mutate({ id: created.id }))).toBe('NOT_FOUND');
      expect(await codeOf(script.trpc.graphs.list.query({}))).toBe('OK');

      expect(await frank.trpc.tokens.revoke.mutate({ id: created.id })).toEqual({ ok: true });
      expect(await frank.trpc.tokens.list.query()).toEqual([]);
      expect(await codeOf(script.trpc.graphs.list.query({}))).toBe('UNAUTHORIZED');
      expect(await script.trpc.auth.me.query()).toBeNull();
      expect((await script.fetch('/api/v1/runs/no-such-run')).status).toBe(401);
      expect(await codeOf(frank.trpc.tokens.revoke.mutate({ id: created.id }))).toBe('NOT_FOUND');
    });

    it('does not fall back to the cookie when a bearer token is wrong', async () => {
      const henry = await signedUpClient(server, 'henry');
      const response = await henry.fetch('/api/trpc/graphs.list?input=%7B%7D', { headers: { authorization: 'Bearer pwt_not-a-real-token' } });
      expect(response.status).toBe(401);
    });
  });
});
