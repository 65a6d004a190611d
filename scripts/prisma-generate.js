#!/usr/bin/env node
// Generates the Prisma client (server/db/generated) offline; run by `npm install` (postinstall).
//
// `prisma generate` itself needs no native engine, but the CLI insists that the schema engine
// binary exists and would try to download it otherwise. Pointing PRISMA_SCHEMA_ENGINE_BINARY at
// any existing file satisfies that check; generation never executes it.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

let cli;
try {
  cli = join(dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
} catch {
  console.error('prisma-generate: the prisma package is not installed; run npm install.');
  process.exit(1);
}

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ||= process.execPath;
env.CHECKPOINT_DISABLE ??= '1'; // no update/telemetry check over the network
env.PRISMA_HIDE_UPDATE_MESSAGE ??= '1';

const result = spawnSync(process.execPath, [cli, 'generate', ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: 'inherit',
});
if (result.error) throw result.error;
process.exit(result.status ?? 1);
