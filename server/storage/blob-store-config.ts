import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { BlobStore } from '../ports/blob-store';
import { CachedBlobStore } from './cached-blob-store';
import { DiskArtifactStore } from './disk-artifact-store';
import { S3BlobStore, safeEndpoint, type S3BlobStoreConfig } from './s3-blob-store';

/** An empty or blank variable (`PIXELWIRE_S3_BUCKET=` in an env file) counts as unset. */
const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : typeof value === 'string' ? value.trim() : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

const zBlobStoreEnv = z
  .object({
    /** Setting a bucket switches blobs from the local folder to S3. */
    PIXELWIRE_S3_BUCKET: optional(z.string().regex(/^[A-Za-z0-9._-]{3,255}$/, 'expected a bucket name (3 or more letters, digits, dots, hyphens)')),
    /** MinIO, R2 or another S3-compatible server; unset means AWS S3. */
    PIXELWIRE_S3_ENDPOINT: optional(z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })),
    PIXELWIRE_S3_REGION: optional(z.string().regex(/^[a-z0-9-]+$/, 'expected a region such as us-east-1 (R2: auto)')),
    PIXELWIRE_S3_PREFIX: optional(
      z
        .string()
        .transform((prefix) => prefix.replace(/^\/+|\/+$/g, ''))
        .pipe(z.string().regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'expected a key prefix of letters, digits, dots, hyphens and slashes')),
    ),
    PIXELWIRE_S3_FORCE_PATH_STYLE: optional(z.enum(['true', 'false'])),
    PIXELWIRE_S3_ACCESS_KEY_ID: optional(z.string()),
    PIXELWIRE_S3_SECRET_ACCESS_KEY: optional(z.string()),
    PIXELWIRE_BLOB_CACHE_MB: optional(z.coerce.number().int().positive()),
  })
  .superRefine((env, ctx) => {
    if ((env.PIXELWIRE_S3_ACCESS_KEY_ID === undefined) !== (env.PIXELWIRE_S3_SECRET_ACCESS_KEY === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.PIXELWIRE_S3_ACCESS_KEY_ID === undefined ? 'PIXELWIRE_S3_ACCESS_KEY_ID' : 'PIXELWIRE_S3_SECRET_ACCESS_KEY'],
        message: 'set both PIXELWIRE_S3_ACCESS_KEY_ID and PIXELWIRE_S3_SECRET_ACCESS_KEY, or neither (then the AWS SDK default chain is used)',
      });
    }
    if (env.PIXELWIRE_S3_BUCKET === undefined) {
      // S3 settings without a bucket would silently keep blobs on local disk.
      for (const key of ['PIXELWIRE_S3_ENDPOINT', 'PIXELWIRE_S3_PREFIX', 'PIXELWIRE_S3_FORCE_PATH_STYLE', 'PIXELWIRE_S3_ACCESS_KEY_ID'] as const) {
        if (env[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is set but PIXELWIRE_S3_BUCKET is not' });
      }
    }
  });

export interface BlobStoreOptions {
  /** Root of what this machine stores (PIXELWIRE_DATA_DIR). */
  dataDir: string;
  env: Record<string, string | undefined>;
}

export type BlobStoreSettings =
  | { kind: 'disk'; directory: string }
  | {
      kind: 's3';
      s3: S3BlobStoreConfig;
      /** The local read-through LRU. */
      cache: { directory: string; maxBytes: number };
    };

/** Where blobs go, from the environment, checked once; a bad value throws a readable message naming the variable. */
export function blobStoreSettingsFromEnv({ dataDir, env }: BlobStoreOptions): BlobStoreSettings {
  const parsed = zBlobStoreEnv.safeParse(env);
  if (!parsed.success) {
    throw new Error(`invalid blob store settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  const root = resolve(dataDir);
  if (e.PIXELWIRE_S3_BUCKET === undefined) return { kind: 'disk', directory: join(root, 'artifacts') };
  return {
    kind: 's3',
    s3: {
      bucket: e.PIXELWIRE_S3_BUCKET,
      prefix: e.PIXELWIRE_S3_PREFIX ?? 'pixelwire',
      region: e.PIXELWIRE_S3_REGION ?? 'us-east-1',
      endpoint: e.PIXELWIRE_S3_ENDPOINT,
      forcePathStyle: e.PIXELWIRE_S3_FORCE_PATH_STYLE === 'true',
      credentials:
        e.PIXELWIRE_S3_ACCESS_KEY_ID !== undefined && e.PIXELWIRE_S3_SECRET_ACCESS_KEY !== undefined
          ? { accessKeyId: e.PIXELWIRE_S3_ACCESS_KEY_ID, secretAccessKey: e.PIXELWIRE_S3_SECRET_ACCESS_KEY }
          : undefined,
    },
    cache: { directory: join(root, 'blob-cache'), maxBytes: (e.PIXELWIRE_BLOB_CACHE_MB ?? 2048) * 1024 * 1024 },
  };
}

/**
 * The blob store this process uses: the folder `<dataDir>/artifacts` by default;
 * with PIXELWIRE_S3_BUCKET set, the bucket read through an LRU at `<dataDir>/blob-cache`.
 * The server and its worker processes call this with the same environment, so they share one store.
 */
export function createBlobStore(options: BlobStoreOptions): BlobStore {
  const settings = blobStoreSettingsFromEnv(options);
  if (settings.kind === 'disk') return new DiskArtifactStore(settings.directory);
  return new CachedBlobStore(new S3BlobStore(settings.s3), settings.cache);
}

/** One line for logs and `doctor`: where blobs go. Names no key or secret, and strips user info from the endpoint. */
export function describeBlobStore(from: BlobStoreOptions | BlobStoreSettings): string {
  const settings = 'kind' in from ? from : blobStoreSettingsFromEnv(from);
  if (settings.kind === 'disk') return `local disk at ${settings.directory}`;
  const { s3, cache } = settings;
  const where = [
    `prefix ${s3.prefix}/`,
    `region ${s3.region}`,
    s3.endpoint ? `endpoint ${safeEndpoint(s3.endpoint)}` : 'AWS endpoint',
    ...(s3.forcePathStyle ? ['path-style'] : []),
    s3.credentials ? 'keys from PIXELWIRE_S3_ACCESS_KEY_ID/PIXELWIRE_S3_SECRET_ACCESS_KEY' : 'credentials from the AWS SDK default chain',
  ];
  return `S3 bucket ${s3.bucket} (${where.join(', ')}), cached locally up to ${Math.round(cache.maxBytes / 1024 / 1024)} MB at ${cache.directory}`;
}
