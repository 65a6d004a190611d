import type { PixelImage } from '../nodes/_impl/pixel-image';
import type { PortValue } from '../nodes/ports';

/** A node failure as data: which node, which port or param, what code and why. */
export interface NodeFailure {
  nodeId: string;
  port?: string;
  param?: string;
  code: string;
  message: string;
}

export type RunStatus = 'succeeded' | 'failed' | 'cancelled';

interface Base {
  /** 1-based position in the run's event stream; resumable streams continue after it. */
  seq: number;
  /** Milliseconds since the run started. */
  t: number;
}

export type RunEvent = Base &
  (
    | { type: 'run.started'; runId: string; nodeIds: string[] }
    | { type: 'node.queued'; nodeId: string }
    | { type: 'node.started'; nodeId: string }
    | { type: 'node.progress'; nodeId: string; fraction: number; message?: string }
    | { type: 'node.preview'; nodeId: string; image: PixelImage; label?: string }
    | { type: 'node.cached'; nodeId: string; cacheKey: string; outputs: Record<string, PortValue> }
    | { type: 'node.finished'; nodeId: string; cacheKey: string; durationMs: number; outputs: Record<string, PortValue> }
    | { type: 'node.failed'; nodeId: string; error: NodeFailure; durationMs: number }
    | { type: 'node.skipped'; nodeId: string; reason: 'upstream_failed' | 'cancelled'; upstream?: string }
    | { type: 'run.finished'; status: RunStatus; durationMs: number; errors: NodeFailure[] }
  );

export type RunEventType = RunEvent['type'];

/** What a finished run leaves: status, graph outputs, and per-node outcome. */
export interface RunResult {
  runId: string;
  status: RunStatus;
  durationMs: number;
  outputs: Record<string, PortValue>;
  nodes: Record<string, NodeOutcome>;
  errors: NodeFailure[];
}

export interface NodeOutcome {
  status: 'finished' | 'cached' | 'failed' | 'skipped' | 'cancelled';
  durationMs?: number;
  cacheKey?: string;
}
