'use client';
import { create } from 'zustand';

export type SidePanelTab = 'output' | 'history';

interface SidePanelState {
  tab: SidePanelTab;
  /** Bumped when something asks for the History tab, so the panel can move focus there. */
  focusRequest: number;
  show(tab: SidePanelTab, focus?: boolean): void;
}

/** Which tab of the side panel is open; the toolbar's History button switches it. */
export const useSidePanel = create<SidePanelState>((set) => ({
  tab: 'output',
  focusRequest: 0,
  show: (tab, focus = false) => set((s) => ({ tab, focusRequest: focus ? s.focusRequest + 1 : s.focusRequest })),
}));
