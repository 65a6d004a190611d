import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildApp } from './build-app';

const root = resolve(import.meta.dirname, '../..');
const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface RunningApp {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** `next start` of the built app on a free port, with its own data folder (embedded PGlite, worker pool). */
export async function startApp(): Promise<RunningApp> {
  buildApp();
  const dataDir = await mkdtemp(join(tmpdir(), 'pw-e2e-'));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', PIXELWIRE_DATA_DIR: dataDir, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = `http://127.0.0.1:${port}`;
  // Next prints "Ready" once it listens; wait for that line (or an early exit), not a timer.
  await new Promise<void>((resolveReady, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready in/.test(output)) resolveReady();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`next start exited (${code}):\n${output}`)));
  });
  // The first API call opens and migrates the embedded database.
  const me = await fetch(`${url}/api/trpc/auth.me`);
  if (!me.ok) throw new Error(`the API did not answer: ${me.status}\n${output}`);
  return {
    url,
    dataDir,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
