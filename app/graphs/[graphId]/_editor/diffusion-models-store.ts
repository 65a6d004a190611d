'use client';
import { useEffect } from 'react';
import { create } from 'zustand';
import type { DiffusionModelFacts } from '../../../../nodes/_impl/models/model-meta';
import { trpc } from '../../../_lib/trpc';

type DiffusionModelsState =
  | { status: 'idle' | 'loading' | 'failed' }
  | { status: 'ready'; models: Record<string, DiffusionModelFacts> };

interface DiffusionModelsStore {
  state: DiffusionModelsState;
  /** Fetches the facts once per page; later calls do nothing. */
  load(): void;
}

/** What the server knows of its installed diffusion models (catalogue.diffusionModels), for param visibility and class pickers. */
export const useDiffusionModelsStore = create<DiffusionModelsStore>((set, get) => ({
  state: { status: 'idle' },
  load: () => {
    if (get().state.status !== 'idle') return;
    set({ state: { status: 'loading' } });
    trpc.catalogue.diffusionModels
      .query()
      .then((models) => set({ state: { status: 'ready', models } }))
      .catch(() => set({ state: { status: 'failed' } }));
  },
}));

/** The facts of one model (loaded once when `wanted`); undefined while loading or when the server does not know it. */
export function useDiffusionModelFacts(name: string | undefined, wanted: boolean): DiffusionModelFacts | undefined {
  const facts = useDiffusionModelsStore((s) => (s.state.status === 'ready' && name !== undefined && Object.hasOwn(s.state.models, name) ? s.state.models[name] : undefined));
  const load = useDiffusionModelsStore((s) => s.load);
  useEffect(() => {
    if (wanted) load();
  }, [wanted, load]);
  return facts;
}
