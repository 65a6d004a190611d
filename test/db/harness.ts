import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createDatabase, type Database } from '../../server/db/client';
import type { DatabaseConfig } from '../../server/db/config';

/**
 * Both engines, for real: PGlite in a temp folder, and PostgreSQL in a fresh database
 * created per test file on the server named by PIXELWIRE_TEST_POSTGRES_URL (default: the
 * local one with trust auth). PIXELWIRE_TEST_POSTGRES=off leaves PostgreSQL out.
 */
export const engines: DatabaseConfig['kind'][] = process.env.PIXELWIRE_TEST_POSTGRES === 'off' ? ['pglite'] : ['pglite', 'postgres'];

const adminUrl = process.env.PIXELWIRE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  config: DatabaseConfig;
  /** Opens a Database on it; closed by dispose(). */
  open(): Promise<Database>;
  dispose(): Promise<void>;
}

export async function createTestDatabase(kind: DatabaseConfig['kind']): Promise<TestDatabase> {
  const opened: Database[] = [];
  const open = async () => {
    const db = await createDatabase(config);
    opened.push(db);
    return db;
  };
  const closeAll = () => Promise.all(opened.map((db) => db.close()));

  let config: DatabaseConfig;
  if (kind === 'pglite') {
    const folder = await mkdtemp(join(tmpdir(), 'pw-db-test-'));
    config = { kind, dataDir: join(folder, 'pglite') };
    await copyPgliteTemplate(config.dataDir);
    return {
      config,
      open,
      async dispose() {
        await closeAll();
        await rm(folder, { recursive: true, force: true });
      },
    };
  }

  const name = `pw_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  config = { kind, url: url.toString() };
  return {
    config,
    open,
    async dispose() {
      await closeAll();
      await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `cannot reach PostgreSQL at ${adminUrl} for the database tests; start it, point ` +
        'PIXELWIRE_TEST_POSTGRES_URL at one, or set PIXELWIRE_TEST_POSTGRES=off',
      { cause: error },
    );
  }
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A freshly initialised, empty PGlite folder to copy: initdb takes seconds, a copy
 * milliseconds. Made once per PGlite version and kept in node_modules/.cache between runs.
 */
export async function pgliteTemplate(): Promise<string> {
  const modules = fileURLToPath(new URL('../../node_modules', import.meta.url));
  const { version } = JSON.parse(readFileSync(join(modules, '@electric-sql/pglite/package.json'), 'utf8'));
  const template = join(modules, '.cache', `pixelwire-pglite-template-${version}`);
  if (await stat(join(template, 'PG_VERSION')).then(() => true, () => false)) return template;
  await mkdir(join(modules, '.cache'), { recursive: true });
  const building = `${template}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const pglite = new PGlite(building);
  await pglite.waitReady;
  await pglite.close();
  // Another worker may have finished first; either copy will do.
  await rename(building, template).catch(() => rm(building, { recursive: true, force: true }));
  return template;
}

/** Copies the template to `dataDir` (a thousand small files: cp(1) is several times faster). */
export async function copyPgliteTemplate(dataDir: string): Promise<void> {
  const template = await pgliteTemplate();
  if (process.platform === 'win32') await cp(template, dataDir, { recursive: true });
  else await promisify(execFile)('cp', ['-R', template, dataDir]);
}
