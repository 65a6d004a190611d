'use client';
import { create } from 'zustand';
import { zRole } from '../../../../server/access/roles';
import { trpc } from '../../../_lib/trpc';
import { accessFor, type Access } from './access';
import { useGraphStore } from './graph-store';

interface AccessState {
  graphId: string | undefined;
  access: Access;
  /** Reads the user's role on the graph (graphs.get returns it) and, for a team's graph, the team's name. */
  load(graphId: string): Promise<void>;
  set(access: Access, graphId?: string): void;
}

/** The user's role on the open graph and what it allows; the graph store's edit mode follows it. */
export const useAccessStore = create<AccessState>((set, get) => ({
  graphId: undefined,
  access: accessFor(undefined),
  set: (access, graphId) => {
    set({ access, ...(graphId !== undefined ? { graphId } : {}) });
    useGraphStore.getState().setEditMode(access.editMode);
  },
  load: async (graphId) => {
    get().set(accessFor(undefined), graphId);
    try {
      const { graph, role } = await trpc.graphs.get.query({ graphId });
      const parsed = zRole.safeParse(role);
      let teamName: string | undefined;
      if (graph.ownerTeamId) {
        const teams = await trpc.teams.list.query().catch(() => []);
        teamName = teams.find((t) => t.id === graph.ownerTeamId)?.name;
      }
      if (get().graphId === graphId) get().set(accessFor(parsed.success ? parsed.data : undefined, teamName));
    } catch {
      // The page reports a graph it cannot open; the server refuses what the role does not allow.
    }
  },
}));
