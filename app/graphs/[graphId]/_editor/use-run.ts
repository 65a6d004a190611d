'use client';
import { create } from 'zustand';
import type { JsonValue } from '../../../../nodes/ports';
import type { ValidationError } from '../../../../engine/validation-error';
import { trpc } from '../../../_lib/trpc';
import { useGraphStore } from './graph-store';
import { isRunActive, useRunStore, type RunStatus } from './run-store';
import { describeError, getBaseVersion, useSaveStore, validationErrorsOf, viewingUnchanged } from './use-save';

interface RunUiState {
  /** Why the last Run did not start or the stream broke: shown in the status line. */
  notice: string | undefined;
  /** What is going on before the run exists ("Saving…", "Starting…") or while it is being cancelled. */
  phase: 'saving' | 'starting' | 'cancelling' | undefined;
  /** The version the current run executes. */
  version: number | undefined;
}

export const useRunUi = create<RunUiState>(() => ({ notice: undefined, phase: undefined, version: undefined }));

let subscription: { runId: string; unsubscribe(): void } | undefined;

/** Stops following the current run's events (the run itself goes on). */
export function stopFollowing(): void {
  subscription?.unsubscribe();
  subscription = undefined;
}

/** Reads the run's final state when its stream ended without a run.finished (the run was settled another way). */
async function settleFromServer(runId: string): Promise<void> {
  try {
    const run = await trpc.runs.get.query({ runId });
    const store = useRunStore.getState();
    if (store.runId !== runId || !isRunActive(store.status)) return;
    const map: Record<string, RunStatus> = { succeeded: 'succeeded', failed: 'failed', cancelled: 'cancelled', interrupted: 'failed' };
    const status = map[run.status];
    if (status) store.setStatus(status);
  } catch {
    // The status line keeps the last known state.
  }
}

/** Follows a run's events into the run store; the link resumes from the last event id after a dropped connection. */
export function follow(runId: string): void {
  stopFollowing();
  const sub = trpc.runs.events.subscribe(
    { runId, lastEventId: null },
    {
      onData: ({ id, data }) => {
        if (useRunStore.getState().runId !== runId) return;
        useRunStore.getState().apply(Number(id), data);
        if (data.type === 'run.finished') useRunUi.setState({ phase: undefined });
      },
      onError: (error) => {
        if (useRunStore.getState().runId !== runId) return;
        useRunUi.setState({ notice: `Lost the run's events: ${describeError(error).message}`, phase: undefined });
        void settleFromServer(runId);
      },
      onComplete: () => {
        if (subscription?.runId === runId) subscription = undefined;
        useRunUi.setState({ phase: undefined });
        if (useRunStore.getState().runId === runId && isRunActive(useRunStore.getState().status)) void settleFromServer(runId);
      },
    },
  );
  subscription = { runId, unsubscribe: () => sub.unsubscribe() };
}

/** Whether runCurrent started a run; when the server refused it, the problems it named (graph inputs among them). */
export type RunStart = { started: true } | { started: false; validationErrors: ValidationError[] };

/**
 * Runs what the canvas shows, with the given graph inputs. Unsaved changes are sent with the
 * run (stored with it on the server) instead of being saved: versions are only explicit saves.
 */
export async function runCurrent(graphId: string, inputs: Record<string, JsonValue> = {}): Promise<RunStart> {
  const notStarted: RunStart = { started: false, validationErrors: [] };
  const ui = useRunUi.getState();
  if (ui.phase === 'saving' || ui.phase === 'starting' || isRunActive(useRunStore.getState().status)) return notStarted;
  const unchanged = viewingUnchanged();
  const edited = unchanged === undefined && useGraphStore.getState().dirty;
  const version = unchanged ?? getBaseVersion();
  const document = edited ? useGraphStore.getState().toDocument() : undefined;
  useRunUi.setState({ phase: 'starting', version });
  useGraphStore.getState().setErrors([]);
  try {
    const run = await trpc.runs.start.mutate({ graphId, ...(version !== undefined ? { version } : {}), ...(document ? { document } : {}), inputs });
    useRunStore.getState().begin(run.id);
    useRunUi.setState({ phase: undefined, version: run.version?.number ?? version });
    follow(run.id);
    return { started: true };
  } catch (error) {
    const { message, details } = describeError(error);
    const problems = validationErrorsOf(details);
    if (problems.length > 0) useGraphStore.getState().setErrors(problems);
    const where = problems.length > 1 ? ` (${problems.length} problems, marked on the nodes)` : problems.some((p) => p.nodeId) ? ' (marked on the node)' : '';
    useRunUi.setState({ phase: undefined, notice: `Could not start the run: ${message}${where}` });
    return { started: false, validationErrors: problems };
  }
}

/** Asks the server to cancel the current run; its events report when it has stopped. */
export async function cancelCurrent(): Promise<void> {
  const { runId, status } = useRunStore.getState();
  if (!runId || !isRunActive(status)) return;
  useRunUi.setState({ phase: 'cancelling', notice: undefined });
  try {
    const result = await trpc.runs.cancel.mutate({ runId });
    if (!result.cancelled) {
      useRunUi.setState({ phase: undefined });
      void settleFromServer(runId);
    }
  } catch (error) {
    useRunUi.setState({ phase: undefined, notice: `Could not cancel: ${describeError(error).message}` });
  }
}

/**
 * On opening a graph: follow its latest run again when it is still going, or replay
 * it (its outputs fill the output viewer) when it ran the version on the canvas.
 */
export async function resumeLatestRun(graphId: string): Promise<void> {
  try {
    const { items } = await trpc.runs.list.query({ graphId, limit: 1 });
    const latest = items[0];
    if (!latest || useRunStore.getState().runId || useRunUi.getState().phase) return;
    const active = latest.status === 'queued' || latest.status === 'running';
    const base = getBaseVersion();
    if (!active && (base === undefined || latest.version?.number !== base)) return;
    useRunStore.getState().begin(latest.id);
    // A run that already ended is only replayed: it is not active meanwhile, so Run works at once.
    const ended: Partial<Record<string, RunStatus>> = { succeeded: 'succeeded', failed: 'failed', cancelled: 'cancelled', interrupted: 'failed' };
    const status = ended[latest.status];
    if (!active && status) useRunStore.getState().setStatus(status);
    useRunUi.setState({ version: latest.version?.number });
    follow(latest.id);
  } catch {
    // Nothing to resume.
  }
}

/** Forgets the run of the previous graph (on leaving the editor or switching graphs). */
export function resetRun(): void {
  stopFollowing();
  useRunStore.getState().reset();
  useRunUi.setState({ notice: undefined, phase: undefined, version: undefined });
  useSaveStore.getState().clearConflict();
}
