import { describe, expect, it } from 'vitest';
import { unzip, ZipFormatError } from '../../server/util/unzip';
import { zipStored } from '../../server/util/zip';
import { claimingSize, deflated } from '../helpers/zip-files';

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

  it('says why it refused: over a limit, damaged or unsupported; an entry that inflates past its declared size is damaged', () => {
    const problemOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error instanceof ZipFormatError ? error.problem : `not a ZipFormatError: ${String(error)}`;
      }
      return 'read';
    };
    const three = zipStored(['a', 'b', 'c'].map((name) => ({ name, bytes: Buffer.from(name) })));
    expect(problemOf(() => unzip(three, { maxEntries: 2, maxBytes: 1 << 20 }))).toBe('too_many_entries');
    expect(problemOf(() => unzip(three, { maxEntries: 10, maxBytes: 2 }))).toBe('too_large');
    expect(problemOf(() => unzip(Buffer.from('PK but nothing more'), limits))).toBe('damaged');
    const bomb = claimingSize(deflated([{ name: 'bomb.png', bytes: Buffer.alloc(200_000) }]), 100);
    expect(problemOf(() => unzip(bomb, limits))).toBe('damaged');
    const garbage = deflated([{ name: 'x.png', bytes: Buffer.alloc(100, 3) }]);
    garbage.fill(0xff, 30 + 'x.png'.length, 30 + 'x.png'.length + 4);
    expect(problemOf(() => unzip(garbage, limits))).toBe('damaged');
  });
});
