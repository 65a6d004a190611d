#!/usr/bin/env node
// `npm start`: builds the Next.js app when the build is missing or older than the sources, applies
// database migrations, then serves it.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const buildId = join(root, '.next', 'BUILD_ID');
const sources = ['app', 'engine', 'nodes', 'server', 'next.config.js', 'package.json'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'generated' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

const next = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
const stale = !existsSync(buildId) || sources.some((s) => newestMtime(join(root, s)) > statSync(buildId).mtimeMs);
if (stale) {
  console.log('pixelwire: building the web app (first start or sources changed)…');
  const build = spawnSync(process.execPath, [next, 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
// Migrations are applied before the server starts (the app also applies them on first use, idempotently).
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const migrate = spawnSync(process.execPath, [tsx, join(root, 'scripts', 'db-migrate.ts')], { cwd: root, stdio: 'inherit' });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const port = process.env.PORT ?? '3000';
const server = spawn(process.execPath, [next, 'start', '-p', port], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
