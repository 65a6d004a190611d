import type { WireEvent } from '../../../../server/runs/wire-events';

export type ProgressStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A followed run as its events tell it: which nodes ended how, and at the end its outputs and problems. */
export interface RunProgress {
  status: ProgressStatus;
  /** The nodes the run executes (from run.started; empty until then). */
  nodeIds: string[];
  /** Nodes that have ended, by how. */
  ended: Record<string, 'finished' | 'cached' | 'failed' | 'skipped'>;
  outputs: unknown;
  errors: { nodeId: string | null; message: string }[];
}

export const initialProgress = (): RunProgress => ({ status: 'queued', nodeIds: [], ended: {}, outputs: undefined, errors: [] });

/** The next state after one event (pure). */
export function applyEvent(state: RunProgress, event: WireEvent): RunProgress {
  switch (event.type) {
    case 'run.started':
      return { ...state, status: 'running', nodeIds: event.nodeIds };
    case 'run.restarted':
      return { ...state, status: 'running', ended: {} };
    case 'node.finished':
    case 'node.cached':
    case 'node.failed':
    case 'node.skipped': {
      const how = event.type === 'node.finished' ? 'finished' : event.type === 'node.cached' ? 'cached' : event.type === 'node.failed' ? 'failed' : 'skipped';
      return { ...state, ended: { ...state.ended, [event.nodeId]: how } };
    }
    case 'run.finished':
      return { ...state, status: event.status, outputs: event.outputs, errors: event.errors.map((e) => ({ nodeId: e.nodeId, message: e.message })) };
    default:
      return state;
  }
}

/** "3 of 5 nodes": the nodes that ended, out of all (each counted once). */
export function progressCounts(state: RunProgress): { done: number; total: number } {
  const total = state.nodeIds.length;
  const done = state.nodeIds.filter((id) => state.ended[id] !== undefined).length;
  return { done, total };
}

export const isFinished = (status: ProgressStatus) => status === 'succeeded' || status === 'failed' || status === 'cancelled';
