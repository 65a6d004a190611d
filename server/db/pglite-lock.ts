import { open, readFile, unlink } from 'node:fs/promises';

/**
 * PGlite is PostgreSQL in single-user mode: two processes on one folder corrupt it, and
 * PGlite itself does not stop them. This lock file beside the folder does: it records the
 * holder's pid, and a lock whose process is gone (a crash) is taken over.
 */
export class DatabaseLockedError extends Error {
  override name = 'DatabaseLockedError';
  constructor(
    readonly lockPath: string,
    readonly pid: number,
  ) {
    super(
      `the embedded database is in use by process ${pid} (${lockPath}); ` +
        'stop it first, or set DATABASE_URL to share a PostgreSQL database between processes',
    );
  }
}

const heldHere = new Set<string>();

/** Takes the lock or throws DatabaseLockedError; the returned function releases it. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = `${dataDir}.lock`;
  if (heldHere.has(lockPath)) throw new DatabaseLockedError(lockPath, process.pid);
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if (!isCode(error, 'EEXIST') || attempt > 0) throw error;
    }
    const text = await readFile(lockPath, 'utf8').catch(() => '');
    const pid = Number.parseInt(text, 10);
    // Our own pid here is a leftover of an earlier process (containers reuse pid 1).
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) throw new DatabaseLockedError(lockPath, pid);
    await unlink(lockPath).catch((error: unknown) => {
      if (!isCode(error, 'ENOENT')) throw error;
    });
  }
  heldHere.add(lockPath);
  return async () => {
    heldHere.delete(lockPath);
    await unlink(lockPath).catch(() => {});
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isCode(error, 'EPERM');
  }
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
