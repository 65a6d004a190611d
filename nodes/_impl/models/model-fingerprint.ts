import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';

/**
 * A node's cache fingerprint for the model files it reads: the sha256 of each file, or of
 * every file under a model folder (names included). Hashes are computed once per process and
 * file version (size, mtime, ctime, inode), so a run after the first costs one stat per file;
 * a model replaced by another file of the same name changes the fingerprint, and so the
 * node's cache key. Content hashes (not mtimes) make the keys of two workers with the same
 * models agree, so they share results through the ResultIndex. A missing path is "absent"
 * (the node then fails, and failures are never cached).
 */
export async function modelFingerprint(paths: readonly string[]): Promise<string> {
  const parts = await Promise.all(paths.map((path) => pathDigest(path)));
  return `models:${createHash('sha256').update(parts.join('\n')).digest('hex')}`;
}

async function pathDigest(path: string): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return `${basename(path)}=absent`;
  }
  // Names, not paths, so that workers with their models in other folders agree.
  if (!info.isDirectory()) return `${basename(path)}=${await fileSha256(path, info)}`;
  const files = (await readdir(path, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  const digests = await Promise.all(
    files.map(async (file) => {
      const fileInfo = await stat(file).catch(() => undefined);
      return `${relative(path, file)}=${fileInfo ? await fileSha256(file, fileInfo) : 'absent'}`;
    }),
  );
  return `${basename(path)}/{${digests.join(',')}}`;
}

/** sha256 by path, kept while the file keeps its size, mtime, ctime and inode. */
const hashes = new Map<string, { stamp: string; sha256: Promise<string> }>();

function fileSha256(path: string, info: { size: number; mtimeMs: number; ctimeMs: number; ino: number }): Promise<string> {
  const stamp = `${info.size}:${info.mtimeMs}:${info.ctimeMs}:${info.ino}`;
  const known = hashes.get(path);
  if (known?.stamp === stamp) return known.sha256;
  const sha256 = new Promise<string>((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
  hashes.set(path, { stamp, sha256 });
  sha256.catch(() => {
    if (hashes.get(path)?.sha256 === sha256) hashes.delete(path);
  });
  return sha256;
}

/**
 * The sha256 that names a model in provenance records: the file's own hash, or for a model
 * folder the hash of its `relative/path=sha256` lines (the same digests the fingerprint uses).
 * Undefined when the model is not installed.
 */
export async function modelSha256(path: string): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return undefined;
  if (!info.isDirectory()) return fileSha256(path, info);
  return createHash('sha256').update(await pathDigest(path)).digest('hex');
}
