import { createHash } from 'node:crypto';
import { realpath, unlink, writeFile } from 'node:fs/promises';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * PGlite is PostgreSQL in single-user mode: two processes on one folder corrupt it, and PGlite itself does not
 * stop them. This lock does, and it dies with its holder: the holder listens on a local socket named after the
 * folder, which the operating system releases when the process ends, however it ends (crash, SIGKILL, a zombie
 * not yet reaped: a dead process holds no sockets). Nothing is taken over on a process id's word, so a reused
 * pid or a leftover file can never keep the database closed.
 *
 * - Linux: an abstract-namespace unix socket (no file; binding is atomic and fails while another process holds it).
 * - Windows: a named pipe (the same properties).
 * - Elsewhere: a unix socket file in the temp folder; a file left by a dead holder refuses connections and is
 *   replaced (two processes replacing the same stale file at the same instant is the one race left there).
 *
 * `<dataDir>.lock` still records the holder's pid, for people; it plays no part in deciding who holds the lock.
 */
export class DatabaseLockedError extends Error {
  override name = 'DatabaseLockedError';
  constructor(
    readonly lockPath: string,
    readonly pid: number,
  ) {
    super(
      `the embedded database is in use by ${pid > 0 ? `process ${pid}` : 'another process'} (${lockPath}); ` +
        'stop it first, or set DATABASE_URL to share a PostgreSQL database between processes',
    );
  }
}

/** Where the lock of a data folder listens: one address per folder (by its real path), per platform. */
export async function lockAddress(dataDir: string, platform: NodeJS.Platform = process.platform): Promise<string> {
  const absolute = resolve(dataDir);
  // The folder itself may not exist yet; its parent does (createDatabase makes it before locking).
  const parent = await realpath(dirname(absolute)).catch(() => dirname(absolute));
  const key = createHash('sha256').update(join(parent, basename(absolute))).digest('hex').slice(0, 40);
  if (platform === 'linux') return `\0pixelwire-pglite-${key}`;
  if (platform === 'win32') return `\\\\.\\pipe\\pixelwire-pglite-${key}`;
  return join(tmpdir(), `pixelwire-pglite-${key.slice(0, 24)}.sock`);
}

const heldHere = new Set<string>();

/** Takes the lock or throws DatabaseLockedError; the returned function releases it. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = `${dataDir}.lock`;
  const address = await lockAddress(dataDir);
  if (heldHere.has(address)) throw new DatabaseLockedError(lockPath, process.pid);
  const server = await listenOnce(address, lockPath);
  heldHere.add(address);
  await writeFile(lockPath, String(process.pid)).catch(() => {});
  return async () => {
    if (!heldHere.delete(address)) return;
    await new Promise<void>((done) => server.close(() => done()));
    await unlink(lockPath).catch(() => {});
  };
}

/** Listens on the lock's address; another live holder makes it DatabaseLockedError naming that holder's pid. */
async function listenOnce(address: string, lockPath: string): Promise<Server> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await listen(address);
    } catch (error) {
      if (!isCode(error, 'EADDRINUSE')) throw error;
      const holder = await askHolder(address);
      if (holder !== undefined) throw new DatabaseLockedError(lockPath, holder);
      // Only a socket file (not Linux, not Windows) outlives its process: replace a dead one, once.
      if (attempt > 0 || address.startsWith('\0') || address.startsWith('\\\\')) throw new DatabaseLockedError(lockPath, 0);
      await unlink(address).catch(() => {});
    }
  }
}

function listen(address: string): Promise<Server> {
  return new Promise((resolveServer, reject) => {
    // Whoever connects is told the holder's pid, then the connection closes.
    const server = createServer((socket) => socket.end(String(process.pid)));
    server.once('error', reject);
    server.listen(address, () => {
      server.off('error', reject);
      // The lock must not keep the process alive.
      server.unref();
      resolveServer(server);
    });
  });
}

/** The pid a live holder reports (0 when it says nothing), or undefined when nobody answers at the address. */
function askHolder(address: string): Promise<number | undefined> {
  return new Promise((resolvePid) => {
    const socket = createConnection(address);
    let text = '';
    const timer = setTimeout(() => socket.destroy(), 2000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => {
      clearTimeout(timer);
      resolvePid(undefined);
    });
    socket.on('close', (hadError) => {
      clearTimeout(timer);
      if (!hadError) resolvePid(Number.parseInt(text, 10) || 0);
    });
  });
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
