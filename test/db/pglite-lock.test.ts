import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseLockedError, lockDataDir } from '../../server/db/pglite-lock';
import { repoRoot } from '../helpers/run-cli';

// Issue 12, item 11: the embedded database's lock dies with its holder. A pid in `<data>.lock` that is alive
// (reused by another program, or a zombie after SIGKILL) must not keep the database closed.

const folders: string[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
});

async function dataDir(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'pw-lock-'));
  folders.push(folder);
  return join(folder, 'pglite');
}

/** What a holder process runs: take the lock, say so with its pid, then idle until killed. */
const holderScript = (dir: string) =>
  `const { lockDataDir } = await import(${JSON.stringify(join(repoRoot, 'server/db/pglite-lock.ts'))});
   await lockDataDir(${JSON.stringify(dir)});
   console.log('locked ' + process.pid);
   setInterval(() => {}, 60_000);`;

/**
 * Starts a process holding the lock and resolves with its pid once it holds it. With `orphan`, the holder is
 * started by a shell that then becomes `sleep` (which never reaps children): killed, the holder stays a zombie
 * whose pid is still "alive" to kill(pid, 0).
 */
function startHolder(dir: string, orphan = false): Promise<number> {
  const node = [process.execPath, '--import', 'tsx', '--input-type=module', '-e', holderScript(dir)];
  const child = orphan
    ? spawn('sh', ['-c', `"$@" & exec sleep 60`, 'sh', ...node], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(node[0]!, node.slice(1), { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /locked (\d+)\n/.exec(out); // the whole line: output may arrive in pieces
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`holder exited (${code}) before taking the lock`)));
  });
}

const isZombie = (pid: number) => spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim().startsWith('Z');

describe('PGlite folder lock', () => {
  it('lets one holder at a time open a folder', async () => {
    const dir = await dataDir();
    const release = await lockDataDir(dir);
    expect(await readFile(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DatabaseLockedError);
    await release();
    await (await lockDataDir(dir))();
  });

  it('is not kept by a lock file naming a live process that does not hold it (a reused pid)', async () => {
    const dir = await dataDir();
    await writeFile(`${dir}.lock`, String(process.ppid));
    const release = await lockDataDir(dir);
    expect(await readFile(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
    await release();
  });

  it('refuses a folder another process holds, naming it, and is free the moment that process is killed', async () => {
    const dir = await dataDir();
    const pid = await startHolder(dir);
    await expect(lockDataDir(dir)).rejects.toMatchObject({ name: 'DatabaseLockedError', pid });
    process.kill(pid, 'SIGKILL');
    await expect.poll(async () => (await lockDataDir(dir).then((release) => release().then(() => 'free'), () => 'held')), { timeout: 5000 }).toBe('free');
  });

  it.runIf(process.platform === 'linux')('is free when its holder is a zombie (killed, not reaped)', async () => {
    const dir = await dataDir();
    const pid = await startHolder(dir, true);
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DatabaseLockedError);
    process.kill(pid, 'SIGKILL');
    await expect.poll(() => isZombie(pid), { timeout: 5000 }).toBe(true);
    // The old lock believed kill(pid, 0): a zombie "is alive", and the lock file still names it.
    expect(() => process.kill(pid, 0)).not.toThrow();
    expect(await readFile(`${dir}.lock`, 'utf8')).toBe(String(pid));
    const release = await lockDataDir(dir);
    await release();
  });
});
