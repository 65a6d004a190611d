import { describe, expect, it } from 'vitest';
import { shownText } from './shown-value';

const image = { kind: 'image' as const, artifactId: 'a'.repeat(64), mediaType: 'image/png' as const, width: 640, height: 480, channels: 3 as const, preview: { artifactId: 'b'.repeat(64), width: 512, height: 384, mediaType: 'image/webp' as const } };

describe('shownText', () => {
  it('draws text as it is, numbers and booleans as text', () => {
    expect(shownText({ kind: 'text', value: 'Invoice\n42' })).toBe('Invoice\n42');
    expect(shownText({ kind: 'number', value: 0.25 })).toBe('0.25');
    expect(shownText({ kind: 'boolean', value: false })).toBe('false');
  });

  it('pretty-prints json, and boxes after their count', () => {
    expect(shownText({ kind: 'json', value: { a: [1, 2] } })).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    expect(shownText({ kind: 'boxes', value: [{ x: 1, y: 2, width: 3, height: 4 }] })).toBe('1 box\n[\n  {\n    "x": 1,\n    "y": 2,\n    "width": 3,\n    "height": 4\n  }\n]');
    expect(shownText({ kind: 'boxes', value: [] }).split('\n')[0]).toBe('0 boxes');
  });

  it('says what an image is (its picture is the preview)', () => {
    expect(shownText(image)).toBe('image 640×480, 3 channels');
    expect(shownText({ ...image, kind: 'mask', channels: 1 })).toBe('mask 640×480, 1 channel');
  });

  it('cuts long values and says how much is left', () => {
    expect(shownText({ kind: 'text', value: 'x'.repeat(30) }, 10)).toBe(`${'x'.repeat(10)}\n… 20 more characters`);
  });
});
