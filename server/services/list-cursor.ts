import { z } from 'zod';
import { AppError } from './app-error';

/**
 * Opaque list cursors: the position after the last item of a page — its sort time and id — never a reference
 * to look up. The next page is "the caller's items ordered after this position", so a cursor carries no
 * authority and reveals nothing: another user's id, a made-up one and a forged position all behave alike
 * (anything else that is not a cursor we made is BAD_REQUEST, whatever it names).
 */
export interface ListPosition {
  at: Date;
  id: string;
}

/** A cursor field of a list input: the text of encodeCursor. */
export const zCursor = z.string().max(200);

const zPosition = z.tuple([z.number().int().min(0).max(8.64e15), z.string().min(1).max(64)]);

export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([position.at.getTime(), position.id]), 'utf8').toString('base64url');
}

/** The position a cursor names; BAD_REQUEST for anything encodeCursor did not make. */
export function decodeCursor(cursor: string): ListPosition {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const parsed = zPosition.safeParse(raw);
  if (!parsed.success) throw new AppError('BAD_REQUEST', 'invalid cursor: pass back the nextCursor of the previous page');
  return { at: new Date(parsed.data[0]), id: parsed.data[1] };
}

