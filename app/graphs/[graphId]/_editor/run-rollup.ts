import type { NodeRunState } from './run-store';

/** Joins a pipeline node's id to its inner nodes' ids in run events (`pipe-x1/blur-k2`), as the server flattens them. */
export const PIPELINE_PATH_SEPARATOR = '/';

/** The canvas node an event's node id belongs to: itself, or the pipeline node it runs inside. */
export function canvasNodeOf(nodeId: string): string {
  const at = nodeId.indexOf(PIPELINE_PATH_SEPARATOR);
  return at < 0 ? nodeId : nodeId.slice(0, at);
}

export const isInnerNodeId = (nodeId: string) => nodeId.includes(PIPELINE_PATH_SEPARATOR);

const finished = (s: NodeRunState['status']) => s === 'done' || s === 'cached';

/**
 * The state of a pipeline node from its inner nodes' states: failed when any failed (with
 * that node's message), done or cached when all are, running with progress = finished
 * inner nodes / all while under way, skipped when the rest will not run, else queued. The
 * preview is the latest one any inner node sent (`latestPreview`), else the one it had.
 */
export function rollUp(nodes: Readonly<Record<string, NodeRunState>>, pipelineId: string, previous: NodeRunState | undefined, latestPreview?: string): NodeRunState {
  const prefix = `${pipelineId}${PIPELINE_PATH_SEPARATOR}`;
  const inner = Object.entries(nodes).filter(([id]) => id.startsWith(prefix));
  const previewUrl = latestPreview ?? previous?.previewUrl;
  const base = previewUrl ? { previewUrl } : {};
  if (inner.length === 0) return { status: 'queued', ...base };
  const failed = inner.find(([, n]) => n.status === 'failed');
  if (failed) {
    const [id, n] = failed;
    const where = id.slice(prefix.length);
    return { ...base, status: 'failed', error: { code: n.error?.code ?? 'failed', message: `${where}: ${n.error?.message ?? n.message ?? 'failed'}` }, message: `${where} failed` };
  }
  const statuses = inner.map(([, n]) => n.status);
  const total = statuses.length;
  const done = statuses.filter(finished).length;
  if (done === total) return { ...base, status: statuses.every((s) => s === 'cached') ? 'cached' : 'done' };
  const started = statuses.some((s) => s === 'running' || finished(s));
  const open = statuses.some((s) => s === 'queued' || s === 'running' || s === 'idle');
  if (!open) return { ...base, status: 'skipped', message: `${done} of ${total} inner nodes ran` };
  if (started) return { ...base, status: 'running', progress: done / total, message: `${done} of ${total} inner nodes done` };
  return { ...base, status: 'queued' };
}

/** Every pipeline node that has inner nodes in `nodes`. */
export function pipelineIdsIn(nodes: Readonly<Record<string, NodeRunState>>): string[] {
  return [...new Set(Object.keys(nodes).filter(isInnerNodeId).map(canvasNodeOf))];
}
