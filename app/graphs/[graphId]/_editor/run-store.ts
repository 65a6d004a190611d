'use client';
import { create } from 'zustand';
import type { OutputSummary, WireEvent } from '../../../../server/runs/wire-events';
import { canvasNodeOf, isInnerNodeId, pipelineIdsIn, rollUp } from './run-rollup';

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
  /** The node's outputs once it finished (or came from the cache), by port name. */
  outputs?: Record<string, OutputSummary>;
}

export type RunStatus = 'idle' | 'starting' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface RunErrorState {
  nodeId: string | null;
  code: string;
  message: string;
  port?: string;
  param?: string;
  input?: string;
}

interface RunState {
  runId: string | undefined;
  status: RunStatus;
  nodes: Record<string, NodeRunState>;
  /** Last event seq applied (to resume a subscription). */
  lastSeq: number;
  errors: RunErrorState[];
  /** The graph outputs of the run, by output name, once it finished. */
  outputs: Record<string, OutputSummary>;
  /** How long the run took, from its run.finished event. */
  durationMs: number | undefined;
  begin(runId: string): void;
  apply(seq: number, event: WireEvent): void;
  setStatus(status: RunStatus): void;
  reset(): void;
}

/** The URL of a file (preview or full image) a run produced. */
export const runFileUrl = (runId: string, sha256: string) => `/api/runs/${encodeURIComponent(runId)}/files/${sha256}`;

/** Whether a run in this state may still change (so Cancel makes sense). */
export const isRunActive = (status: RunStatus) => status === 'starting' || status === 'queued' || status === 'running';

const isImage = (o: OutputSummary): o is Extract<OutputSummary, { artifactId: string }> => 'artifactId' in o;

const fresh = () => ({ nodes: {}, lastSeq: 0, errors: [], outputs: {}, durationMs: undefined });

/**
 * The pipeline nodes' states rolled up from their inner nodes (events name those
 * `<pipelineNodeId>/<innerId>`): the one an event concerns, or all of them when the run
 * starts or ends. The inner nodes' own states stay, for a view inside the pipeline.
 */
function withRollUps(nodes: Record<string, NodeRunState>, event: WireEvent): Record<string, NodeRunState> {
  const ids = 'nodeId' in event ? (isInnerNodeId(event.nodeId) ? [canvasNodeOf(event.nodeId)] : []) : pipelineIdsIn(nodes);
  if (ids.length === 0) return nodes;
  const sentPreview = event.type === 'node.preview' || event.type === 'node.finished' || event.type === 'node.cached';
  const latest = sentPreview && 'nodeId' in event ? nodes[event.nodeId]?.previewUrl : undefined;
  const next = { ...nodes };
  for (const id of ids) next[id] = rollUp(nodes, id, nodes[id], latest);
  return next;
}

/** The current run of the open graph, as its events arrive: one state per node. */
export const useRunStore = create<RunState>((set, get) => ({
  runId: undefined,
  status: 'idle',
  ...fresh(),
  begin: (runId) => set({ runId, status: 'queued', ...fresh() }),
  setStatus: (status) => set({ status }),
  reset: () => set({ runId: undefined, status: 'idle', ...fresh() }),
  apply: (seq, event) => {
    const { runId, nodes, status } = get();
    if (!runId || seq <= get().lastSeq) return;
    const patch = (nodeId: string, state: Partial<NodeRunState>) => ({ ...nodes, [nodeId]: { ...(nodes[nodeId] ?? { status: 'idle' }), ...state } });
    // A run that already ended stays ended; a late event only moves lastSeq.
    const live = (next: RunStatus): RunStatus => (status === 'succeeded' || status === 'failed' || status === 'cancelled' ? status : next);
    const commit = (state: Partial<RunState>) => set(state.nodes ? { ...state, nodes: withRollUps(state.nodes, event) } : state);
    switch (event.type) {
      case 'run.started':
        commit({
          lastSeq: seq,
          status: live('running'),
          nodes: Object.fromEntries(event.nodeIds.map((id) => [id, { status: 'queued' as const }])),
        });
        return;
      case 'run.restarted':
        // The worker died: the run starts over (its run.started follows); nothing from the first attempt stands.
        commit({ lastSeq: seq, status: live('queued'), nodes: {}, errors: [], outputs: {} });
        return;
      case 'node.queued':
        commit({ lastSeq: seq, nodes: patch(event.nodeId, { status: 'queued' }) });
        return;
      case 'node.started':
        commit({ lastSeq: seq, status: live('running'), nodes: patch(event.nodeId, { status: 'running', progress: undefined, message: undefined, error: undefined }) });
        return;
      case 'node.progress':
        commit({ lastSeq: seq, nodes: patch(event.nodeId, { status: 'running', progress: event.fraction, message: event.message }) });
        return;
      case 'node.preview':
        commit({ lastSeq: seq, nodes: patch(event.nodeId, { previewUrl: runFileUrl(runId, event.preview.artifactId) }) });
        return;
      case 'node.cached':
      case 'node.finished': {
        const images = Object.values(event.outputs).filter(isImage);
        const image = images.find((o) => o.kind === 'image') ?? images[0];
        const previewUrl = image ? runFileUrl(runId, image.preview.artifactId) : nodes[event.nodeId]?.previewUrl;
        commit({
          lastSeq: seq,
          nodes: patch(event.nodeId, {
            status: event.type === 'node.cached' ? 'cached' : 'done',
            progress: undefined,
            message: undefined,
            previewUrl,
            outputs: event.outputs,
            durationMs: event.type === 'node.finished' ? event.durationMs : undefined,
          }),
        });
        return;
      }
      case 'node.failed':
        commit({
          lastSeq: seq,
          nodes: patch(event.nodeId, { status: 'failed', error: event.error, progress: undefined, message: event.error.message, durationMs: event.durationMs }),
        });
        return;
      case 'node.skipped':
        commit({
          lastSeq: seq,
          nodes: patch(event.nodeId, {
            status: 'skipped',
            progress: undefined,
            message: event.reason === 'cancelled' ? 'cancelled' : `skipped: ${event.upstream ?? 'an upstream node'} failed`,
          }),
        });
        return;
      case 'run.finished': {
        // Anything the engine left queued or running did not happen.
        const settled: Record<string, NodeRunState> = {};
        for (const [id, node] of Object.entries(nodes)) {
          settled[id] = node.status === 'queued' || node.status === 'running' ? { ...node, status: 'skipped', progress: undefined } : node;
        }
        commit({ lastSeq: seq, status: event.status, errors: event.errors, outputs: event.outputs, durationMs: event.durationMs, nodes: settled });
        return;
      }
    }
  },
}));
