// Applies prisma/migrations to the configured database: `npm run db:migrate`.
// DATABASE_URL selects PostgreSQL; otherwise the embedded PGlite under PIXELWIRE_DATA_DIR.
import { createDatabase } from '../server/db/client';
import { databaseConfigFromEnv, describeDatabase } from '../server/db/config';
import { applyMigrations } from '../server/db/migrate';

async function main(): Promise<void> {
  const config = databaseConfigFromEnv();
  const db = await createDatabase(config);
  try {
    const report = await applyMigrations(db);
    console.log(`${describeDatabase(config)}: ${report.applied.length ? `applied ${report.applied.join(', ')}` : 'already up to date'}`);
    for (const name of report.modified) console.warn(`warning: migration ${name} changed after it was applied`);
    for (const name of report.unknown) console.warn(`warning: the database has migration ${name}, which this checkout lacks`);
  } finally {
    await db.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
