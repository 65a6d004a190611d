import { describe, expect, it } from 'vitest';
import { freeSpot, GAP, layoutPositions, nudgeOverlaps, overlaps, rectOf } from './layout';

const node = (id: string, x: number, y: number, width = 240, height = 200) => ({ id, position: { x, y }, measured: { width, height }, data: {} });

describe('freeSpot', () => {
  it('keeps the asked position when it is free', () => {
    expect(freeSpot({ x: 0, y: 0 }, [rectOf(node('a', 600, 600))])).toEqual({ x: 0, y: 0 });
  });

  it('finds the nearest spot that overlaps nothing', () => {
    const taken = [rectOf(node('a', 0, 0)), rectOf(node('b', 0, 260))];
    const at = freeSpot({ x: 10, y: 10 }, taken);
    expect(taken.some((r) => overlaps({ ...at, width: 240, height: 160 }, r))).toBe(false);
    expect(Math.hypot(at.x - 10, at.y - 10)).toBeLessThan(400);
  });
});

describe('nudgeOverlaps', () => {
  it('moves a node that a grown neighbour covers below it, by measured size', () => {
    // a grew to 420 px high (preview and error) over b.
    const moved = nudgeOverlaps([node('a', 0, 0, 240, 420), node('b', 100, 300), node('c', 600, 0)]);
    expect(moved.get('b')).toEqual({ x: 100, y: 420 + GAP });
    expect(moved.has('a')).toBe(false);
    expect(moved.has('c')).toBe(false);
  });

  it('leaves nodes that do not overlap alone', () => {
    expect(nudgeOverlaps([node('a', 0, 0), node('b', 300, 0)]).size).toBe(0);
  });
});

describe('layoutPositions', () => {
  it('uses measured sizes so that tall nodes do not overlap', () => {
    const nodes = [node('a', 0, 0, 240, 500), node('b', 0, 0, 240, 500), node('c', 0, 0)];
    const edges = [
      { id: 'e1', source: 'a', target: 'c' },
      { id: 'e2', source: 'b', target: 'c' },
    ];
    const at = layoutPositions(nodes, edges);
    const rects = nodes.map((n) => rectOf({ ...n, position: at.get(n.id)! }));
    for (const [i, r] of rects.entries()) for (const s of rects.slice(i + 1)) expect(overlaps(r, s)).toBe(false);
  });
});
