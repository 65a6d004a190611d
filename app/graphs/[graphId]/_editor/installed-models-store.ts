'use client';
import { create } from 'zustand';
import type { InstalledModels } from '../../../../nodes/_impl/models/model-meta';
import { trpc } from '../../../_lib/trpc';

type InstalledModelsState =
  | { status: 'idle' | 'loading' }
  | { status: 'ready'; models: InstalledModels }
  | { status: 'failed'; message: string };

interface InstalledModelsStore {
  state: InstalledModelsState;
  /** Fetches the installed models once per page; later calls do nothing. */
  load(): void;
}

/** The server's installed models (catalogue.models), for the model pickers. */
export const useInstalledModelsStore = create<InstalledModelsStore>((set, get) => ({
  state: { status: 'idle' },
  load: () => {
    if (get().state.status !== 'idle') return;
    set({ state: { status: 'loading' } });
    trpc.catalogue.models
      .query()
      .then((models) => set({ state: { status: 'ready', models } }))
      .catch((error: unknown) => set({ state: { status: 'failed', message: error instanceof Error ? error.message : String(error) } }));
  },
}));
