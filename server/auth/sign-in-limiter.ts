import type { PrismaClient } from '../db/generated/client';
import { AppError } from '../services/app-error';

/**
 * How failed sign-ins slow further ones. Nothing locks an account: past a few free failures, each further check of
 * a password for the same account (or from the same address) waits twice as long as the one before, up to
 * maxDelayMs, so an attacker gets a few guesses a minute while the owner waits seconds. The address alone also
 * has a hard cap.
 */
export interface SignInLimits {
  /** Failures older than this stop counting. */
  windowMinutes: number;
  /** Failures per account (email) in the window that are checked without delay; a successful sign-in starts over. */
  freeFailuresPerEmail: number;
  /** Failures per client address in the window that are checked without delay. */
  freeFailuresPerIp: number;
  /** The first delay; each further failure doubles it, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest a sign-in is held before its check; one whose turn is further off is refused at once (TOO_MANY_REQUESTS). */
  maxWaitMs: number;
  /** Failures per address in the window after which the address is refused until the oldest of them leaves the window. */
  maxFailuresPerIp: number;
}

export const defaultSignInLimits: SignInLimits = {
  windowMinutes: 15,
  freeFailuresPerEmail: 5,
  freeFailuresPerIp: 10,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxWaitMs: 20_000,
  maxFailuresPerIp: 30,
};

/** A password check that may run at `checkAt` (epoch ms), counted as a failure until settled as a success. */
export interface SignInReservation {
  checkAt: number;
  rowIds: bigint[];
}

// Advisory locks taken as (class, hash of key): a two-int lock never collides with the one-bigint lock of migrations.
const lockClass = 0x50575349; // "PWSI"

interface KeyState {
  failures: number;
  latest?: Date;
  oldest?: Date;
}

/**
 * Reserves the next password check for an email (and client address): atomically counts recent failures, decides
 * when the check may run (now, or after a backoff), and records it as a failure before any password is checked.
 * Each key is locked (pg_advisory_xact_lock, in key order) for the count and the insert, so concurrent sign-ins
 * are counted one after another: 40 at once get exactly the turns the limits allow, never more.
 * Throws TOO_MANY_REQUESTS (details.retryAfterSeconds) when the address is over its cap or the turn is further off
 * than maxWaitMs.
 */
export async function reserveSignInCheck(
  prisma: PrismaClient,
  who: { email: string; ip?: string },
  limits: SignInLimits,
): Promise<SignInReservation> {
  const keys = [{ key: `email:${who.email}`, free: limits.freeFailuresPerEmail, resetsOnSuccess: true }];
  if (who.ip) keys.push({ key: `ip:${who.ip}`, free: limits.freeFailuresPerIp, resetsOnSuccess: false });
  keys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  return prisma.$transaction(
    async (tx) => {
      for (const { key } of keys) await tx.$executeRaw`SELECT pg_advisory_xact_lock(${lockClass}::int4, hashtext(${key}))`;
      // Read after the locks: every reservation committed before ours is counted.
      const now = Date.now();
      const since = new Date(now - limits.windowMinutes * 60_000);
      let checkAt = now;
      for (const { key, free, resetsOnSuccess } of keys) {
        // An account's own successful sign-in clears its backoff; an address's does not (anyone can sign in to their own).
        const lastSuccess = resetsOnSuccess
          ? await tx.loginAttempt.findFirst({ where: { key, success: true }, orderBy: { id: 'desc' }, select: { id: true } })
          : null;
        const counted = await tx.loginAttempt.aggregate({
          where: { key, success: false, at: { gt: since }, ...(lastSuccess ? { id: { gt: lastSuccess.id } } : {}) },
          _count: { _all: true },
          _max: { at: true },
          _min: { at: true },
        });
        const state: KeyState = { failures: counted._count._all, latest: counted._max.at ?? undefined, oldest: counted._min.at ?? undefined };
        if (key.startsWith('ip:') && state.failures >= limits.maxFailuresPerIp) {
          const reopens = (state.oldest?.getTime() ?? now) + limits.windowMinutes * 60_000;
          throw tooMany(reopens - now, 'too many failed sign-ins from this address');
        }
        checkAt = Math.max(checkAt, turnOf(state, free, limits, now));
      }
      if (checkAt - now > limits.maxWaitMs) throw tooMany(checkAt - now, 'too many failed sign-ins for this account');
      const rowIds: bigint[] = [];
      for (const { key } of keys) {
        const row = await tx.loginAttempt.create({ data: { key, at: new Date(checkAt), success: false }, select: { id: true } });
        rowIds.push(row.id);
      }
      return { checkAt, rowIds };
    },
    { maxWait: 10_000, timeout: 10_000 },
  );
}

/** When the next check for a key may run: at once within the free failures, then the latest turn plus a doubling delay. */
function turnOf(state: KeyState, free: number, limits: SignInLimits, now: number): number {
  if (state.failures < free) return now;
  const delay = Math.min(limits.baseDelayMs * 2 ** (state.failures - free), limits.maxDelayMs);
  return Math.max(now, (state.latest?.getTime() ?? now) + delay);
}

function tooMany(waitMs: number, reason: string): AppError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new AppError('TOO_MANY_REQUESTS', `${reason}; try again in ${seconds} s`, { retryAfterSeconds: seconds });
}

/** Marks a reserved check as a successful sign-in (it no longer counts as a failure, and resets the account's backoff). */
export async function settleSignInSuccess(prisma: PrismaClient, reservation: SignInReservation): Promise<void> {
  await prisma.loginAttempt.updateMany({ where: { id: { in: reservation.rowIds } }, data: { success: true } });
}

/** Gives back a reservation whose check never ran (the server was too busy to hash): it counts for nothing. */
export async function releaseSignInCheck(prisma: PrismaClient, reservation: SignInReservation): Promise<void> {
  await prisma.loginAttempt.deleteMany({ where: { id: { in: reservation.rowIds } } });
}
