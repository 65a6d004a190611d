import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import type { GraphDocument } from '../engine/graph-document';
import { unzip } from '../server/util/unzip';
import { UsageError } from './cli-error';
import { splitAssignment } from './parse-values';

const imageExtensions = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.avif']);

/** A glob of the last path segment (`*` any run of characters, `?` one) as a regular expression. */
function segmentPattern(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** The images in a ZIP, written to a temporary folder (the CLI reads inputs from files). */
async function imagesInZip(path: string): Promise<string[]> {
  let entries;
  try {
    entries = unzip(await readFile(path), { maxEntries: 10_000, maxBytes: 4 * 1024 ** 3 });
  } catch (error) {
    throw new UsageError(`--input: ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'pixelwire-zip-'));
  const files: string[] = [];
  for (const [i, entry] of entries.entries()) {
    if (!imageExtensions.has(extname(entry.name).toLowerCase())) continue;
    // Numbered, so that two entries of the same name in different folders stay apart, in the ZIP's order.
    const file = join(dir, `${String(i).padStart(5, '0')}-${basename(entry.name)}`);
    await writeFile(file, entry.bytes);
    files.push(file);
  }
  return files;
}

/** Files an image input names: a glob in its last segment (`dir/*.jpg`), a folder or a ZIP (their images), or one file. */
async function filesOf(value: string): Promise<string[] | undefined> {
  if (extname(value).toLowerCase() === '.zip') return imagesInZip(value);
  if (/[*?]/.test(basename(value))) {
    if (/[*?]/.test(dirname(value))) throw new UsageError(`--input: only the file name may hold * or ? ("${value}")`);
    const dir = dirname(value);
    const pattern = segmentPattern(basename(value));
    const names = await readdir(dir).catch(() => {
      throw new UsageError(`--input: cannot read folder ${dir}`);
    });
    return names.filter((n) => pattern.test(n)).sort().map((n) => join(dir, n));
  }
  const info = await stat(value).catch(() => undefined);
  if (!info?.isDirectory()) return undefined;
  const names = await readdir(value);
  return names.filter((n) => imageExtensions.has(extname(n).toLowerCase())).sort().map((n) => join(value, n));
}

export interface BatchItem {
  /** The --input flags of this item, each naming one value. */
  inputs: string[];
  /** Names the item's output folder: its index and the file it was made from. */
  label: string;
}

/**
 * `--input photo='scans/*.jpg'` (quoted, so the shell leaves the pattern alone) or
 * `--input photo=scans/` runs the graph once per matching image: one item each, with
 * the other inputs unchanged. Without such an input there is one item.
 */
export async function expandBatchInputs(doc: GraphDocument, flags: string[]): Promise<{ items: BatchItem[]; batched: boolean }> {
  let batchAt = -1;
  let files: string[] = [];
  for (const [index, flag] of flags.entries()) {
    const [name, value] = splitAssignment(flag, '--input');
    const kind = doc.inputs.find((i) => i.name === name)?.kind;
    if (kind !== 'image' && kind !== 'mask') continue;
    const found = await filesOf(value);
    if (!found) continue;
    if (batchAt >= 0) throw new UsageError('only one --input may name several files (a pattern or a folder)');
    if (found.length === 0) throw new UsageError(`--input ${name}: no image matches "${value}"`);
    batchAt = index;
    files = found;
  }
  if (batchAt < 0) return { items: [{ inputs: flags, label: '' }], batched: false };
  const [name] = splitAssignment(flags[batchAt]!, '--input');
  const width = String(files.length).length;
  return {
    batched: true,
    items: files.map((file, i) => ({
      inputs: flags.map((flag, at) => (at === batchAt ? `${name}=${file}` : flag)),
      label: `${String(i + 1).padStart(width, '0')}-${basename(file, extname(file)).replace(/^\d{5}-/, '').replace(/[^A-Za-z0-9_.-]/g, '_')}`,
    })),
  };
}
