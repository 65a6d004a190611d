import { bounds, type Point } from './geometry';

/**
 * Sorts items into reading order: lines top to bottom; items whose vertical centres
 * lie within half the smaller height of a row's first item share that row, left to right.
 */
export function readingOrder<T>(items: readonly T[], polygonOf: (item: T) => readonly Point[]): T[] {
  const boxed = items.map((item) => ({ item, b: bounds(polygonOf(item)) }));
  boxed.sort((a, b) => a.b.y + a.b.height / 2 - (b.b.y + b.b.height / 2) || a.b.x - b.b.x);
  const rows: (typeof boxed)[] = [];
  for (const entry of boxed) {
    const row = rows[rows.length - 1];
    const head = row?.[0];
    const cy = entry.b.y + entry.b.height / 2;
    if (row && head && Math.abs(cy - (head.b.y + head.b.height / 2)) <= Math.min(head.b.height, entry.b.height) / 2) row.push(entry);
    else rows.push([entry]);
  }
  return rows.flatMap((row) => row.sort((a, b) => a.b.x - b.b.x).map((e) => e.item));
}
