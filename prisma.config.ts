import { defineConfig } from 'prisma/config';

// Read by the prisma CLI (`prisma generate`, run at install by scripts/prisma-generate.js).
// Migrations are created and applied by our own offline scripts (scripts/db-new-migration.ts,
// server/db/migrate.ts), which read the same paths; the CLI's migrate commands need a native
// schema engine that cannot be downloaded here.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL },
});
