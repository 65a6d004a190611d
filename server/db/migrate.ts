import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, SqlConnection } from './client';

/** prisma/migrations in this checkout. */
export const defaultMigrationsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../prisma/migrations');

/** Same key as Prisma's own migrate commands, so they and we never migrate at once. */
const advisoryLockKey = 72707369;

const namePattern = /^\d{14}_[a-z0-9_]+$/;

export interface Migration {
  /** Folder name, e.g. 20260101120000_init; migrations apply in name order. */
  name: string;
  sql: string;
  /** sha256 (hex) of migration.sql, as Prisma records it. */
  checksum: string;
}

export interface MigrationReport {
  /** Applied by this call, in order. */
  applied: string[];
  /** Already applied, but migration.sql has changed since (the database was not changed). */
  modified: string[];
  /** Recorded in the database but absent here: the database is newer than this code. */
  unknown: string[];
}

export class MigrationError extends Error {
  override name = 'MigrationError';
  constructor(
    readonly code: 'migration_failed' | 'failed_earlier' | 'bad_migration_folder',
    readonly migration: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Reads <dir>/<timestamp>_<name>/migration.sql, in name order. */
export async function readMigrations(dir = defaultMigrationsDir): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      if (!namePattern.test(name)) {
        throw new MigrationError('bad_migration_folder', name, `migration folder "${name}" is not <14 digits>_<name>`);
      }
      const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: sha256(sql) };
    }),
  );
}

/**
 * Brings the database up to date with prisma/migrations, offline, on PGlite or PostgreSQL.
 *
 * History is kept in Prisma's `_prisma_migrations` table, in Prisma's format, so the
 * prisma CLI (where a native engine is available) sees the same state. Each migration and
 * its history row are sent as one simple query, which PostgreSQL runs as one transaction:
 * a failing migration leaves no trace and is retried by the next call. On PostgreSQL the
 * whole call holds Prisma's advisory lock, so processes starting together apply each
 * migration once. Idempotent: a second call applies nothing.
 */
export async function applyMigrations(
  db: Pick<Database, 'withConnection'>,
  options: { dir?: string } = {},
): Promise<MigrationReport> {
  const migrations = await readMigrations(options.dir);
  // The advisory lock is per session and PGlite has one session, so calls sharing a
  // database object in this process also wait for each other here.
  const previous = inFlight.get(db) ?? Promise.resolve();
  const run = previous.catch(() => {}).then(() =>
    db.withConnection(async (connection) => {
      await connection.query('SELECT pg_advisory_lock($1)', [advisoryLockKey]);
      try {
        return await applyLocked(connection, migrations);
      } finally {
        await connection.query('SELECT pg_advisory_unlock($1)', [advisoryLockKey]);
      }
    }),
  );
  inFlight.set(db, run);
  try {
    return await run;
  } finally {
    if (inFlight.get(db) === run) inFlight.delete(db);
  }
}

const inFlight = new WeakMap<object, Promise<unknown>>();

interface HistoryRow extends Record<string, unknown> {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
  logs: string | null;
}

async function applyLocked(connection: SqlConnection, migrations: Migration[]): Promise<MigrationReport> {
  await connection.exec(createHistoryTable);
  const history = await connection.query<HistoryRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM "_prisma_migrations" ORDER BY started_at',
  );
  const finished = new Map<string, string>();
  for (const row of history) {
    if (row.rolled_back_at !== null) continue;
    if (row.finished_at === null) {
      throw new MigrationError(
        'failed_earlier',
        row.migration_name,
        `migration ${row.migration_name} failed earlier and was left half-applied; ` +
          `repair the database, then mark it rolled back or applied (_prisma_migrations)` +
          (row.logs ? `\n${row.logs}` : ''),
      );
    }
    finished.set(row.migration_name, row.checksum);
  }

  const report: MigrationReport = { applied: [], modified: [], unknown: [] };
  const known = new Set(migrations.map((m) => m.name));
  report.unknown = [...finished.keys()].filter((name) => !known.has(name));
  for (const migration of migrations) {
    const checksum = finished.get(migration.name);
    if (checksum !== undefined) {
      if (!checksumMatches(migration.sql, checksum)) report.modified.push(migration.name);
      continue;
    }
    try {
      await connection.exec(`${migration.sql}\n;\n${historyInsert(migration)}`);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new MigrationError('migration_failed', migration.name, `migration ${migration.name} failed: ${reason}`, {
        cause,
      });
    }
    report.applied.push(migration.name);
  }
  return report;
}

// Prisma's own definition (schema engine, PostgreSQL flavour).
const createHistoryTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

function historyInsert(migration: Migration): string {
  // Literals only (a simple query takes no parameters): a UUID, a hex digest and a name
  // that matched namePattern, so nothing here needs escaping.
  return (
    'INSERT INTO "_prisma_migrations" ' +
    '("id", "checksum", "migration_name", "started_at", "finished_at", "applied_steps_count") ' +
    `VALUES ('${randomUUID()}', '${migration.checksum}', '${migration.name}', now(), now(), 1);`
  );
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Like Prisma: a checkout with other line endings (git on Windows) still matches. */
function checksumMatches(sql: string, checksum: string): boolean {
  const lf = sql.replace(/\r\n/g, '\n');
  return [sql, lf, lf.replace(/\n/g, '\r\n')].some((variant) => sha256(variant) === checksum);
}
