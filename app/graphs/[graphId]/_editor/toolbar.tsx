'use client';
import { useParams } from 'next/navigation';
import { useEffect } from 'react';
import { trpc } from '../../../_lib/trpc';
import { useAccessStore } from './access-store';
import { BatchButton } from './batch-dialog';
import { ConflictDialog } from './conflict-dialog';
import { DiffHighlightBar } from './diff-highlight';
import { useDiffHighlight } from './diff-highlight-store';
import { RunControls } from './run-controls';
import styles from './run-save.module.css';
import { SaveControls } from './save-controls';
import { ShareButton } from './share-dialog';
import { useRunSaveShortcuts } from './shortcuts-run-save';
import { sidePanelPanelId } from './side-panel';
import { useSidePanel } from './side-panel-store';
import { resetRun, resumeLatestRun } from './use-run';
import { getBaseVersion, setBaseVersion, useSaveStore } from './use-save';

/**
 * The editor's toolbar: Run / Cancel with the run status, Run batch…, the version comparison marked on
 * the canvas, Save with the unsaved-changes indicator, History, Share….
 */
export function Toolbar() {
  const params = useParams<{ graphId: string }>();
  const graphId = typeof params?.graphId === 'string' ? decodeURIComponent(params.graphId) : undefined;
  useRunSaveShortcuts(graphId);

  useEffect(() => {
    if (!graphId) return;
    resetRun();
    useDiffHighlight.getState().clear();
    useSaveStore.getState().reset(graphId);
    let cancelled = false;
    void (async () => {
      // The version the page loaded, when the graph store does not say: the head, read now (right after the page's own load).
      if (getBaseVersion() === undefined) {
        try {
          const { version } = await trpc.graphs.get.query({ graphId });
          if (!cancelled && getBaseVersion() === undefined) setBaseVersion(version.number);
        } catch {
          // The page reports a graph it cannot open.
        }
      }
      if (!cancelled) await resumeLatestRun(graphId);
      // The role (what may be edited, saved, run) after the run's resume: batched with runs.list, its graphs.get would delay the resume.
      if (!cancelled) await useAccessStore.getState().load(graphId);
    })();
    return () => {
      cancelled = true;
      resetRun();
    };
  }, [graphId]);

  if (!graphId) return null;
  return (
    <div className={styles.toolbar} data-testid="run-save-toolbar">
      <RunControls graphId={graphId} />
      <BatchButton graphId={graphId} />
      <span className={styles.spacer} />
      <DiffHighlightBar graphId={graphId} />
      <SaveControls graphId={graphId} />
      <button
        type="button"
        className={styles.button}
        aria-controls={sidePanelPanelId('history')}
        onClick={() => useSidePanel.getState().show('history', true)}
        title="Show the version history"
      >
        History
      </button>
      <a className={styles.button} href={`/graphs/${encodeURIComponent(graphId)}/runs`} title="Every run of this graph: status, duration, inputs, outputs and downloads">
        Runs
      </a>
      <ShareButton graphId={graphId} />
      <ConflictDialog graphId={graphId} />
    </div>
  );
}
