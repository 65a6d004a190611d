import type { PixelEdge, PixelNode } from './document-flow';
import type { IoEdge } from './graph-io';

export interface Canvas {
  nodes: readonly PixelNode[];
  edges: readonly PixelEdge[];
  ioEdges: readonly IoEdge[];
}

/** JSON with object keys sorted, so that the same values give the same text whatever order they were set in. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** What a node's result depends on in the document: its type, version, params, bypass and what feeds its inputs and params. */
export function ownSignatures({ nodes, edges, ioEdges }: Canvas): Map<string, string> {
  const feeds = new Map<string, string[]>();
  for (const e of [...edges, ...ioEdges]) (feeds.get(e.target) ?? feeds.set(e.target, []).get(e.target)!).push(`${e.source}.${e.sourceHandle ?? ''}>${e.targetHandle ?? ''}`);
  return new Map(
    nodes.map((n) => [n.id, stableJson([n.data.type, n.data.typeVersion ?? null, n.data.params, (feeds.get(n.id) ?? []).sort(), n.data.bypass === true])]),
  );
}

/**
 * The nodes whose result no longer matches the document: their own signature differs from
 * the one the run started with (or they were not in it), or a node upstream of them changed.
 */
export function staleNodes(basis: ReadonlyMap<string, string>, canvas: Canvas): Set<string> {
  const now = ownSignatures(canvas);
  const upstream = new Map<string, string[]>();
  for (const e of canvas.edges) (upstream.get(e.target) ?? upstream.set(e.target, []).get(e.target)!).push(e.source);
  const memo = new Map<string, boolean>();
  const changed = (id: string, seen: Set<string>): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return false;
    seen.add(id);
    const result = basis.get(id) !== now.get(id) || (upstream.get(id) ?? []).some((u) => changed(u, seen));
    memo.set(id, result);
    return result;
  };
  return new Set([...now.keys()].filter((id) => changed(id, new Set())));
}

