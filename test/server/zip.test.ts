import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { unzip, ZipFormatError } from '../../server/util/unzip';
import { zipStored } from '../../server/util/zip';

/** Rewrites the entries of a stored ZIP as deflated ones (method 8), as most zip tools write them. */
function deflated(entries: { name: string; bytes: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const { name, bytes } of entries) {
    const data = deflateRawSync(bytes);
    const header = (size: number, signature: number) => {
      const b = Buffer.alloc(size);
      b.writeUInt32LE(signature, 0);
      return b;
    };
    const local = header(30, 0x04034b50);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(bytes) >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(bytes.length, 22);
    local.writeUInt16LE(Buffer.byteLength(name), 26);
    const c = header(46, 0x02014b50);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(crc32(bytes) >>> 0, 16);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(bytes.length, 24);
    c.writeUInt16LE(Buffer.byteLength(name), 28);
    c.writeUInt32LE(offset, 42);
    parts.push(local, Buffer.from(name), data);
    central.push(c, Buffer.from(name));
    offset += 30 + Buffer.byteLength(name) + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

const limits = { maxEntries: 100, maxBytes: 1 << 20 };

describe('ZIP reading and writing', () => {
  it('reads back what zipStored writes, and deflated entries', () => {
    const files = [
      { name: 'a.png', bytes: Buffer.from('first file') },
      { name: 'dir/b.txt', bytes: Buffer.alloc(5000, 7) },
    ];
    expect(unzip(zipStored(files), limits)).toEqual(files);
    expect(unzip(deflated(files), limits)).toEqual(files);
  });

  it('skips folders and escaping names, and refuses too many entries, too many bytes or a damaged archive', () => {
    const files = [
      { name: '../evil.png', bytes: Buffer.from('x') },
      { name: '/abs.png', bytes: Buffer.from('x') },
      { name: 'ok.png', bytes: Buffer.from('fine') },
    ];
    expect(unzip(zipStored(files), limits).map((e) => e.name)).toEqual(['ok.png']);
    expect(() => unzip(zipStored(files), { maxEntries: 2, maxBytes: 1 << 20 })).toThrow(ZipFormatError);
    expect(() => unzip(deflated([{ name: 'big', bytes: Buffer.alloc(10_000) }]), { maxEntries: 10, maxBytes: 1000 })).toThrow(/more than 1000 bytes/);
    expect(() => unzip(Buffer.from('not a zip at all'), limits)).toThrow(/not a ZIP/);
    const zip = zipStored([{ name: 'cut.png', bytes: Buffer.alloc(100, 1) }]);
    expect(() => unzip(Buffer.concat([zip.subarray(0, 40), zip.subarray(zip.length - 22 - 46 - 7)]), limits)).toThrow(ZipFormatError);
  });
});
