import { crc32, deflateRawSync } from 'node:zlib';

/** Rewrites the entries of a stored ZIP as deflated ones (method 8), as most zip tools write them. */
export function deflated(entries: { name: string; bytes: Buffer }[]): Buffer {
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

/** A one-entry ZIP whose headers claim `size` bytes for the entry, whatever its data inflates to (a ZIP bomb's lie). */
export function claimingSize(zip: Buffer, size: number): Buffer {
  const copy = Buffer.from(zip);
  copy.writeUInt32LE(size, 22);
  copy.writeUInt32LE(size, copy.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24);
  return copy;
}
