import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { NodeError } from '../../nodes/errors';
import type { FileRoot } from '../../nodes/context';

/**
 * Read access confined to one directory. The requested path is resolved, then
 * its real path (symlinks followed) must still lie inside the root's real path.
 */
export function createFileRoot(root: string): FileRoot {
  const absoluteRoot = resolve(root);
  let realRoot: Promise<string> | undefined;

  async function locate(relativePath: string): Promise<string> {
    if (relativePath.includes('\0')) throw new NodeError('path_invalid', 'path contains a NUL byte', { param: 'path' });
    if (!relativePath.trim()) throw new NodeError('path_invalid', 'no path given', { param: 'path' });
    const target = resolve(absoluteRoot, relativePath);
    if (!inside(absoluteRoot, target)) throw outside(relativePath);
    realRoot ??= realpath(absoluteRoot);
    let real: string;
    try {
      real = await realpath(target);
    } catch {
      throw new NodeError('file_not_found', `no file "${relativePath}" under the file root`, { param: 'path' });
    }
    if (!inside(await realRoot, real)) throw outside(relativePath);
    return real;
  }

  /** The same errors with the param they concern: the node's path. */
  const onPath = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } catch (error) {
      if (error instanceof NodeError) throw new NodeError(error.code, error.message, { param: 'path' });
      throw error;
    }
  };

  return {
    root: absoluteRoot,
    async stat(relativePath) {
      return onPath(withRegularFile(await locate(relativePath), `"${relativePath}"`, async (_handle, info) => ({ size: info.size, mtimeMs: info.mtimeMs })));
    },
    async read(relativePath, maxBytes) {
      return onPath(readRegularFile(await locate(relativePath), maxBytes, `"${relativePath}"`));
    },
  };
}

/**
 * Opens a path for reading without ever blocking on it (O_NONBLOCK: opening a FIFO with no writer, or a device,
 * returns at once), then checks the opened descriptor — not the path, which could be swapped in between — is a
 * regular file before `use` reads it. Anything else (FIFO, socket, device, folder) is file_not_found.
 */
async function withRegularFile<T>(path: string, what: string, use: (handle: FileHandle, info: { size: number; mtimeMs: number }) => Promise<T>): Promise<T> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    throw new NodeError('file_not_found', `cannot open ${what}`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new NodeError('file_not_found', `${what} is not a regular file`);
    return await use(handle, info);
  } finally {
    await handle.close();
  }
}

/**
 * The bytes of a regular file, refusing anything else (see withRegularFile) and anything over maxBytes: at most
 * maxBytes + 1 bytes are ever read, whatever the file's size says (it may grow, or be a file whose size reads 0).
 * Errors are NodeErrors: file_not_found, image_too_large. `what` names the file in messages.
 */
export function readRegularFile(path: string, maxBytes: number, what = `"${path}"`): Promise<Buffer> {
  return withRegularFile(path, what, async (handle, info) => {
    const tooLarge = (size: string) => new NodeError('image_too_large', `${what} is ${size} bytes; the limit is ${maxBytes}`);
    if (info.size > maxBytes) throw tooLarge(String(info.size));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(`over ${maxBytes}`);
    }
    return Buffer.concat(chunks, total);
  });
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function outside(path: string): NodeError {
  return new NodeError('path_outside_root', `"${path}" is outside the file root`, { param: 'path' });
}
