import { describe, expect, it } from 'vitest';
import { createImage } from '../pixel-image';
import type { Quad } from './geometry';
import { cropTile, mergeTiledRegions, placeRegions, samePiece, tileGrid, type TiledRegion } from './tiles';

const rect = (x0: number, y0: number, x1: number, y1: number): Quad => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];
const piece = (quad: Quad, cut = true): TiledRegion => ({ quad, score: 0.9, cut });
const xSpan = (q: Quad) => [Math.round(Math.min(...q.map((p) => p[0]))), Math.round(Math.max(...q.map((p) => p[0])))];

describe('tiled detection geometry', () => {
  it('covers the image with tiles of at most the size, neighbours overlapping by at least the overlap', () => {
    const tiles = tileGrid(6000, 4000, 1536, 256);
    expect(tiles.every((t) => t.width <= 1536 && t.height <= 1536)).toBe(true);
    const xs = [...new Set(tiles.map((t) => t.x))];
    const ys = [...new Set(tiles.map((t) => t.y))];
    expect(tiles).toHaveLength(xs.length * ys.length);
    expect(xs[0]).toBe(0);
    expect(Math.max(...tiles.map((t) => t.x + t.width))).toBe(6000);
    expect(Math.max(...tiles.map((t) => t.y + t.height))).toBe(4000);
    for (let i = 1; i < xs.length; i++) expect(xs[i - 1]! + 1536 - xs[i]!).toBeGreaterThanOrEqual(256);
    expect(tileGrid(800, 600, 1536, 256)).toEqual([{ x: 0, y: 0, width: 800, height: 600 }]);
  });

  it('crops a tile of an RGB image', () => {
    const data = Buffer.from(Array.from({ length: 4 * 3 * 3 }, (_, i) => i));
    const tile = cropTile(createImage(4, 3, 3, data), { x: 1, y: 1, width: 2, height: 2 });
    expect(tile).toMatchObject({ width: 2, height: 2, channels: 3 });
    expect([...tile.data]).toEqual([15, 16, 17, 18, 19, 20, 27, 28, 29, 30, 31, 32]);
  });

  it('moves regions to image coordinates and marks those at a seam, not at the image border', () => {
    const tile = { x: 1000, y: 0, width: 1000, height: 800 };
    const [atSeam, inside, atBorder] = placeRegions(
      [
        { quad: rect(2, 100, 300, 130), score: 1 },
        { quad: rect(200, 300, 400, 330), score: 1 },
        { quad: rect(500, 0, 700, 20), score: 1 },
      ],
      tile,
      3000,
      800,
    );
    expect(atSeam).toMatchObject({ cut: true, quad: rect(1002, 100, 1300, 130) });
    expect(inside!.cut).toBe(false);
    // y = 0 is the image's own top edge: nothing was cut there.
    expect(atBorder!.cut).toBe(false);
  });

  it('joins the pieces of a line cut by seams, and a word two tiles both saw', () => {
    const merged = mergeTiledRegions([
      piece(rect(500, 3668, 1533, 3708)),
      piece(rect(1123, 3669, 2408, 3707)),
      piece(rect(2236, 3664, 2412, 3710)),
      piece(rect(4000, 100, 4200, 130), false),
      piece(rect(4001, 101, 4199, 131), true),
    ]);
    expect(merged).toHaveLength(2);
    expect(xSpan(merged[0]!.quad)).toEqual([500, 2412]);
    expect(xSpan(merged[1]!.quad)).toEqual([4000, 4200]);
  });

  it('keeps lines above one another, words apart on a line, and different sizes separate', () => {
    // Two lines 40 px apart (30 px high): their extents across the line do not overlap enough.
    expect(samePiece(rect(0, 0, 500, 30), rect(300, 40, 900, 70))).toBe(false);
    // Same line, a 40 px gap: not touching.
    expect(samePiece(rect(0, 0, 500, 30), rect(540, 0, 900, 30))).toBe(false);
    // A heading over body text, overlapping: heights too different.
    expect(samePiece(rect(0, 0, 500, 80), rect(400, 20, 900, 60))).toBe(false);
    // Words that merely touch on a seam-free part stay as found.
    expect(mergeTiledRegions([piece(rect(0, 0, 500, 30), false), piece(rect(499, 0, 900, 30), false)])).toHaveLength(2);
  });
});
