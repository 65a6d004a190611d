import { minAreaRect, rectCorners, type Point, type Quad } from './geometry';

export interface DbOptions {
  /** Probability above which a pixel is text. */
  threshold: number;
  /** Boxes whose mean probability is lower are dropped. */
  boxThreshold: number;
  /** Polygon growth: offset = area × ratio / perimeter. */
  unclipRatio: number;
  maxCandidates: number;
}

export const defaultDbOptions: DbOptions = { threshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5, maxCandidates: 1000 };

export interface DetectedQuad {
  quad: Quad;
  score: number;
}

/**
 * DB post-processing: threshold the probability map, label 8-connected components,
 * fit a minimum-area rotated rectangle to each, score it by mean probability,
 * grow it by the unclip offset and scale it from map to image coordinates.
 */
export function dbPostprocess(
  prob: Float32Array,
  mapWidth: number,
  mapHeight: number,
  imageWidth: number,
  imageHeight: number,
  options: DbOptions = defaultDbOptions,
): DetectedQuad[] {
  const n = mapWidth * mapHeight;
  const labels = new Int32Array(n); // 0 unvisited, -1 visited
  const stack = new Int32Array(n);
  const sx = imageWidth / mapWidth;
  const sy = imageHeight / mapHeight;
  const out: DetectedQuad[] = [];
  for (let start = 0; start < n; start++) {
    if (labels[start] !== 0 || prob[start]! <= options.threshold) continue;
    // Flood fill; keep each row's leftmost and rightmost pixel.
    let top = 0;
    stack[top++] = start;
    labels[start] = -1;
    const rows = new Map<number, [number, number]>();
    let sum = 0;
    let count = 0;
    while (top > 0) {
      const p = stack[--top]!;
      const y = (p / mapWidth) | 0;
      const x = p - y * mapWidth;
      sum += prob[p]!;
      count++;
      const row = rows.get(y);
      if (!row) rows.set(y, [x, x]);
      else {
        if (x < row[0]) row[0] = x;
        if (x > row[1]) row[1] = x;
      }
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= mapHeight) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= mapWidth) continue;
          const q = yy * mapWidth + xx;
          if (labels[q] === 0 && prob[q]! > options.threshold) {
            labels[q] = -1;
            stack[top++] = q;
          }
        }
      }
    }
    if (count < 4) continue;
    const score = sum / count;
    if (score < options.boxThreshold) continue;
    const points: Point[] = [];
    for (const [y, [x0, x1]] of rows) points.push([x0, y], [x1 + 1, y], [x0, y + 1], [x1 + 1, y + 1]);
    const rect = minAreaRect(points);
    if (Math.min(rect.width, rect.height) < 3) continue;
    // Unclip: offsetting a rectangle outward by d adds 2d to each side.
    const area = rect.width * rect.height;
    const d = (area * options.unclipRatio) / (2 * (rect.width + rect.height));
    const grown = { ...rect, width: rect.width + 2 * d, height: rect.height + 2 * d };
    if (Math.min(grown.width, grown.height) < 5) continue;
    const quad = rectCorners(grown).map(([x, y]): Point => [
      Math.min(imageWidth, Math.max(0, x * sx)),
      Math.min(imageHeight, Math.max(0, y * sy)),
    ]) as Quad;
    out.push({ quad, score });
    if (out.length >= options.maxCandidates) break;
  }
  return out;
}
