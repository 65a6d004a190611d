'use client';
import { useParams } from 'next/navigation';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { HistoryPanel } from './history-panel';
import { OutputViewer } from './output-viewer';
import styles from './run-save.module.css';
import { useSidePanel, type SidePanelTab } from './side-panel-store';

const tabs: { id: SidePanelTab; label: string }[] = [
  { id: 'output', label: 'Output' },
  { id: 'history', label: 'History' },
];

export const sidePanelTabId = (tab: SidePanelTab) => `pw-side-tab-${tab}`;
export const sidePanelPanelId = (tab: SidePanelTab) => `pw-side-panel-${tab}`;

/** The editor's side panel: the run's outputs and the graph's version history, as tabs. */
export function SidePanel() {
  const params = useParams<{ graphId: string }>();
  const graphId = typeof params?.graphId === 'string' ? decodeURIComponent(params.graphId) : undefined;
  const { tab, focusRequest, show } = useSidePanel();
  const tabRefs = useRef<Partial<Record<SidePanelTab, HTMLButtonElement | null>>>({});

  useEffect(() => {
    if (focusRequest > 0) tabRefs.current[useSidePanel.getState().tab]?.focus();
  }, [focusRequest]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((t) => t.id === tab);
    let next: number | undefined;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = (index + 1) % tabs.length;
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = (index - 1 + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    if (next === undefined) return;
    event.preventDefault();
    const id = tabs[next]!.id;
    show(id);
    tabRefs.current[id]?.focus();
  };

  return (
    <aside className={styles.panel} aria-label="Run output and history">
      <div role="tablist" aria-label="Side panel" className={styles.tablist} onKeyDown={onKeyDown}>
        {tabs.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={sidePanelTabId(t.id)}
            aria-selected={tab === t.id}
            aria-controls={sidePanelPanelId(t.id)}
            tabIndex={tab === t.id ? 0 : -1}
            className={styles.tab}
            onClick={() => show(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tabs.map((t) => (
        <div
          key={t.id}
          role="tabpanel"
          id={sidePanelPanelId(t.id)}
          aria-labelledby={sidePanelTabId(t.id)}
          hidden={tab !== t.id}
          tabIndex={0}
          className={styles.tabpanel}
        >
          {tab === t.id && graphId ? t.id === 'output' ? <OutputViewer /> : <HistoryPanel graphId={graphId} /> : null}
        </div>
      ))}
    </aside>
  );
}
