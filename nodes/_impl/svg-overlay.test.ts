import { describe, expect, it } from 'vitest';
import { Bounds, escapeXml, inkBounds, rasteriseSvg } from './svg-overlay';
import { parseHexColour, svgPaint } from './colour';
import { boxCaption } from './box-svg';

describe('escapeXml', () => {
  it('escapes markup characters and drops those XML cannot hold', () => {
    expect(escapeXml(`<a href="x">Tom & 'Jerry'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;');
    expect(escapeXml('a\u0000b\u0007c\td\ue000\ud83d\ude00\ud800')).toBe('abc\td\ue000\ud83d\ude00');
  });
});

describe('Bounds', () => {
  it('clips to whole pixels inside the image', () => {
    const b = new Bounds();
    expect(b.clip(10, 10)).toBeUndefined();
    b.add(-3.5, 2.2, 4.1, 5);
    b.add(8, 1, 20, 3);
    expect(b.clip(10, 10)).toEqual({ x: 0, y: 1, width: 10, height: 4 });
  });
});

describe('rasteriseSvg', () => {
  it('renders a region of image coordinates to RGBA of its size', async () => {
    const layer = await rasteriseSvg({ x: 10, y: 20, width: 8, height: 6 }, '<rect x="12" y="22" width="3" height="2" fill="#fff"/>');
    expect([layer.width, layer.height, layer.channels]).toEqual([8, 6, 4]);
    expect(inkBounds(layer)).toEqual({ x: 2, y: 2, width: 3, height: 2 });
  });
});

describe('colours and captions', () => {
  it('parses hex colours with and without alpha', () => {
    expect(parseHexColour('#FF8000')).toEqual({ r: 255, g: 128, b: 0, a: 255 });
    expect(parseHexColour('#00000080')).toEqual({ r: 0, g: 0, b: 0, a: 128 });
    expect(() => parseHexColour('red')).toThrow(RangeError);
    expect(svgPaint('fill', '#01020380')).toBe('fill="rgb(1,2,3)" fill-opacity="0.5020"');
  });

  it('joins label and score', () => {
    expect(boxCaption({ x: 0, y: 0, width: 1, height: 1, label: 'cat', score: 0.9123 })).toBe('cat 0.91');
    expect(boxCaption({ x: 0, y: 0, width: 1, height: 1 })).toBe('');
  });
});
