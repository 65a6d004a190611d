import type { NodeRunState } from './run-store';
import { isInnerNodeId } from './run-rollup';

const finished = new Set<NodeRunState['status']>(['done', 'cached', 'failed', 'skipped']);

/**
 * Whole-run progress: the canvas's nodes (a pipeline node once) that are finished count 1 each, a running node
 * its reported progress (0 until it reports), over all of them.
 */
export function runProgress(nodes: Record<string, NodeRunState>): { done: number; total: number; fraction: number } {
  const all = Object.entries(nodes).filter(([id]) => !isInnerNodeId(id)).map(([, n]) => n);
  let weighted = 0;
  let done = 0;
  for (const node of all) {
    if (finished.has(node.status)) {
      done += 1;
      weighted += 1;
    } else if (node.status === 'running') weighted += Math.min(1, Math.max(0, node.progress ?? 0));
  }
  return { done, total: all.length, fraction: all.length > 0 ? weighted / all.length : 0 };
}

/** Time left at the pace so far (elapsed / fraction done); undefined until there is a pace to go by. */
export function etaMs(elapsedMs: number, fraction: number): number | undefined {
  if (fraction < 0.02 || fraction >= 1 || elapsedMs < 500) return undefined;
  return (elapsedMs * (1 - fraction)) / fraction;
}

/** "about 12 s left", "about 2 min left". */
export function formatEta(ms: number | undefined): string {
  if (ms === undefined) return 'estimating time left…';
  if (ms < 1000) return 'less than a second left';
  if (ms < 60_000) return `about ${Math.ceil(ms / 1000)} s left`;
  return `about ${Math.round(ms / 60_000)} min left`;
}
