import { createImage, type PixelImage } from '../pixel-image';
import { minAreaRect, orderQuad, rectCorners, type Point, type Quad } from './geometry';

/**
 * Detection in overlapping tiles, for images so large that one scaled copy would shrink
 * their text below what the detector sees (24 px text on a 6000 px scan at maxSide 1536
 * becomes 6 px). Each tile is detected at full resolution; the regions are then put back
 * in image coordinates and the pieces of lines that a seam cut, or that two tiles both
 * saw, are merged.
 */

export interface Tile {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface TiledRegion {
  quad: Quad;
  score: number;
  /** It touches a seam between tiles, so it may be a piece of a longer region. */
  cut: boolean;
}

/** Tiles of at most `size` covering width × height, neighbours sharing `overlap` pixels. */
export function tileGrid(width: number, height: number, size: number, overlap: number): Tile[] {
  const starts = (length: number) => {
    if (length <= size) return [0];
    const count = Math.ceil((length - overlap) / (size - overlap));
    const stride = (length - size) / (count - 1);
    return Array.from({ length: count }, (_, i) => Math.round(i * stride));
  };
  const tiles: Tile[] = [];
  for (const y of starts(height)) {
    for (const x of starts(width)) tiles.push({ x, y, width: Math.min(size, width - x), height: Math.min(size, height - y) });
  }
  return tiles;
}

/** A copy of one tile of an RGB image. */
export function cropTile(rgb: PixelImage, tile: Tile): PixelImage {
  const rowBytes = tile.width * 3;
  const out = Buffer.allocUnsafe(rowBytes * tile.height);
  for (let row = 0; row < tile.height; row++) {
    const from = ((tile.y + row) * rgb.width + tile.x) * 3;
    rgb.data.copy(out, row * rowBytes, from, from + rowBytes);
  }
  return createImage(tile.width, tile.height, 3, out);
}

/** Regions found in a tile, moved to image coordinates and marked when they come within `margin` of a seam (an edge shared with another tile: the detector's box around text cut by the edge stops a few pixels short of it). */
export function placeRegions(regions: readonly { quad: Quad; score: number }[], tile: Tile, imageWidth: number, imageHeight: number, margin = 12): TiledRegion[] {
  const seams = {
    left: tile.x > 0 ? tile.x + margin : -Infinity,
    top: tile.y > 0 ? tile.y + margin : -Infinity,
    right: tile.x + tile.width < imageWidth ? tile.x + tile.width - margin : Infinity,
    bottom: tile.y + tile.height < imageHeight ? tile.y + tile.height - margin : Infinity,
  };
  return regions.map((r) => {
    const quad = r.quad.map(([x, y]): Point => [x + tile.x, y + tile.y]) as Quad;
    const xs = quad.map((p) => p[0]);
    const ys = quad.map((p) => p[1]);
    const cut = Math.min(...xs) <= seams.left || Math.min(...ys) <= seams.top || Math.max(...xs) >= seams.right || Math.max(...ys) >= seams.bottom;
    return { quad, score: r.score, cut };
  });
}

interface Frame {
  u: Point;
  v: Point;
  height: number;
  angle: number;
}

function frameOf(quad: Quad): Frame {
  const [tl, tr, , bl] = orderQuad(quad);
  const along = Math.hypot(tr[0] - tl[0], tr[1] - tl[1]) || 1;
  const u: Point = [(tr[0] - tl[0]) / along, (tr[1] - tl[1]) / along];
  return { u, v: [-u[1], u[0]], height: Math.hypot(bl[0] - tl[0], bl[1] - tl[1]), angle: Math.atan2(u[1], u[0]) };
}

function interval(quad: Quad, axis: Point): [number, number] {
  const d = quad.map((p) => p[0] * axis[0] + p[1] * axis[1]);
  return [Math.min(...d), Math.max(...d)];
}

function overlapOf(a: [number, number], b: [number, number]): number {
  return Math.min(a[1], b[1]) - Math.max(a[0], b[0]);
}

/**
 * Whether two regions are pieces of one line of text: the same direction and height, on
 * the same line (their extents across it overlap by half the smaller height), and touching
 * or overlapping along it.
 */
export function samePiece(a: Quad, b: Quad): boolean {
  const fa = frameOf(a);
  const fb = frameOf(b);
  let turn = Math.abs(fa.angle - fb.angle) % Math.PI;
  if (turn > Math.PI / 2) turn = Math.PI - turn;
  if (turn > (8 * Math.PI) / 180) return false;
  const low = Math.min(fa.height, fb.height);
  const high = Math.max(fa.height, fb.height);
  if (low <= 0 || high / low > 1.6) return false;
  if (overlapOf(interval(a, fa.v), interval(b, fa.v)) < 0.5 * low) return false;
  return overlapOf(interval(a, fa.u), interval(b, fa.u)) >= -2;
}

/** Whether two regions cover mostly the same place (a word both tiles saw whole). */
function duplicates(a: Quad, b: Quad): boolean {
  const box = (q: Quad) => ({ x0: Math.min(...q.map((p) => p[0])), x1: Math.max(...q.map((p) => p[0])), y0: Math.min(...q.map((p) => p[1])), y1: Math.max(...q.map((p) => p[1])) });
  const p = box(a);
  const q = box(b);
  const w = Math.min(p.x1, q.x1) - Math.max(p.x0, q.x0);
  const h = Math.min(p.y1, q.y1) - Math.max(p.y0, q.y0);
  if (w <= 0 || h <= 0) return false;
  const area = (r: typeof p) => (r.x1 - r.x0) * (r.y1 - r.y0);
  return (w * h) / Math.min(area(p), area(q)) > 0.6;
}

/** Joins pieces of lines cut by seams and copies seen by two tiles; regions away from seams are kept as found. */
export function mergeTiledRegions(regions: readonly TiledRegion[]): { quad: Quad; score: number }[] {
  const parent = regions.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let i = 0; i < regions.length; i++) {
    for (let j = i + 1; j < regions.length; j++) {
      const a = regions[i]!;
      const b = regions[j]!;
      if (((a.cut || b.cut) && samePiece(a.quad, b.quad)) || duplicates(a.quad, b.quad)) parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, TiledRegion[]>();
  regions.forEach((r, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), r]);
  });
  return [...groups.values()].map((group) => {
    if (group.length === 1) return { quad: group[0]!.quad, score: group[0]!.score };
    const quad = orderQuad(rectCorners(minAreaRect(group.flatMap((r) => r.quad))));
    return { quad, score: Math.max(...group.map((r) => r.score)) };
  });
}
