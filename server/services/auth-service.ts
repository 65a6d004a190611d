import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { isUniqueViolation } from '../db/errors';
import type { PrismaClient } from '../db/generated/client';
import { dummyHash, hashPassword, PasswordHashBusyError, passwordHashQueue, verifyPassword } from '../auth/password';
import { defaultSignInLimits, releaseSignInCheck, reserveSignInCheck, settleSignInSuccess, type SignInLimits } from '../auth/sign-in-limiter';
import { hashSecret, newSecret } from '../auth/tokens';
import { AppError } from './app-error';
import type { Viewer } from './viewer';

export const zEmail = z.string().trim().toLowerCase().email().max(254);
export const zPassword = z.string().min(10, 'use at least 10 characters').max(200);
export const zSignUp = z.object({ email: zEmail, password: zPassword, name: z.string().trim().min(1).max(100) });
export const zSignIn = z.object({ email: zEmail, password: z.string().min(1).max(200) });

export interface AuthSettings extends SignInLimits {
  sessionDays: number;
}

export const defaultAuthSettings: AuthSettings = { sessionDays: 30, ...defaultSignInLimits };

export interface SessionGrant {
  token: string;
  expiresAt: Date;
  user: { id: string; email: string; name: string };
}

/**
 * Runs work that hashes a password. When the process's hashing queue is full (a flood of sign-ins), the caller
 * gets TOO_MANY_REQUESTS at once, before any database work, instead of waiting behind hundreds of hashes.
 */
async function withPasswordHashing<T>(work: () => Promise<T>): Promise<T> {
  const busy = () => new AppError('TOO_MANY_REQUESTS', 'the server is busy checking passwords; try again in a moment');
  if (passwordHashQueue().full) throw busy();
  try {
    return await work();
  } catch (error) {
    if (error instanceof PasswordHashBusyError) throw busy();
    throw error;
  }
}

function sessionExpiry(settings: AuthSettings): Date {
  return new Date(Date.now() + settings.sessionDays * 86_400_000);
}

async function openSession(prisma: PrismaClient, userId: string, settings: AuthSettings): Promise<{ token: string; expiresAt: Date }> {
  const { secret, hash } = newSecret('pws');
  const expiresAt = sessionExpiry(settings);
  await prisma.session.create({ data: { id: hash, userId, expiresAt } });
  return { token: secret, expiresAt };
}

/**
 * Creates an account and opens a session. Signing up with an address that already has an account answers the
 * same way — a user object and a session cookie, after the same password hash — but changes nothing: no account,
 * no session (the cookie is random and stored nowhere). Signing up joins no team either way: an invitation takes
 * its secret link (invitation-service). Whether an address has an account is not told by the answer; without mail,
 * a prober can still tell by trying the cookie, and that costs them a request per address like any other probe
 * (README, Accounts).
 */
export async function signUp(prisma: PrismaClient, input: z.infer<typeof zSignUp>, settings = defaultAuthSettings): Promise<SessionGrant> {
  const passwordHash = await withPasswordHashing(() => hashPassword(input.password));
  const user = await createAccount(prisma, input, passwordHash);
  if (!user) return { token: newSecret('pws').secret, expiresAt: sessionExpiry(settings), user: { id: uuidV7(), email: input.email, name: input.name } };
  const session = await openSession(prisma, user.id, settings);
  return { ...session, user: { id: user.id, email: user.email, name: user.name } };
}

/** The new user, or null when the address already has an account (also when another sign-up took it meanwhile). */
async function createAccount(prisma: PrismaClient, input: z.infer<typeof zSignUp>, passwordHash: string) {
  try {
    return await prisma.$transaction(async (tx) => {
      if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) return null;
      // Joins no team: addresses are not verified, so an invitation takes its secret link (invitation-service).
      return tx.user.create({ data: { email: input.email, name: input.name, passwordHash } });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/** A UUID of version 7 (time-ordered), shaped like the ids the database gives users. */
function uuidV7(): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Date.now(), 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export async function signIn(
  prisma: PrismaClient,
  input: z.infer<typeof zSignIn>,
  ip: string | undefined,
  settings = defaultAuthSettings,
): Promise<SessionGrant> {
  return withPasswordHashing(() => signInWithPassword(prisma, input, ip, settings));
}

/**
 * One password check, in the turn the sign-in limiter gives it (server/auth/sign-in-limiter.ts): reserved and
 * counted as a failure before the password is checked, so concurrent attempts cannot all slip under the limit.
 * Unknown addresses are checked against a dummy hash, so they take as long and are limited alike.
 */
async function signInWithPassword(prisma: PrismaClient, input: z.infer<typeof zSignIn>, ip: string | undefined, settings: AuthSettings): Promise<SessionGrant> {
  const reservation = await reserveSignInCheck(prisma, { email: input.email, ip }, settings);
  let ok: boolean;
  let user: { id: string; email: string; name: string; passwordHash: string } | null;
  try {
    const wait = reservation.checkAt - Date.now();
    if (wait > 0) await sleep(wait);
    user = await prisma.user.findUnique({ where: { email: input.email }, select: { id: true, email: true, name: true, passwordHash: true } });
    ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash()));
  } catch (error) {
    // No password was checked: the turn counts for nothing.
    if (error instanceof PasswordHashBusyError) await releaseSignInCheck(prisma, reservation);
    throw error;
  }
  if (!user || !ok) throw new AppError('UNAUTHORIZED', 'wrong email or password');
  await settleSignInSuccess(prisma, reservation);
  const session = await openSession(prisma, user.id, settings);
  return { ...session, user: { id: user.id, email: user.email, name: user.name } };
}

export async function signOut(prisma: PrismaClient, viewer: Viewer): Promise<void> {
  if (viewer.sessionId) await prisma.session.deleteMany({ where: { id: viewer.sessionId } });
}

/** The viewer behind a session cookie, or null when it is unknown or expired (expired ones are removed). */
export async function viewerFromSession(prisma: PrismaClient, token: string | undefined): Promise<Viewer | null> {
  if (!token || token.length > 200) return null;
  const id = hashSecret(token);
  const session = await prisma.session.findUnique({ where: { id }, include: { user: { select: { id: true, email: true, name: true } } } });
  if (!session) return null;
  if (session.expiresAt.getTime() <= Date.now()) {
    await prisma.session.deleteMany({ where: { id } });
    return null;
  }
  return { userId: session.user.id, email: session.user.email, name: session.user.name, via: 'session', sessionId: id };
}

/** The viewer behind an API token (`Authorization: Bearer pwt_…`), or null. */
export async function viewerFromApiToken(prisma: PrismaClient, token: string | undefined): Promise<Viewer | null> {
  if (!token || !token.startsWith('pwt_') || token.length > 200) return null;
  const row = await prisma.apiToken.findUnique({
    where: { tokenHash: hashSecret(token) },
    include: { user: { select: { id: true, email: true, name: true } } },
  });
  if (!row || row.revokedAt) return null;
  await prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  return { userId: row.user.id, email: row.user.email, name: row.user.name, via: 'token' };
}

export const zTokenName = z.object({ name: z.string().trim().min(1).max(100) });

export async function createApiToken(prisma: PrismaClient, viewer: Viewer, name: string) {
  const { secret, hash } = newSecret('pwt');
  const row = await prisma.apiToken.create({ data: { userId: viewer.userId, name, tokenHash: hash, prefix: secret.slice(0, 12) } });
  return { id: row.id, name: row.name, prefix: row.prefix, createdAt: row.createdAt, token: secret };
}

export async function listApiTokens(prisma: PrismaClient, viewer: Viewer) {
  return prisma.apiToken.findMany({
    where: { userId: viewer.userId, revokedAt: null },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true },
    orderBy: { createdAt: 'desc' },
  });
}

export async function revokeApiToken(prisma: PrismaClient, viewer: Viewer, id: string): Promise<void> {
  const { count } = await prisma.apiToken.updateMany({ where: { id, userId: viewer.userId, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count === 0) throw new AppError('NOT_FOUND', 'token not found');
}
