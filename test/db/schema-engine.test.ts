import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteConnection } from '../../server/db/client';
import { applyMigrations, defaultMigrationsDir, readMigrations } from '../../server/db/migrate';
import { migrationFolderName } from '../../scripts/db-new-migration';
import { applyWithSchemaEngine, diffDatabaseToSchema } from '../../scripts/db-schema-engine';
import { copyPgliteTemplate } from './harness';

// Prisma's own schema engine (WebAssembly) as the referee: the committed migrations must
// produce exactly schema.prisma, and our history table must read the same as Prisma's.
const schemaPath = new URL('../../prisma/schema.prisma', import.meta.url).pathname;
const committed = await readMigrations();
const folder = await mkdtemp(join(tmpdir(), 'pw-engine-test-'));
let pglite: PGlite;
const target: Parameters<typeof applyMigrations>[0] = { withConnection: (work) => work(pgliteConnection(pglite)) };

beforeAll(async () => {
  await copyPgliteTemplate(join(folder, 'pglite'));
  pglite = new PGlite(join(folder, 'pglite'));
});
afterAll(async () => {
  await pglite?.close();
  await rm(folder, { recursive: true, force: true });
});

describe('migrations against Prisma’s schema engine', () => {
  it('reads a history written by Prisma: same checksums, nothing to re-apply', async () => {
    expect(await applyWithSchemaEngine(pglite, defaultMigrationsDir, committed)).toEqual(committed.map((m) => m.name));
    expect(await applyMigrations(target)).toEqual({ applied: [], modified: [], unknown: [] });
  });

  it('builds exactly prisma/schema.prisma from the committed migrations (if not: npm run db:migration)', async () => {
    await pglite.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    expect((await applyMigrations(target)).applied).toEqual(committed.map((m) => m.name));
    expect(await diffDatabaseToSchema(pglite, schemaPath)).toBeUndefined();
    // And Prisma reads our history as complete.
    expect(await applyWithSchemaEngine(pglite, defaultMigrationsDir, committed)).toEqual([]);
  });
});

describe('migration folder names', () => {
  const now = new Date('2026-03-04T05:06:07Z');
  it('are a UTC timestamp and a snake_case name', () => {
    expect(migrationFolderName('Add run heartbeats', now, [])).toBe('20260304050607_add_run_heartbeats');
    expect(migrationFolderName('addRunHeartbeat', now, [])).toBe('20260304050607_add_run_heartbeat');
    expect(() => migrationFolderName('!!!', now, [])).toThrow();
  });
  it('sort after the last migration even when the clock is behind', () => {
    expect(migrationFolderName('next', now, ['20270101000000_init'])).toBe('20270101000001_next');
  });
});
