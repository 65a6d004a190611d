export const SESSION_COOKIE = 'pw_session';

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** An httpOnly, SameSite=Lax session cookie; maxAge 0 clears it. */
export function sessionCookie(token: string, expires: Date | undefined, secure: boolean): string {
  const parts = [`${SESSION_COOKIE}=${encodeURIComponent(token)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (expires) parts.push(`Expires=${expires.toUTCString()}`);
  else parts.push('Max-Age=0');
  if (secure) parts.push('Secure');
  return parts.join('; ');
}
