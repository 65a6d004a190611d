// Issue 12, High 2: one anonymous request must not occupy the server. tRPC batches are bounded, and password
// hashing goes through a bounded queue so a flood of sign-ins neither runs unbounded nor holds up other requests.
// One engine (PGlite): what is tested is the HTTP layer and the hashing queue, not the database.
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxTrpcBatchSize } from '../../server/api/limits';
import type { AppRouter } from '../../server/api/root';
import { PasswordHashBusyError, PasswordHashQueue, passwordHashQueue } from '../../server/auth/password';
import { signedUpClient, startTestServer, type TestServer } from '../helpers/server-harness';
import { noisyPng, upload } from './server-fixtures';

const password = 'correct horse battery';

/** One unbatched tRPC mutation over raw HTTP; each gets its own client address so per-address limits stay apart. */
async function rawMutation(server: TestServer, path: string, input: unknown, address: string) {
  const response = await fetch(`${server.url}/api/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as { error?: { message: string; data: { code: string } } };
  return { status: response.status, code: body.error?.data.code ?? 'OK', message: body.error?.message };
}

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('PasswordHashQueue', () => {
  it('runs at most maxActive at once, queues maxWaiting in order, and refuses the rest at once', async () => {
    const queue = new PasswordHashQueue({ maxActive: 1, maxWaiting: 1 });
    const order: string[] = [];
    let releaseFirst!: () => void;
    const first = queue.run(async () => {
      order.push('first started');
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      order.push('first done');
    });
    const second = queue.run(async () => {
      order.push('second started');
    });
    expect(queue.stats).toMatchObject({ active: 1, waiting: 1, started: 1, refused: 0 });
    expect(queue.full).toBe(true);
    await expect(queue.run(async () => order.push('third'))).rejects.toBeInstanceOf(PasswordHashBusyError);
    expect(queue.stats.refused).toBe(1);

    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['first started', 'first done', 'second started']);
    expect(queue.stats).toMatchObject({ active: 0, waiting: 0, started: 2, refused: 1 });
  });

  it('frees the slot when a hash fails', async () => {
    const queue = new PasswordHashQueue({ maxActive: 1, maxWaiting: 0 });
    await expect(queue.run(() => Promise.reject(new Error('scrypt failed')))).rejects.toThrow('scrypt failed');
    expect(await queue.run(async () => 'again')).toBe('again');
    expect(queue.stats).toMatchObject({ active: 0, waiting: 0 });
  });
});

describe('auth under load (pglite)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers a batch of 300 auth.signIn calls with 400 at once, checking no password', async () => {
    const queue = passwordHashQueue();
    const hashesBefore = queue.stats.started;
    const attemptsBefore = await server.app.db.prisma.loginAttempt.count();
    const calls = Array.from({ length: 300 }, (_, i) => ({ email: `batch-${i}@example.com`, password: 'not the password' }));
    const started = performance.now();
    const response = await fetch(`${server.url}/api/trpc/${calls.map(() => 'auth.signIn').join(',')}?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.12.0.1' },
      body: JSON.stringify(Object.fromEntries(calls.map((call, i) => [i, call]))),
    });
    const text = await response.text();
    const elapsedMs = performance.now() - started;

    expect(response.status).toBe(400);
    expect(text).toMatch(/Batch call exceeds maximum size/);
    expect(elapsedMs).toBeLessThan(1000);
    expect(queue.stats.started).toBe(hashesBefore);
    expect(await server.app.db.prisma.loginAttempt.count()).toBe(attemptsBefore);
  });

  it('serves batches up to the limit, and a client with the app link settings splits larger ones', async () => {
    const atLimit = Array.from({ length: maxTrpcBatchSize }, () => 'auth.me').join(',');
    const response = await fetch(`${server.url}/api/trpc/${atLimit}?batch=1&input=${encodeURIComponent('{}')}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as unknown[]).length).toBe(maxTrpcBatchSize);

    // The same link options as app/_lib/trpc.ts: 40 calls in one tick go as three requests, all accepted.
    let requests = 0;
    const client = createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: `${server.url}/api/trpc`,
          maxItems: maxTrpcBatchSize,
          fetch: (input, init) => {
            requests++;
            return fetch(input, init);
          },
        }),
      ],
    });
    const answers = await Promise.all(Array.from({ length: 40 }, () => client.auth.me.query()));
    expect(answers).toEqual(Array.from({ length: 40 }, () => null));
    expect(requests).toBe(Math.ceil(40 / maxTrpcBatchSize));
  });

  it('keeps answering other requests while a flood of sign-ins is hashing', async () => {
    const bystander = await signedUpClient(server, 'bystander');
    const file = await upload(bystander, await noisyPng());
    const queue = passwordHashQueue();
    const { maxActive, maxWaiting } = queue.limits;

    // More sign-ins at once than the queue holds: unknown addresses, each from its own client address.
    let floodOver = false;
    const flood = Promise.all(
      Array.from({ length: maxActive + maxWaiting + 20 }, (_, i) =>
        rawMutation(server, 'auth.signIn', { email: `flood-${i}@example.com`, password: 'not the password' }, `10.12.1.${i}`),
      ),
    ).finally(() => {
      floodOver = true;
    });
    await until(() => queue.stats.waiting >= 8 || floodOver, 'the flood fills the hashing queue');
    expect(floodOver).toBe(false);

    // Cheap requests, one of them a file read on libuv's pool (where scrypt runs), answer while hashes still wait.
    const answeredDuringFlood = async (label: string, request: Promise<unknown>) => {
      await request;
      return { label, floodOver, hashesWaiting: queue.stats.waiting };
    };
    const answers = await Promise.all([
      answeredDuringFlood('auth.me', bystander.trpc.auth.me.query()),
      answeredDuringFlood('catalogue.nodes', bystander.trpc.catalogue.nodes.query()),
      answeredDuringFlood(
        'artifact file',
        bystander.fetch(`/api/artifacts/${file.id}`).then(async (response) => {
          expect(response.status).toBe(200);
          await response.arrayBuffer();
        }),
      ),
    ]);
    for (const answer of answers) {
      expect(answer, `${answer.label} answered before the flood was over`).toMatchObject({ floodOver: false });
      expect(answer.hashesWaiting, `${answer.label}: hashes were still queued`).toBeGreaterThan(0);
    }

    const results = await flood;
    // Past the queue's room the flood is refused at once; the rest are checked and fail as wrong passwords.
    expect(results.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(results.every((r) => (r.status === 401 && r.code === 'UNAUTHORIZED') || (r.status === 429 && r.code === 'TOO_MANY_REQUESTS'))).toBe(true);
    expect(queue.stats).toMatchObject({ active: 0, waiting: 0 });
  });

  it('refuses sign-in and sign-up with TOO_MANY_REQUESTS while the queue is full, then recovers', async () => {
    const account = await signedUpClient(server, 'patient');
    const queue = passwordHashQueue();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holders = Array.from({ length: queue.limits.maxActive + queue.limits.maxWaiting }, () => queue.run(() => held));
    expect(queue.full).toBe(true);
    const attemptsBefore = await server.app.db.prisma.loginAttempt.count();
    const newEmail = `refused-${process.pid}@example.com`;

    try {
      const signIn = await rawMutation(server, 'auth.signIn', { email: account.email, password }, '10.12.2.1');
      expect(signIn).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
      expect(signIn.message).toMatch(/busy/);
      const signUp = await rawMutation(server, 'auth.signUp', { email: newEmail, password, name: 'Refused' }, '10.12.2.2');
      expect(signUp).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
      // Refused before any work: no attempt counted against the account or address, no account made.
      expect(await server.app.db.prisma.loginAttempt.count()).toBe(attemptsBefore);
      expect(await server.app.db.prisma.user.count({ where: { email: newEmail } })).toBe(0);
    } finally {
      release();
      await Promise.all(holders);
    }

    expect(await rawMutation(server, 'auth.signIn', { email: account.email, password }, '10.12.2.1')).toMatchObject({ status: 200 });
  });
});
