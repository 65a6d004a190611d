import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
export const distDir = process.env.PIXELWIRE_NEXT_DIST_DIR || '.next';

/** A lock older than this was left by a process that died while building. */
const staleLockMs = 20 * 60_000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs fn while holding a lock file (one process at a time); waits for the lock, breaking one left stale. */
function withLock(path: string, fn: () => void): void {
  for (;;) {
    try {
      closeSync(openSync(path, 'wx'));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(path).mtimeMs > staleLockMs) rmSync(path, { force: true });
      } catch {
        // The holder just released it: try again.
      }
      sleepSync(500);
    }
  }
  try {
    fn();
  } finally {
    rmSync(path, { force: true });
  }
}

function nextBuild(): void {
  const result = spawnSync(process.execPath, [nextBin, 'build'], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`next build failed:\n${result.stdout}\n${result.stderr}`);
}

let built = false;
/**
 * Builds the production app once per test run: vitest runs each test file in its own process, so the build is
 * stamped with the run's id (PIXELWIRE_TEST_RUN_ID, set by test/global-setup.ts) under a lock, and the other
 * files' processes of the same run reuse it. Without a run id (a bench) it builds once per process; with
 * PIXELWIRE_E2E_SKIP_BUILD=1 an existing build is used as it is.
 */
export function buildApp(): void {
  if (built) return;
  built = true;
  if (process.env.PIXELWIRE_E2E_SKIP_BUILD === '1' && existsSync(join(root, distDir, 'BUILD_ID'))) return;
  const runId = process.env.PIXELWIRE_TEST_RUN_ID;
  if (!runId) return nextBuild();
  mkdirSync(join(root, distDir), { recursive: true });
  const stamp = join(root, distDir, 'pixelwire-test-run');
  withLock(join(root, `${distDir}.build-lock`), () => {
    const done = existsSync(stamp) && readFileSync(stamp, 'utf8') === runId && existsSync(join(root, distDir, 'BUILD_ID'));
    if (done) return;
    try {
      nextBuild();
    } catch (error) {
      built = false;
      throw error;
    }
    writeFileSync(stamp, runId);
  });
}
