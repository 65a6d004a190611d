'use client';
import { create } from 'zustand';
import { useGraphStore } from './graph-store';
import { ownSignatures, staleNodes } from './run-basis-signatures';
import { useRunStore } from './run-store';
import { useRunUi } from './use-run';

interface RunBasisState {
  /** The run whose basis this is, and the node signatures of the canvas it ran. */
  runId: string | undefined;
  basis: ReadonlyMap<string, string> | undefined;
  /** The nodes changed since that run (empty without a run). */
  stale: ReadonlySet<string>;
}

const none: ReadonlySet<string> = new Set();

/** Which nodes changed since the run shown on them: their badge and preview no longer describe the document. */
export const useRunBasis = create<RunBasisState>(() => ({ runId: undefined, basis: undefined, stale: none }));

/** Whether node `id` changed since the run shown on it. */
export const useIsStale = (id: string) => useRunBasis((s) => s.stale.has(id));

function recompute(): void {
  const { basis } = useRunBasis.getState();
  if (!basis) return;
  const next = staleNodes(basis, useGraphStore.getState());
  const prev = useRunBasis.getState().stale;
  if (next.size === prev.size && [...next].every((id) => prev.has(id))) return;
  useRunBasis.setState({ stale: next });
}

if (typeof window !== 'undefined') {
  // A new run (or none): its basis is the canvas it runs now.
  /** "Could not start the run: …" is about the document as it was: it goes once a run starts or the problems it named are fixed. */
  const clearRefusal = () => {
    if (useRunUi.getState().notice?.startsWith('Could not start the run')) useRunUi.setState({ notice: undefined });
  };
  useRunStore.subscribe((s) => {
    if (s.runId === useRunBasis.getState().runId) return;
    if (s.runId) clearRefusal();
    const basis = s.runId ? ownSignatures(useGraphStore.getState()) : undefined;
    useRunBasis.setState({ runId: s.runId, basis, stale: none });
  });
  useGraphStore.subscribe((s, prev) => {
    if (s.nodes !== prev.nodes || s.edges !== prev.edges || s.ioEdges !== prev.ioEdges) recompute();
    const hadProblems = s.serverErrors.some((e) => e.nodeId);
    if (hadProblems && s.errors !== prev.errors && Object.keys(s.errors).length === 0) clearRefusal();
  });
}
