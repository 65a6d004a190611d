import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/client';
import { applyMigrations, MigrationError, readMigrations } from '../../server/db/migrate';
import { createTestDatabase, engines, type TestDatabase } from './harness';

const committed = await readMigrations();

async function history(db: Database) {
  return db.withConnection((c) =>
    c.query<{ migration_name: string; checksum: string; finished_at: unknown }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
    ),
  );
}

async function tableExists(db: Database, name: string): Promise<boolean> {
  const rows = await db.withConnection((c) => c.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [name]));
  return rows[0]?.t != null;
}

describe.each(engines)('migrations on %s', (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  let scratch: string;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await testDb.open();
    scratch = await mkdtemp(join(tmpdir(), 'pw-migrations-'));
  });
  afterAll(async () => {
    await testDb?.dispose();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('applies every migration once from scratch, even when two callers start at once', async () => {
    // PostgreSQL: two pools, as two processes would have. PGlite: one instance, two calls.
    const other = kind === 'postgres' ? await testDb.open() : db;
    const [a, b] = await Promise.all([applyMigrations(db), applyMigrations(other)]);
    expect([...a.applied, ...b.applied]).toEqual(committed.map((m) => m.name));

    const rows = await history(db);
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(committed.map((m) => [m.name, m.checksum]));
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    expect(await tableExists(db, '"User"')).toBe(true);
  });

  it('does nothing the second time', async () => {
    expect(await applyMigrations(db)).toEqual({ applied: [], modified: [], unknown: [] });
    expect(await history(db)).toHaveLength(committed.length);
  });

  async function writeMigration(name: string, sql: string) {
    await mkdir(join(scratch, name), { recursive: true });
    await writeFile(join(scratch, name, 'migration.sql'), sql);
  }

  it('leaves no trace of a failing migration, and applies it once fixed', async () => {
    await writeMigration('20000101000000_scratch_ok', 'CREATE TABLE scratch_ok (id INT);\n');
    await writeMigration('20000101000001_scratch_bad', 'CREATE TABLE scratch_bad (id INT);\nSELECT 1/0;\n');

    const failure = await applyMigrations(db, { dir: scratch }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MigrationError);
    expect(failure).toMatchObject({ code: 'migration_failed', migration: '20000101000001_scratch_bad' });
    expect(await tableExists(db, 'scratch_ok')).toBe(true);
    expect(await tableExists(db, 'scratch_bad')).toBe(false);
    expect((await history(db)).map((r) => r.migration_name)).not.toContain('20000101000001_scratch_bad');

    await writeMigration('20000101000001_scratch_bad', 'CREATE TABLE scratch_bad (id INT);\n');
    const report = await applyMigrations(db, { dir: scratch });
    expect(report.applied).toEqual(['20000101000001_scratch_bad']);
    expect(report.unknown).toEqual(committed.map((m) => m.name));
    expect(await tableExists(db, 'scratch_bad')).toBe(true);
  });

  it('reports a migration edited after it was applied, but not one with other line endings', async () => {
    await writeMigration('20000101000000_scratch_ok', 'CREATE TABLE scratch_ok (id INT);\r\n');
    expect((await applyMigrations(db, { dir: scratch })).modified).toEqual([]);
    await writeMigration('20000101000000_scratch_ok', 'CREATE TABLE scratch_ok (id BIGINT);\n');
    expect((await applyMigrations(db, { dir: scratch })).modified).toEqual(['20000101000000_scratch_ok']);
  });

  it('refuses to go on past a migration that another tool left half-applied', async () => {
    await db.withConnection((c) =>
      c.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs) VALUES ('x', 'x', '20000101000002_broken', 'boom')`),
    );
    await expect(applyMigrations(db, { dir: scratch })).rejects.toMatchObject({
      code: 'failed_earlier',
      migration: '20000101000002_broken',
    });
    await db.withConnection((c) => c.query(`DELETE FROM "_prisma_migrations" WHERE id = 'x'`));
  });
});
