// Issue 12, items 3, 14 and 15: the sign-in limits are counted atomically (concurrent wrong passwords get exactly
// the checks the limits allow), slow an attacker down instead of locking the owner out, and key the per-address
// limit on the socket's address when no proxy is trusted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dummyHash, hashPassword, passwordHashQueue } from '../../server/auth/password';
import type { SignInLimits } from '../../server/auth/sign-in-limiter';
import type { Database } from '../../server/db/client';
import { applyMigrations } from '../../server/db/migrate';
import { clientAddress } from '../../server/http/viewer-from-request';
import { AppError } from '../../server/services/app-error';
import { defaultAuthSettings, signIn, type AuthSettings } from '../../server/services/auth-service';
import { createTestDatabase, engines, type TestDatabase } from '../db/harness';
import { startTestServer, type TestServer } from '../helpers/server-harness';

const password = 'correct horse battery';
let counter = 0;
const freshEmail = (name: string) => `${name}-${process.pid}-${++counter}@example.com`;
const settings = (limits: Partial<SignInLimits>): AuthSettings => ({ ...defaultAuthSettings, ...limits });

/** The outcome of one sign-in: 'OK' or the error code, with when it was answered (ms after `t0`) and its details. */
async function attempt(db: Database, email: string, pw: string, ip: string | undefined, limits: AuthSettings, t0 = performance.now()) {
  try {
    await signIn(db.prisma, { email, password: pw }, ip, limits);
    return { code: 'OK', at: performance.now() - t0, details: undefined };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { code: error.code, at: performance.now() - t0, details: error.details };
  }
}

describe.each(engines)('sign-in limits (%s)', (kind) => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    db = await database.open();
    await applyMigrations(db);
    await dummyHash(); // made once per process: not counted below
  });
  afterAll(async () => {
    await database?.dispose();
  });

  const newUser = async (name: string) => {
    const email = freshEmail(name);
    await db.prisma.user.create({ data: { email, name, passwordHash: await hashPassword(password) } });
    return email;
  };

  it('counts concurrent wrong passwords atomically: 40 at once get exactly the free checks, the rest are refused', async () => {
    const email = await newUser('target');
    // 5 free failures; the next turn is a minute off, past the 1 s a sign-in may wait, so it is refused at once.
    const limits = settings({ freeFailuresPerEmail: 5, baseDelayMs: 60_000, maxDelayMs: 60_000, maxWaitMs: 1000, freeFailuresPerIp: 1000, maxFailuresPerIp: 1000 });
    const hashesBefore = passwordHashQueue().stats.started;
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => attempt(db, email, `wrong password ${i}`, '198.51.100.40', limits)));

    expect(results.filter((r) => r.code === 'UNAUTHORIZED')).toHaveLength(5);
    const refused = results.filter((r) => r.code === 'TOO_MANY_REQUESTS');
    expect(refused).toHaveLength(35);
    for (const r of refused) expect(r.details).toMatchObject({ retryAfterSeconds: expect.any(Number) });
    expect(passwordHashQueue().stats.started - hashesBefore).toBe(5);
    expect(await db.prisma.loginAttempt.count({ where: { key: `email:${email}` } })).toBe(5);
  });

  it('gives concurrent sign-ins past the free failures one turn each, a delay apart', async () => {
    const email = await newUser('queued');
    const limits = settings({ freeFailuresPerEmail: 2, baseDelayMs: 200, maxDelayMs: 200, maxWaitMs: 30_000, freeFailuresPerIp: 1000, maxFailuresPerIp: 1000 });
    const hashesBefore = passwordHashQueue().stats.started;
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => attempt(db, email, `wrong password ${i}`, '198.51.100.41', limits)));
    expect(results.map((r) => r.code)).toEqual(Array(6).fill('UNAUTHORIZED'));
    expect(passwordHashQueue().stats.started - hashesBefore).toBe(6);
    // Two free turns, then each 200 ms (the cap) after the one before; the last answer came after the last turn.
    const turns = (await db.prisma.loginAttempt.findMany({ where: { key: `email:${email}` }, orderBy: { at: 'asc' }, select: { at: true } })).map((t) => t.at.getTime());
    const gaps = turns.slice(1).map((at, i) => at - turns[i]!);
    expect(gaps.slice(1).every((gap) => gap >= 200)).toBe(true);
    expect(Math.max(...results.map((r) => r.at))).toBeGreaterThanOrEqual(turns[5]! - turns[0]! - 5);
  });

  it('lets the owner in after the backoff, however many wrong passwords came first', async () => {
    const email = await newUser('owner');
    const limits = settings({ freeFailuresPerEmail: 3, baseDelayMs: 50, maxDelayMs: 200, maxWaitMs: 1000, freeFailuresPerIp: 1000, maxFailuresPerIp: 1000 });
    // An attacker from many addresses: delays grow to the cap (50, 100, 200, 200, … ms), never to a lock.
    for (let i = 0; i < 8; i++) expect((await attempt(db, email, 'guess', `203.0.113.${i}`, limits)).code).toBe('UNAUTHORIZED');
    const owner = await attempt(db, email, password, '192.0.2.1', limits);
    expect(owner.code).toBe('OK');
    // Each check's turn, recorded with it: at least 50, 100, then 200 ms (the cap) after the one before, the owner's too.
    const turns = await db.prisma.loginAttempt.findMany({ where: { key: `email:${email}` }, orderBy: { id: 'asc' }, select: { at: true, success: true } });
    const gaps = turns.slice(1).map((turn, i) => turn.at.getTime() - turns[i]!.at.getTime());
    const least = [0, 0, 50, 100, 200, 200, 200, 200];
    expect(gaps).toHaveLength(least.length);
    gaps.forEach((gap, i) => expect(gap, `turn ${i + 2}`).toBeGreaterThanOrEqual(least[i]!));
    expect(turns.map((t) => t.success)).toEqual([...Array(8).fill(false), true]);
  });

  it('refuses at once, with the time to come back, a sign-in whose turn is further off than the longest wait', async () => {
    const email = await newUser('patient');
    const limits = settings({ freeFailuresPerEmail: 1, baseDelayMs: 2000, maxDelayMs: 60_000, maxWaitMs: 500, freeFailuresPerIp: 1000, maxFailuresPerIp: 1000 });
    expect((await attempt(db, email, 'guess', undefined, limits)).code).toBe('UNAUTHORIZED');
    const refused = await attempt(db, email, password, undefined, limits);
    expect(refused).toMatchObject({ code: 'TOO_MANY_REQUESTS', details: { retryAfterSeconds: 2 } });
    expect(refused.at).toBeLessThan(1500); // at once, not after the 2 s its turn was off
    // Refused without a check: nothing more is counted against the account.
    expect(await db.prisma.loginAttempt.count({ where: { key: `email:${email}` } })).toBe(1);
  });

  it('slows an address that fails across many accounts, then stops it at its hard cap', async () => {
    const ip = `10.20.${++counter % 250}.1`;
    const limits = settings({ freeFailuresPerEmail: 1000, freeFailuresPerIp: 3, baseDelayMs: 50, maxDelayMs: 1000, maxWaitMs: 5000, maxFailuresPerIp: 6 });
    for (let i = 0; i < 6; i++) expect((await attempt(db, freshEmail('sprayed'), 'guess', ip, limits)).code).toBe('UNAUTHORIZED');
    // Three free turns, then at least 50, 100 and 200 ms after the one before.
    const turns = (await db.prisma.loginAttempt.findMany({ where: { key: `ip:${ip}` }, orderBy: { id: 'asc' }, select: { at: true } })).map((t) => t.at.getTime());
    const gaps = turns.slice(1).map((at, i) => at - turns[i]!);
    expect(gaps[2]).toBeGreaterThanOrEqual(50);
    expect(gaps[3]).toBeGreaterThanOrEqual(100);
    expect(gaps[4]).toBeGreaterThanOrEqual(200);
    // At the cap even the right password of a real account is refused from that address, until the window passes…
    const email = await newUser('neighbour');
    const capped = await attempt(db, email, password, ip, limits);
    expect(capped).toMatchObject({ code: 'TOO_MANY_REQUESTS', details: { retryAfterSeconds: expect.any(Number) } });
    expect((capped.details as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(limits.windowMinutes * 60 - 30);
    // …while the account itself is not held up from elsewhere.
    expect((await attempt(db, email, password, '10.21.0.1', limits)).code).toBe('OK');
    await db.prisma.loginAttempt.updateMany({ where: { key: `ip:${ip}` }, data: { at: new Date(Date.now() - 16 * 60_000) } });
    expect((await attempt(db, email, password, ip, limits)).code).toBe('OK');
  });
});

describe('client address without a trusted proxy', () => {
  it('is the socket address; forwarded headers are ignored, since anyone can send them', () => {
    const forged = new Request('http://localhost/api', { headers: { 'x-forwarded-for': '203.0.113.9', 'x-real-ip': '203.0.113.10' } });
    expect(clientAddress(forged, false, '198.51.100.7')).toBe('198.51.100.7');
    expect(clientAddress(forged, false, '::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(clientAddress(forged, false, '2001:db8::1')).toBe('2001:db8::1');
    expect(clientAddress(forged, false)).toBeUndefined();
    // Behind a trusted proxy the proxy's header wins; without one, the socket.
    expect(clientAddress(forged, true, '10.0.0.1')).toBe('203.0.113.9');
    expect(clientAddress(new Request('http://localhost/api'), true, '10.0.0.1')).toBe('10.0.0.1');
  });

  describe('over HTTP (pglite)', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer('pglite', { trustProxy: false });
    });
    afterAll(async () => {
      await server?.close();
    });

    it('counts failed sign-ins against the socket address, whatever X-Forwarded-For claims', async () => {
      const signInAs = (i: number) =>
        fetch(`${server.url}/api/trpc/auth.signIn`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i}` },
          body: JSON.stringify({ email: freshEmail('nobody'), password: 'not the password' }),
        });
      for (let i = 0; i < 3; i++) expect((await signInAs(i)).status).toBe(401);
      const keys = await server.app.db.prisma.loginAttempt.findMany({ where: { key: { startsWith: 'ip:' } }, select: { key: true } });
      expect(keys.map((k) => k.key)).toEqual(['ip:127.0.0.1', 'ip:127.0.0.1', 'ip:127.0.0.1']);
    });
  });
});
