import { crc32, deflateSync, inflateSync } from 'node:zlib';

const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export class PngFormatError extends Error {
  override readonly name = 'PngFormatError';
}

interface Chunk {
  type: string;
  data: Buffer;
  /** Offset of the chunk's length field. */
  offset: number;
}

function* chunks(png: Buffer): Generator<Chunk> {
  if (png.length < 8 || !png.subarray(0, 8).equals(signature)) throw new PngFormatError('not a PNG file');
  let offset = 8;
  while (offset + 12 <= png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > png.length) throw new PngFormatError(`PNG chunk ${type} is truncated`);
    yield { type, data: png.subarray(offset + 8, offset + 8 + length), offset };
    if (type === 'IEND') return;
    offset = end;
  }
  throw new PngFormatError('PNG has no IEND chunk');
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Compressed iTXt: keyword, NUL, compression flag 1, method 0, empty language and translated keyword, zlib UTF-8 text. */
function itxt(keyword: string, text: string): Buffer {
  const head = Buffer.from(`${keyword}\0\x01\x00\0\0`, 'latin1');
  return chunk('iTXt', Buffer.concat([head, deflateSync(Buffer.from(text, 'utf8'))]));
}

/** Returns a copy of `png` with the entries inserted as iTXt chunks just before IEND. */
export function embedPngText(png: Buffer, entries: Record<string, string>): Buffer {
  let iend: Chunk | undefined;
  for (const c of chunks(png)) if (c.type === 'IEND') iend = c;
  if (!iend) throw new PngFormatError('PNG has no IEND chunk');
  const extra = Object.entries(entries).map(([k, v]) => itxt(k, v));
  return Buffer.concat([png.subarray(0, iend.offset), ...extra, png.subarray(iend.offset)]);
}

/** Reads tEXt and iTXt entries of a PNG (compressed or not). */
export function readPngText(png: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of chunks(png)) {
    if (c.type === 'tEXt') {
      const nul = c.data.indexOf(0);
      if (nul > 0) out[c.data.toString('latin1', 0, nul)] = c.data.toString('latin1', nul + 1);
    } else if (c.type === 'iTXt') {
      const nul = c.data.indexOf(0);
      if (nul <= 0) continue;
      const keyword = c.data.toString('latin1', 0, nul);
      const compressed = c.data[nul + 1] === 1;
      const langEnd = c.data.indexOf(0, nul + 3);
      const transEnd = c.data.indexOf(0, langEnd + 1);
      if (langEnd < 0 || transEnd < 0) continue;
      const body = c.data.subarray(transEnd + 1);
      out[keyword] = (compressed ? inflateSync(body) : body).toString('utf8');
    }
  }
  return out;
}
