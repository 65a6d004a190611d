import { join, resolve } from 'node:path';
import { z } from 'zod';

const zDatabaseEnv = z.object({
  /** postgres:// or postgresql:// URL; unset means the embedded PGlite database. */
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Root of everything Pixelwire stores on this machine. */
  PIXELWIRE_DATA_DIR: z.string().trim().min(1).default('./data'),
});

export type DatabaseConfig =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; /** Folder of the embedded database; "memory://" keeps it in memory. */ dataDir: string };

export class DatabaseConfigError extends Error {
  override name = 'DatabaseConfigError';
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`invalid database settings: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

/** Reads DATABASE_URL and PIXELWIRE_DATA_DIR; the PGlite folder is <data dir>/pglite. */
export function databaseConfigFromEnv(env: Record<string, string | undefined> = process.env): DatabaseConfig {
  const parsed = zDatabaseEnv.safeParse(env);
  if (!parsed.success) {
    throw new DatabaseConfigError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const { DATABASE_URL, PIXELWIRE_DATA_DIR } = parsed.data;
  if (DATABASE_URL) return { kind: 'postgres', url: DATABASE_URL };
  return { kind: 'pglite', dataDir: join(resolve(PIXELWIRE_DATA_DIR), 'pglite') };
}

/** The config with any password in a URL masked, for logs. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === 'pglite') return `PGlite at ${config.dataDir}`;
  try {
    const url = new URL(config.url);
    if (url.password) url.password = '***';
    return `PostgreSQL at ${url.toString()}`;
  } catch {
    return 'PostgreSQL';
  }
}
