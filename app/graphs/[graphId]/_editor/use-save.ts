'use client';
import { TRPCClientError } from '@trpc/client';
import { create } from 'zustand';
import type { GraphDocument } from '../../../../engine/graph-document';
import type { ValidationError } from '../../../../engine/validation-error';
import { trpc } from '../../../_lib/trpc';
import { useGraphStore } from './graph-store';

/** What a tRPC error carries: its code, message and the server's structured details. */
export function describeError(error: unknown): { code: string | undefined; message: string; details: Record<string, unknown> | undefined } {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as { code?: string; details?: Record<string, unknown> };
    return { code: data.code, message: error.message, details: data.details };
  }
  return { code: undefined, message: error instanceof Error ? error.message : String(error), details: undefined };
}

/** Validation errors a refused request names in its details, if any. */
export function validationErrorsOf(details: Record<string, unknown> | undefined): ValidationError[] {
  const list = details?.validationErrors;
  return Array.isArray(list) ? (list as ValidationError[]) : [];
}

type GraphStoreWithVersion = { baseVersion?: unknown; setBaseVersion?: unknown };

/** The version number the editor loaded or saved last (read defensively: the graph store may or may not carry it). */
export function getBaseVersion(): number | undefined {
  const state = useGraphStore.getState() as unknown as GraphStoreWithVersion;
  // Every graph has a version 1, so 0 (a store's "not loaded yet") means unknown.
  return typeof state.baseVersion === 'number' && state.baseVersion >= 1 ? state.baseVersion : undefined;
}

/** The base version, as a hook: re-renders when it changes. */
export function useBaseVersion(): number | undefined {
  return useGraphStore((state) => {
    const value = (state as unknown as GraphStoreWithVersion).baseVersion;
    return typeof value === 'number' && value >= 1 ? value : undefined;
  });
}

export function setBaseVersion(number: number): void {
  const state = useGraphStore.getState() as unknown as GraphStoreWithVersion;
  if (typeof state.setBaseVersion === 'function') (state.setBaseVersion as (n: number) => void)(number);
  else useGraphStore.setState({ baseVersion: number } as unknown as Partial<ReturnType<typeof useGraphStore.getState>>);
}

/** Loads a document as the new state of the editor, saved as version `number`. */
export function loadSaved(document: GraphDocument, number: number): void {
  useGraphStore.getState().load(document, number);
  setBaseVersion(number);
  useGraphStore.getState().markSaved();
}

export interface Conflict {
  /** The version someone else saved. */
  headVersion: number;
  /** The version this editor started from. */
  baseVersion: number;
  /** The local document that could not be saved. */
  document: GraphDocument;
  message: string;
}

/** A version opened from the history, shown on the canvas until it is edited. */
export interface Viewing {
  number: number;
  /** The document as opened (serialised), to tell whether the canvas still shows it. */
  document: string;
}

/** The canvas as a comparable string (selection and measurements are not part of it). */
export const documentKey = (document: GraphDocument = useGraphStore.getState().toDocument()) => JSON.stringify(document);

interface SaveState {
  graphId: string | undefined;
  dialogOpen: boolean;
  saving: boolean;
  /** The last save's failure, shown next to the Save button. */
  error: string | undefined;
  conflict: Conflict | undefined;
  /** Validation problems of the last saved document (saved anyway; they stop a run). */
  problems: ValidationError[];
  /** Bumped on every new version (saves, restores), so the history refetches. */
  revision: number;
  viewing: Viewing | undefined;
  openDialog(): void;
  closeDialog(): void;
  clearConflict(): void;
  reset(graphId: string): void;
}

export const useSaveStore = create<SaveState>((set) => ({
  graphId: undefined,
  dialogOpen: false,
  saving: false,
  error: undefined,
  conflict: undefined,
  problems: [],
  revision: 0,
  viewing: undefined,
  openDialog: () => set({ dialogOpen: true, error: undefined }),
  closeDialog: () => set({ dialogOpen: false }),
  clearConflict: () => set({ conflict: undefined }),
  reset: (graphId) =>
    set({ graphId, dialogOpen: false, saving: false, error: undefined, conflict: undefined, problems: [], viewing: undefined }),
}));

export type SaveResult =
  | { status: 'saved'; number: number; problems: ValidationError[] }
  | { status: 'conflict'; headVersion: number }
  | { status: 'error'; message: string };

/** Whether the canvas still shows the version opened from the history, unedited. */
export function viewingUnchanged(): number | undefined {
  const viewing = useSaveStore.getState().viewing;
  if (!viewing) return undefined;
  return documentKey() === viewing.document ? viewing.number : undefined;
}

/** Finds the head version number when the editor does not know which version it loaded. */
async function headVersion(graphId: string): Promise<number> {
  const { version } = await trpc.graphs.get.query({ graphId });
  return version.number;
}

/**
 * Saves the canvas as a new version on top of the one it was loaded from. A newer
 * version on the server is a conflict (recorded for the conflict dialog), never an overwrite.
 */
export async function saveCurrent(graphId: string, message: string): Promise<SaveResult> {
  const store = useSaveStore.getState();
  if (store.saving) return { status: 'error', message: 'a save is already in progress' };
  useSaveStore.setState({ saving: true, error: undefined });
  const document = useGraphStore.getState().toDocument();
  const sent = documentKey(document);
  let baseVersion = getBaseVersion();
  try {
    if (baseVersion === undefined) {
      baseVersion = await headVersion(graphId);
      setBaseVersion(baseVersion);
    }
    const result = await trpc.graphs.save.mutate({ graphId, baseVersion, document, message });
    const number = result.version.number;
    setBaseVersion(number);
    const now = useGraphStore.getState();
    // Edits made while the request was in flight stay unsaved.
    if (documentKey() === sent) now.markSaved();
    now.setErrors(result.problems);
    useSaveStore.setState((s) => ({ saving: false, dialogOpen: false, problems: result.problems, revision: s.revision + 1, viewing: undefined }));
    return { status: 'saved', number, problems: result.problems };
  } catch (error) {
    const { code, message: text, details } = describeError(error);
    if (code === 'CONFLICT') {
      const head = typeof details?.headVersion === 'number' ? details.headVersion : await headVersion(graphId).catch(() => (baseVersion ?? 0) + 1);
      useSaveStore.setState((s) => ({
        saving: false,
        dialogOpen: false,
        conflict: { headVersion: head, baseVersion: baseVersion ?? 0, document, message },
        revision: s.revision + 1,
      }));
      return { status: 'conflict', headVersion: head };
    }
    useSaveStore.setState({ saving: false, error: `Could not save: ${text}` });
    return { status: 'error', message: text };
  }
}

/** Discards local changes and loads the newest version. */
export async function reloadLatest(graphId: string): Promise<void> {
  const { version } = await trpc.graphs.get.query({ graphId });
  loadSaved(version.document as GraphDocument, version.number);
  useSaveStore.setState((s) => ({ conflict: undefined, viewing: undefined, error: undefined, problems: [], revision: s.revision + 1 }));
}

/** Copies the graph (its head) and saves the local document onto the copy; returns the copy's id. */
export async function saveAsCopy(graphId: string, conflict: Conflict): Promise<string> {
  const copy = await trpc.graphs.duplicate.mutate({ graphId });
  const copyId = copy.graph.id;
  const base = copy.graph.headVersion?.number ?? 1;
  await trpc.graphs.save.mutate({ graphId: copyId, baseVersion: base, document: conflict.document, message: conflict.message || 'my changes (saved as a copy after a conflict)' });
  useSaveStore.setState({ conflict: undefined });
  return copyId;
}
