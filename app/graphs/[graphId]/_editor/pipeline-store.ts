'use client';
import { create } from 'zustand';
import { trpc } from '../../../_lib/trpc';
import { parseDocument } from './document-io';
import { parsePipelines, portsOfDocument, portsOfSummary, type PipelinePorts, type PipelineSummary } from './pipeline-ports';

type VersionPorts = PipelinePorts | 'loading' | { failed: string };

interface PipelineState {
  status: 'idle' | 'loading' | 'ready' | 'failed';
  /** Saved graphs the user may use as pipeline nodes (catalogue.pipelines), with their head version's ports. */
  list: PipelineSummary[];
  byId: ReadonlyMap<string, { summary: PipelineSummary; ports: PipelinePorts }>;
  /** Ports of other versions (pinned nodes, update previews), by `graphId@version`. */
  versions: Readonly<Record<string, VersionPorts>>;
  rejected: string[];
  /** Fetches the list (again, when `force`: after a save made a pipeline newer). */
  load(force?: boolean): Promise<void>;
  setList(raw: readonly unknown[]): void;
  /** Fetches a version's ports unless known or on the way. */
  ensureVersion(graphId: string, version: number): void;
}

const key = (graphId: string, version: number) => `${graphId}@${version}`;

/** The pipelines the palette offers and the ports of the versions pipeline nodes are pinned to. */
export const usePipelineStore = create<PipelineState>((set, get) => ({
  status: 'idle',
  list: [],
  byId: new Map(),
  versions: {},
  rejected: [],
  load: async (force = false) => {
    if (!force && get().status !== 'idle') return;
    set({ status: 'loading' });
    try {
      get().setList(await trpc.catalogue.pipelines.query());
    } catch {
      set({ status: 'failed' });
    }
  },
  setList: (raw) => {
    const { list, rejected } = parsePipelines(raw);
    set({ status: 'ready', list, rejected, byId: new Map(list.map((s) => [s.graphId, { summary: s, ports: portsOfSummary(s) }])) });
  },
  ensureVersion: (graphId, version) => {
    const k = key(graphId, version);
    if (get().versions[k] !== undefined) return;
    set((s) => ({ versions: { ...s.versions, [k]: 'loading' } }));
    const settle = (value: VersionPorts) => set((s) => ({ versions: { ...s.versions, [k]: value } }));
    trpc.graphs.get
      .query({ graphId, version })
      .then(({ version: found }) => {
        const parsed = parseDocument(found.document);
        settle(parsed.ok ? portsOfDocument(parsed.document) : { failed: parsed.message });
      })
      .catch((error: unknown) => settle({ failed: error instanceof Error ? error.message : String(error) }));
  },
}));

/** The ports of a pipeline version: the head's from the list, another's once fetched (ensureVersion). */
export function pipelinePortsOf(state: Pick<PipelineState, 'byId' | 'versions'>, graphId: string, version: number): PipelinePorts | undefined {
  const head = state.byId.get(graphId);
  if (head && head.summary.headVersion === version) return head.ports;
  const found = state.versions[key(graphId, version)];
  return typeof found === 'object' && !('failed' in found) ? found : undefined;
}

/** Why a version's ports are not known: still loading, or the reason it failed. */
export function pipelinePortsProblem(state: Pick<PipelineState, 'versions'>, graphId: string, version: number): string | undefined {
  const found = state.versions[key(graphId, version)];
  if (found === 'loading' || found === undefined) return undefined;
  return 'failed' in found ? found.failed : undefined;
}
