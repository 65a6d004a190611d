'use client';
import { create } from 'zustand';
import type { WireEvent } from '../../../../server/runs/wire-events';

export type NodeRunStatus = 'idle' | 'queued' | 'running' | 'cached' | 'done' | 'failed' | 'skipped';

export interface NodeRunState {
  status: NodeRunStatus;
  /** 0..1 while running, when the node reports progress. */
  progress?: number;
  message?: string;
  /** URL of the latest preview image of this node in the current run. */
  previewUrl?: string;
  error?: { code: string; message: string; port?: string; param?: string };
  durationMs?: number;
}

export type RunStatus = 'idle' | 'starting' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

interface RunState {
  runId: string | undefined;
  status: RunStatus;
  nodes: Record<string, NodeRunState>;
  /** Last event seq applied (to resume a subscription). */
  lastSeq: number;
  errors: { nodeId: string | null; code: string; message: string }[];
  begin(runId: string): void;
  apply(seq: number, event: WireEvent): void;
  setStatus(status: RunStatus): void;
  reset(): void;
}

const fileUrl = (runId: string, sha256: string) => `/api/runs/${runId}/files/${sha256}`;

/** The current run of the open graph, as its events arrive: one state per node. */
export const useRunStore = create<RunState>((set, get) => ({
  runId: undefined,
  status: 'idle',
  nodes: {},
  lastSeq: 0,
  errors: [],
  begin: (runId) => set({ runId, status: 'queued', nodes: {}, lastSeq: 0, errors: [] }),
  setStatus: (status) => set({ status }),
  reset: () => set({ runId: undefined, status: 'idle', nodes: {}, lastSeq: 0, errors: [] }),
  apply: (seq, event) => {
    const { runId, nodes } = get();
    if (!runId || seq <= get().lastSeq) return;
    const patch = (nodeId: string, state: Partial<NodeRunState>) => ({ ...nodes, [nodeId]: { ...(nodes[nodeId] ?? { status: 'idle' }), ...state } });
    switch (event.type) {
      case 'run.started':
        set({
          lastSeq: seq,
          status: 'running',
          nodes: Object.fromEntries(event.nodeIds.map((id) => [id, { status: 'queued' as const }])),
        });
        return;
      case 'run.restarted':
        set({ lastSeq: seq, nodes: {} });
        return;
      case 'node.queued':
        set({ lastSeq: seq, nodes: patch(event.nodeId, { status: 'queued' }) });
        return;
      case 'node.started':
        set({ lastSeq: seq, nodes: patch(event.nodeId, { status: 'running', progress: undefined }) });
        return;
      case 'node.progress':
        set({ lastSeq: seq, nodes: patch(event.nodeId, { status: 'running', progress: event.fraction, message: event.message }) });
        return;
      case 'node.preview':
        set({ lastSeq: seq, nodes: patch(event.nodeId, { previewUrl: fileUrl(runId, event.preview.artifactId) }) });
        return;
      case 'node.cached':
      case 'node.finished': {
        const image = Object.values(event.outputs).find((o) => 'artifactId' in o);
        const previewUrl = image && 'preview' in image ? fileUrl(runId, image.preview.artifactId) : nodes[event.nodeId]?.previewUrl;
        set({
          lastSeq: seq,
          nodes: patch(event.nodeId, {
            status: event.type === 'node.cached' ? 'cached' : 'done',
            progress: undefined,
            previewUrl,
            durationMs: event.type === 'node.finished' ? event.durationMs : undefined,
          }),
        });
        return;
      }
      case 'node.failed':
        set({ lastSeq: seq, nodes: patch(event.nodeId, { status: 'failed', error: event.error, progress: undefined }) });
        return;
      case 'node.skipped':
        set({ lastSeq: seq, nodes: patch(event.nodeId, { status: 'skipped' }) });
        return;
      case 'run.finished':
        set({ lastSeq: seq, status: event.status, errors: event.errors });
        return;
    }
  },
}));
