// Prisma's schema engine compiled to WebAssembly, driven over a PGlite database: the
// offline stand-in for the native engine that `prisma migrate` would download. Used by
// scripts/db-new-migration.ts and the migration tests; the server never loads it.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import {
  bindMigrationAwareSqlAdapterFactory,
  DriverAdapterError,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaContainer, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { Migration } from '../server/db/migrate';

type EngineModule = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

/** No externally managed tables or enums. */
export const noFilter = { externalTables: [], externalEnums: [] };

let engineModule: Promise<EngineModule> | undefined;

/**
 * The package's main entry imports the .wasm file as an ES module, which Node does not
 * do without flags; so load the JS glue and instantiate the WebAssembly ourselves.
 */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const require = createRequire(import.meta.url);
    const wasmPath = join(dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
    const module = await WebAssembly.compile(await readFile(wasmPath));
    const instance = await WebAssembly.instantiate(module, { './schema_engine_bg.js': glue as unknown as WebAssembly.ModuleImports });
    (glue as unknown as { __wbg_set_wasm(exports: unknown): void }).__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
    return glue;
  })();
  return engineModule;
}

/** Runs `work` with a schema engine connected to `pglite` (left open afterwards). */
export async function withSchemaEngine<T>(pglite: PGlite, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const glue = await loadEngineModule();
  const engine = await glue.SchemaEngine.new({ datamodels: undefined }, () => {}, bindMigrationAwareSqlAdapterFactory(adapterFactory(pglite)));
  try {
    return await work(engine);
  } finally {
    engine.free();
  }
}

function adapterFactory(pglite: PGlite): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaPGlite(pglite);
  return {
    provider: 'postgres',
    adapterName: inner.adapterName,
    async connect() {
      const adapter = await inner.connect();
      // pglite-prisma-adapter 0.7.2 starts the script without awaiting it, so a failing
      // migration would go unnoticed; run it properly.
      adapter.executeScript = async (script: string) => {
        try {
          await pglite.exec(script);
        } catch (error) {
          throw toDriverError(error);
        }
      };
      return adapter;
    },
    async connectToShadowDb() {
      throw new Error('no shadow database here: diff against a throwaway PGlite instead');
    },
  };
}

function toDriverError(error: unknown): unknown {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') return error;
  const field = (name: string) => {
    const value: unknown = (error as unknown as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : undefined;
  };
  return new DriverAdapterError({
    kind: 'postgres',
    code: error.code,
    severity: field('severity') ?? 'ERROR',
    message: error.message,
    detail: field('detail'),
    column: field('column'),
    hint: field('hint'),
  });
}

export async function readSchema(path: string): Promise<SchemaContainer[]> {
  return [{ path, content: await readFile(path, 'utf8') }];
}

/**
 * SQL that takes the database behind `pglite` to the schema, or undefined when they agree.
 * `_prisma_migrations` is ignored, as Prisma always does.
 */
export async function diffDatabaseToSchema(pglite: PGlite, schemaPath: string): Promise<string | undefined> {
  const files = await readSchema(schemaPath);
  return withSchemaEngine(pglite, async (engine) => {
    const result = await engine.diff({
      from: { tag: 'schemaDatasource', files, configDir: dirname(schemaPath) },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: true,
      filters: noFilter,
    });
    // With exitCode set, 0 means no difference and 2 a non-empty script.
    return result.exitCode === 0 || !result.stdout ? undefined : result.stdout;
  });
}

/** Applies migrations the way `prisma migrate deploy` does; returns the names it applied. */
export async function applyWithSchemaEngine(pglite: PGlite, migrationsDir: string, migrations: Migration[]): Promise<string[]> {
  const lockPath = join(migrationsDir, 'migration_lock.toml');
  const lockfile = await readFile(lockPath, 'utf8').catch(() => null);
  return withSchemaEngine(pglite, async (engine) => {
    const output = await engine.applyMigrations({
      migrationsList: {
        baseDir: migrationsDir,
        lockfile: { path: 'migration_lock.toml', content: lockfile },
        shadowDbInitScript: '',
        migrationDirectories: migrations.map((m) => ({
          path: m.name,
          migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: m.sql } },
        })),
      },
      filters: noFilter,
    });
    return output.appliedMigrationNames;
  });
}
