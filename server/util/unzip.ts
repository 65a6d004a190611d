import { inflateRawSync } from 'node:zlib';

export interface UnzippedEntry {
  name: string;
  bytes: Buffer;
}

/** Why a ZIP was refused: over a limit (`too_many_entries`, `too_large`), or not a ZIP this reader can read. */
export type ZipProblem = 'too_many_entries' | 'too_large' | 'damaged' | 'unsupported';

export class ZipFormatError extends Error {
  override readonly name = 'ZipFormatError';
  constructor(
    message: string,
    readonly problem: ZipProblem = 'damaged',
  ) {
    super(message);
  }
}

/**
 * The files of a ZIP archive (stored or deflated entries, read from the central directory),
 * bounded: at most `maxEntries` files and `maxBytes` of content in all, each entry's size
 * checked before it is inflated. Folders and names with `..` or a leading `/` are skipped.
 */
export function unzip(zip: Buffer, limits: { maxEntries: number; maxBytes: number }): UnzippedEntry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || end + 22 > zip.length) throw new ZipFormatError('not a ZIP file (no end of central directory)');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  if (count > limits.maxEntries) throw new ZipFormatError(`the ZIP holds ${count} entries; at most ${limits.maxEntries}`, 'too_many_entries');
  const entries: UnzippedEntry[] = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50) throw new ZipFormatError('damaged ZIP central directory');
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + extra + comment;
    if (name.endsWith('/') || name.startsWith('/') || name.split('/').includes('..')) continue;
    total += size;
    if (total > limits.maxBytes) throw new ZipFormatError(`the ZIP's files hold more than ${limits.maxBytes} bytes`, 'too_large');
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== 0x04034b50) throw new ZipFormatError(`damaged ZIP entry ${name}`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressed);
    if (data.length !== compressed) throw new ZipFormatError(`truncated ZIP entry ${name}`);
    let bytes: Buffer;
    if (method === 0) bytes = Buffer.from(data);
    else if (method === 8) bytes = inflate(data, size, name);
    else throw new ZipFormatError(`ZIP entry ${name} uses compression method ${method}; only stored and deflated entries are read`, 'unsupported');
    if (bytes.length !== size) throw new ZipFormatError(`ZIP entry ${name} is not the size its header says`);
    entries.push({ name, bytes });
  }
  return entries;
}

/** A deflated entry, never inflated past the size its header declares; bad data is a damaged ZIP, not a crash. */
function inflate(data: Buffer, size: number, name: string): Buffer {
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, size) });
  } catch {
    throw new ZipFormatError(`damaged ZIP entry ${name}: its compressed data does not inflate to the size its header says`);
  }
}
