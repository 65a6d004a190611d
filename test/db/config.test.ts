import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatabaseConfigError, databaseConfigFromEnv, describeDatabase } from '../../server/db/config';

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

// The PGlite folder lock has its own tests: pglite-lock.test.ts.
