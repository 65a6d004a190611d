import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { DatabaseConfig } from './config';
import { lockDataDir } from './pglite-lock';
import { PrismaClient } from './generated/client';

/** Plain SQL on one connection, for migrations and locks (not for application queries). */
export interface SqlConnection {
  /** One statement, with $1… parameters. */
  query<Row extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** A script of several statements, sent as one simple query (one implicit transaction). */
  exec(script: string): Promise<void>;
}

export interface Database {
  readonly kind: DatabaseConfig['kind'];
  readonly prisma: PrismaClient;
  /** Runs `work` on one connection held for its whole duration. */
  withConnection<T>(work: (connection: SqlConnection) => Promise<T>): Promise<T>;
  /** Disconnects Prisma and closes the pool or the embedded database; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Opens the configured database: embedded PGlite in a folder (one process at a time, see
 * ./pglite-lock), or PostgreSQL through a pg pool. Apply migrations (./migrate) before
 * serving queries.
 */
export async function createDatabase(config: DatabaseConfig): Promise<Database> {
  return config.kind === 'pglite' ? openPglite(config.dataDir) : openPostgres(config.url);
}

async function openPglite(dataDir: string): Promise<Database> {
  let unlock = async () => {};
  if (!dataDir.startsWith('memory://')) {
    await mkdir(dataDir, { recursive: true });
    unlock = await lockDataDir(dataDir);
  }
  let pglite: PGlite;
  try {
    pglite = new PGlite(dataDir);
    await pglite.waitReady;
  } catch (error) {
    await unlock();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const connection = pgliteConnection(pglite);
  return {
    kind: 'pglite',
    prisma,
    withConnection: (work) => work(connection),
    close: once(async () => {
      try {
        await prisma.$disconnect();
        await pglite.close();
      } finally {
        await unlock();
      }
    }),
  };
}

/** PGlite has a single connection; Prisma's queries may interleave with these. */
export function pgliteConnection(pglite: PGlite): SqlConnection {
  return {
    async query<Row>(sql: string, params?: unknown[]) {
      return (await pglite.query<Row>(sql, params)).rows;
    },
    async exec(script) {
      await pglite.exec(script);
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url });
  // An idle client losing its server connection emits 'error' on the pool; without a
  // listener that would crash the process. The next checkout simply opens a new one.
  pool.on('error', () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: 'postgres',
    prisma,
    async withConnection(work) {
      const client = await pool.connect();
      let failed = false;
      try {
        return await work({
          async query<Row extends Record<string, unknown>>(sql: string, params?: unknown[]) {
            return (await client.query<Row>(sql, params)).rows;
          },
          async exec(script) {
            await client.query(script);
          },
        });
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        // After a failure the session may hold locks or an aborted transaction: discard it.
        client.release(failed);
      }
    },
    close: once(async () => {
      await prisma.$disconnect();
      await pool.end();
    }),
  };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
