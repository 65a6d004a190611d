export interface OrderItem {
  id: string;
  dependants: readonly string[];
}

/**
 * Kahn's algorithm, stable in input order. Nodes left over sit on or behind a
 * cycle; each distinct cycle among them is returned as a list of ids.
 */
export function topologicalOrder(items: readonly OrderItem[]): { order: string[]; cycles: string[][] } {
  const indegree = new Map<string, number>();
  const byId = new Map<string, OrderItem>();
  for (const item of items) {
    byId.set(item.id, item);
    indegree.set(item.id, indegree.get(item.id) ?? 0);
    for (const d of item.dependants) indegree.set(d, (indegree.get(d) ?? 0) + 1);
  }
  const queue: string[] = items.filter((i) => indegree.get(i.id) === 0).map((i) => i.id);
  const order: string[] = [];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    order.push(id);
    for (const d of byId.get(id)?.dependants ?? []) {
      const left = indegree.get(d)! - 1;
      indegree.set(d, left);
      if (left === 0) queue.push(d);
    }
  }
  if (order.length === items.length) return { order, cycles: [] };
  const remaining = new Set(items.map((i) => i.id).filter((id) => !order.includes(id)));
  return { order, cycles: findCycles(remaining, byId) };
}

/** Finds cycles among the remaining nodes by walking dependants until a node repeats. */
function findCycles(remaining: Set<string>, byId: Map<string, OrderItem>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  for (const start of remaining) {
    if (done.has(start)) continue;
    const path: string[] = [];
    const onPath = new Map<string, number>();
    let current: string | undefined = start;
    while (current !== undefined && !done.has(current)) {
      if (onPath.has(current)) {
        cycles.push(path.slice(onPath.get(current)));
        break;
      }
      onPath.set(current, path.length);
      path.push(current);
      current = byId.get(current)?.dependants.find((d) => remaining.has(d) && !done.has(d));
    }
    for (const id of path) done.add(id);
  }
  return cycles;
}
