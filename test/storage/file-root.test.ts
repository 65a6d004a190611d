import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isNodeError } from '../../nodes/errors';
import { createFileRoot, readRegularFile } from '../../server/storage/file-root';
import { runCli } from '../helpers/run-cli';

// Issue 12, item 19: only regular files are read, never more than the limit. A FIFO inside the file root used to
// block the run (and its worker) until it was cancelled; `--input photo=/dev/zero` never finished.

const root = mkdtempSync(join(tmpdir(), 'pw-file-root-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'sub'));
writeFileSync(join(root, 'small.bin'), Buffer.alloc(100, 7));
execFileSync('mkfifo', [join(root, 'pipe.png')]);
symlinkSync(join(root, 'pipe.png'), join(root, 'link-to-pipe.png'));

/** The NodeError code a call fails with, or 'OK'; a call that does not settle within 3 s is 'blocked'. */
async function codeOf(call: Promise<unknown>): Promise<string> {
  const blocked = new Promise<string>((resolve) => setTimeout(() => resolve('blocked'), 3000).unref());
  return Promise.race([
    call.then(
      () => 'OK',
      (error: unknown) => (isNodeError(error) ? `${error.code}${error.details.param ? ` (${error.details.param})` : ''}` : String(error)),
    ),
    blocked,
  ]);
}

describe('file root: regular files only, bounded', () => {
  const files = createFileRoot(root);

  it('reads a regular file within the limit, exactly at it, and refuses one byte more', async () => {
    expect(await files.read('small.bin', 100)).toEqual(Buffer.alloc(100, 7));
    expect(await codeOf(files.read('small.bin', 99))).toBe('image_too_large (path)');
  });

  it('refuses a FIFO at once, by name or through a symlink, for read and stat', async () => {
    expect(await codeOf(files.read('pipe.png', 1000))).toBe('file_not_found (path)');
    expect(await codeOf(files.read('link-to-pipe.png', 1000))).toBe('file_not_found (path)');
    expect(await codeOf(files.stat('pipe.png'))).toBe('file_not_found (path)');
    expect(await codeOf(files.read('sub', 1000))).toBe('file_not_found (path)');
  });

  it('readRegularFile refuses devices and reads no more than the limit plus one byte', async () => {
    expect(await codeOf(readRegularFile('/dev/zero', 1000))).toBe('file_not_found');
    // A file whose size says 0 while it has content (as /proc files do) is still bounded by what is read.
    expect(await codeOf(readRegularFile('/proc/self/status', 10))).toBe('image_too_large');
    expect((await readRegularFile('/proc/self/status', 1 << 20)).toString()).toContain('Name:');
  });
});

describe('pixelwire run: input files', () => {
  it('refuses --input photo=/dev/zero and a FIFO at once (exit 2)', async () => {
    for (const path of ['/dev/zero', join(root, 'pipe.png')]) {
      const started = performance.now();
      const exit = await runCli(['run', 'examples/watermark.json', '--input', `photo=${path}`, '--no-cache', '--out', join(root, 'out')]);
      expect(exit.code, exit.stderr).toBe(2);
      expect(exit.stderr).toMatch(/not a regular file/);
      expect(performance.now() - started).toBeLessThan(20_000);
    }
  });

  it('refuses a graph file that is not a regular file', async () => {
    const exit = await runCli(['validate', join(root, 'pipe.png')]);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(/not a regular file/);
  });
});
