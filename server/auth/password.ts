import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { serverConfigFromEnv } from '../config';

/**
 * Password hashing with scrypt (memory-hard, salted). Stored as
 * `scrypt$N$r$p$salt$hash` (base64url), so parameters can be raised later and
 * old hashes still verify.
 */
const params = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };

/** Refused because too many hashes are running and waiting; the caller should try again shortly. */
export class PasswordHashBusyError extends Error {
  override readonly name = 'PasswordHashBusyError';
}

export interface HashQueueLimits {
  /** Hashes computed at once. */
  maxActive: number;
  /** Hashes waiting for a turn; one more is refused at once with PasswordHashBusyError. */
  maxWaiting: number;
}

/**
 * A semaphore for scrypt. Each hash takes one of libuv's 4 pool threads for tens of milliseconds, and that pool
 * also serves file reads and DNS: a few hundred sign-ins at once would queue everything else behind them. At
 * most `maxActive` run, at most `maxWaiting` wait in order, and the rest fail fast.
 */
export class PasswordHashQueue {
  #active = 0;
  readonly #waiting: Array<() => void> = [];
  #started = 0;
  #refused = 0;

  constructor(readonly limits: HashQueueLimits) {}

  /** True when a hash asked for now would be refused. */
  get full(): boolean {
    return this.#active >= this.limits.maxActive && this.#waiting.length >= this.limits.maxWaiting;
  }

  /** Running and waiting now, and totals since the queue was made (hashes started, requests refused). */
  get stats(): { active: number; waiting: number; started: number; refused: number } {
    return { active: this.#active, waiting: this.#waiting.length, started: this.#started, refused: this.#refused };
  }

  async run<T>(hash: () => Promise<T>): Promise<T> {
    if (this.full) {
      this.#refused++;
      throw new PasswordHashBusyError('too many password checks in progress');
    }
    if (this.#active < this.limits.maxActive) this.#active++;
    // A finishing hash hands its slot straight to the next waiter, so #active stays counted.
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#started++;
    try {
      return await hash();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active--;
    }
  }
}

/** Waiting hashes beyond which sign-in and sign-up are refused (TOO_MANY_REQUESTS). */
export const maxWaitingPasswordHashes = 32;

let shared: PasswordHashQueue | undefined;
/** The process's queue: PIXELWIRE_MAX_PASSWORD_HASHES at once (default 2), maxWaitingPasswordHashes waiting. */
export function passwordHashQueue(): PasswordHashQueue {
  shared ??= new PasswordHashQueue({ maxActive: serverConfigFromEnv().maxPasswordHashes ?? 2, maxWaiting: maxWaitingPasswordHashes });
  return shared;
}

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions, queue: PasswordHashQueue): Promise<Buffer> {
  return queue.run(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scryptCallback(password.normalize('NFKC'), salt, keyLength, { ...options, maxmem: 128 * options.N! * options.r! * 2 }, (err, key) =>
          err ? reject(err) : resolve(key),
        ),
      ),
  );
}

/** Throws PasswordHashBusyError when the queue is full. */
export async function hashPassword(password: string, queue = passwordHashQueue()): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, params.keyLength, { N: params.N, r: params.r, p: params.p }, queue);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Throws PasswordHashBusyError when the queue is full. */
export async function verifyPassword(password: string, stored: string, queue = passwordHashQueue()): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) }, queue);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * A hash of a random password, to spend the same time verifying when an account does not exist. Made once per
 * process; if the queue refused it, the next call tries again.
 */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex')).catch((error: unknown) => {
    dummy = undefined;
    throw error;
  });
  return dummy;
}
