import { open, realpath, stat } from 'node:fs/promises';
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

  return {
    root: absoluteRoot,
    async stat(relativePath) {
      const info = await stat(await locate(relativePath));
      return { size: info.size, mtimeMs: info.mtimeMs };
    },
    async read(relativePath, maxBytes) {
      const handle = await open(await locate(relativePath), 'r');
      try {
        const info = await handle.stat();
        if (!info.isFile()) throw new NodeError('file_not_found', `"${relativePath}" is not a file`, { param: 'path' });
        if (info.size > maxBytes) {
          throw new NodeError('image_too_large', `"${relativePath}" is ${info.size} bytes; the limit is ${maxBytes}`, {
            param: 'path',
          });
        }
        return await handle.readFile();
      } finally {
        await handle.close();
      }
    },
  };
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function outside(path: string): NodeError {
  return new NodeError('path_outside_root', `"${path}" is outside the file root`, { param: 'path' });
}
