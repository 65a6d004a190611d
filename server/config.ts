import { resolve } from 'node:path';
import { z } from 'zod';

const zPositiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const zServerEnv = z.object({
  PIXELWIRE_DATA_DIR: z.string().trim().min(1).default('./data'),
  /** Folder image.load may read files from on the server; unset means no file access (uploads only). */
  PIXELWIRE_FILES_ROOT: z.string().trim().min(1).optional(),
  PIXELWIRE_WORKERS: zPositiveInt(2),
  PIXELWIRE_MAX_UPLOAD_BYTES: zPositiveInt(50 * 1024 * 1024),
  PIXELWIRE_MAX_PIXELS: zPositiveInt(100_000_000),
  PIXELWIRE_PREVIEW_MAX_SIDE: zPositiveInt(512),
  PIXELWIRE_SESSION_DAYS: zPositiveInt(30),
  /** Mark session cookies Secure (set when serving over HTTPS). */
  PIXELWIRE_SECURE_COOKIES: z.enum(['true', 'false']).default('false'),
  /** Trust X-Forwarded-For for the client address (set only behind a proxy that overwrites it). */
  PIXELWIRE_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  /** Password hashes (scrypt, sign-up and sign-in) computed at once; more wait in a bounded queue. */
  PIXELWIRE_MAX_PASSWORD_HASHES: zPositiveInt(2),
});

export interface ServerConfig {
  dataDir: string;
  filesRoot?: string;
  workers: number;
  maxUploadBytes: number;
  maxPixels: number;
  previewMaxSide: number;
  sessionDays: number;
  secureCookies: boolean;
  trustProxy: boolean;
  /** Read by server/auth/password.ts for the process's one hashing queue (scrypt runs on libuv's shared pool). */
  maxPasswordHashes?: number;
}

/** Server settings from the environment, checked once; a bad value stops start-up with a readable message. */
export function serverConfigFromEnv(env: Record<string, string | undefined> = process.env): ServerConfig {
  const parsed = zServerEnv.safeParse(env);
  if (!parsed.success) {
    throw new Error(`invalid settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  return {
    dataDir: resolve(e.PIXELWIRE_DATA_DIR),
    filesRoot: e.PIXELWIRE_FILES_ROOT ? resolve(e.PIXELWIRE_FILES_ROOT) : undefined,
    workers: e.PIXELWIRE_WORKERS,
    maxUploadBytes: e.PIXELWIRE_MAX_UPLOAD_BYTES,
    maxPixels: e.PIXELWIRE_MAX_PIXELS,
    previewMaxSide: e.PIXELWIRE_PREVIEW_MAX_SIDE,
    sessionDays: e.PIXELWIRE_SESSION_DAYS,
    secureCookies: e.PIXELWIRE_SECURE_COOKIES === 'true',
    trustProxy: e.PIXELWIRE_TRUST_PROXY === 'true',
    maxPasswordHashes: e.PIXELWIRE_MAX_PASSWORD_HASHES,
  };
}
