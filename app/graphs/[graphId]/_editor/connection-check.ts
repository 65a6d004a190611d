import { canConnect } from '../../../../nodes/ports';
import type { CatalogueItem } from './catalogue-store';
import type { PixelEdge, PixelNode } from './document-flow';

/** Why a connection is refused, or null when it is fine. Port kinds come from the catalogue; canConnect decides. */
export function connectionProblem(
  connection: { source: string; target: string; sourceHandle?: string | null; targetHandle?: string | null },
  nodes: PixelNode[],
  edges: PixelEdge[],
  byType: ReadonlyMap<string, CatalogueItem>,
): string | null {
  const { source, target, sourceHandle, targetHandle } = connection;
  if (source === target) return 'cannot connect a node to itself';
  const from = nodes.find((n) => n.id === source);
  const to = nodes.find((n) => n.id === target);
  if (!from || !to || !sourceHandle || !targetHandle) return 'connect an output to an input';
  const fromKind = byType.get(from.data.type)?.outputKinds.get(sourceHandle);
  const toKind = byType.get(to.data.type)?.inputKinds.get(targetHandle);
  if (!fromKind) return `${from.id} has no output "${sourceHandle}"`;
  if (!toKind) return `${to.id} has no input "${targetHandle}"`;
  if (!canConnect(fromKind, toKind)) return `cannot connect ${fromKind} to ${toKind}`;
  if (reaches(target, source, edges)) return 'that connection would make a cycle';
  return null;
}

/** Whether `to` is reachable from `from` along edges (ignoring the edge a connection would replace doesn't matter: it ends at `target`). */
function reaches(from: string, to: string, edges: PixelEdge[]): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of edges) if (e.source === id) stack.push(e.target);
  }
  return false;
}
