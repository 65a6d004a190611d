import { resolve } from 'node:path';
import { z } from 'zod';
import { defaultRunTimeoutS } from './runs/run-deadline';

const zPositiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Defaults of the body and document limits, also used where a config object leaves them out (tests). */
export const defaultMaxRequestBytes = 8 * 1024 * 1024;
export const defaultMaxDocumentBytes = 4 * 1024 * 1024;

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
  /** Wall-clock limit of one run, in seconds; past it the run is stopped and fails with run_timeout. */
  PIXELWIRE_RUN_TIMEOUT_S: zPositiveInt(defaultRunTimeoutS),
  /** The app's own origin (https://pixelwire.example); cross-site checks compare browsers' Origin with it. */
  PIXELWIRE_PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .transform((url) => (url ? new URL(url).origin : undefined)),
  /** Largest body of an API request other than an upload (tRPC calls, JSON bodies), in bytes. */
  PIXELWIRE_MAX_REQUEST_BYTES: zPositiveInt(defaultMaxRequestBytes),
  /** Largest graph document saved or run, in bytes of JSON. */
  PIXELWIRE_MAX_DOCUMENT_BYTES: zPositiveInt(defaultMaxDocumentBytes),
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
  /** Wall-clock limit of a run in seconds (default defaultRunTimeoutS), carried in its job's limits. */
  runTimeoutS?: number;
  /** The app's origin (scheme, host, port); unset: the request's Host (and X-Forwarded-Host/Proto behind a trusted proxy). */
  publicOrigin?: string;
  /** Largest non-upload request body (default defaultMaxRequestBytes). */
  maxRequestBytes?: number;
  /** Read by server/services/document-size.ts for the process (graph saves and runs): largest document in bytes of JSON. */
  maxDocumentBytes?: number;
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
    runTimeoutS: e.PIXELWIRE_RUN_TIMEOUT_S,
    publicOrigin: e.PIXELWIRE_PUBLIC_URL,
    maxRequestBytes: e.PIXELWIRE_MAX_REQUEST_BYTES,
    maxDocumentBytes: e.PIXELWIRE_MAX_DOCUMENT_BYTES,
  };
}

/** The largest non-upload request body this server reads (PIXELWIRE_MAX_REQUEST_BYTES). */
export function maxRequestBytes(config: Pick<ServerConfig, 'maxRequestBytes'>): number {
  return config.maxRequestBytes ?? defaultMaxRequestBytes;
}
