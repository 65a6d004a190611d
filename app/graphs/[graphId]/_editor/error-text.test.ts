import { describe, expect, it } from 'vitest';
import { errorLines, stripServerPaths } from './error-text';

describe('stripServerPaths', () => {
  it('shortens absolute server paths to their file name', () => {
    expect(stripServerPaths('cannot read /work/main/models/style/candy.onnx: no such file')).toBe('cannot read …/candy.onnx: no such file');
    expect(stripServerPaths("ENOENT: open '/srv/pixelwire/data/files/ab12'")).toBe("ENOENT: open '…/ab12'");
    expect(stripServerPaths('at C:\\srv\\app\\x.js')).toBe('at …/x.js');
  });

  it('leaves URLs, relative paths and plain text alone', () => {
    const text = 'see /api/uploads/abc and https://example.com/work/x and models/style';
    expect(stripServerPaths(text)).toBe(text);
  });
});

describe('errorLines', () => {
  it('gives the first line for the node and everything (without paths) for details', () => {
    const { line, details } = errorLines('decode failed\n    at run (/work/main/nodes/x.ts:3:1)');
    expect(line).toBe('decode failed');
    expect(details).toBe('decode failed\n    at run (…/x.ts:3:1)');
  });
});
