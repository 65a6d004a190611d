import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseConfigError, databaseConfigFromEnv, describeDatabase } from '../../server/db/config';
import { DatabaseLockedError, lockDataDir } from '../../server/db/pglite-lock';

describe('database config from the environment', () => {
  it('defaults to PGlite under ./data/pglite', () => {
    expect(databaseConfigFromEnv({})).toEqual({ kind: 'pglite', dataDir: resolve('data/pglite') });
    expect(databaseConfigFromEnv({ DATABASE_URL: '', PIXELWIRE_DATA_DIR: '/srv/pw' })).toEqual({ kind: 'pglite', dataDir: join(resolve('/srv/pw'), 'pglite') });
  });

  it('uses PostgreSQL when DATABASE_URL is set, and masks its password in logs', () => {
    const config = databaseConfigFromEnv({ DATABASE_URL: 'postgresql://app:s3cret@db:5432/pixelwire' });
    expect(config).toEqual({ kind: 'postgres', url: 'postgresql://app:s3cret@db:5432/pixelwire' });
    expect(describeDatabase(config)).not.toContain('s3cret');
  });

  it('rejects a URL for another database', () => {
    expect(() => databaseConfigFromEnv({ DATABASE_URL: 'mysql://db/x' })).toThrow(DatabaseConfigError);
  });
});

describe('PGlite folder lock', () => {
  const folders: string[] = [];
  afterAll(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));
  const dataDir = async () => {
    const folder = await mkdtemp(join(tmpdir(), 'pw-lock-'));
    folders.push(folder);
    return join(folder, 'pglite');
  };

  it('lets one holder at a time open a folder', async () => {
    const dir = await dataDir();
    const release = await lockDataDir(dir);
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DatabaseLockedError);
    await release();
    await (await lockDataDir(dir))();
  });

  it('refuses a folder held by a live process and takes over one whose holder died', async () => {
    const dir = await dataDir();
    await writeFile(`${dir}.lock`, String(process.ppid));
    await expect(lockDataDir(dir)).rejects.toMatchObject({ pid: process.ppid });

    const exited = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(`${dir}.lock`, String(exited));
    const release = await lockDataDir(dir);
    expect(await readFile(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
    await release();
  });
});
