'use client';
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatDuration } from '../../../_components/format';
import { useAccessStore } from './access-store';
import { useGraphStore } from './graph-store';
import styles from './run-save.module.css';
import { isRunActive, useRunStore, type NodeRunState, type RunStatus } from './run-store';
import { RunInputsDialog } from './run-inputs-dialog';
import { useServerDuration } from './run-duration';
import { etaMs, formatEta, runProgress } from './run-progress';
import { isInnerNodeId } from './run-rollup';
import { cancelCurrent, useRunUi } from './use-run';
import { requestRun } from './use-run-inputs';

/** Counts of the canvas's nodes (a pipeline node counts once: its inner nodes roll up onto it). */
function counts(nodes: Record<string, NodeRunState>) {
  const all = Object.entries(nodes).filter(([id]) => !isInnerNodeId(id)).map(([, n]) => n);
  const by = (s: NodeRunState['status']) => all.filter((n) => n.status === s).length;
  return { total: all.length, done: by('done'), cached: by('cached'), failed: by('failed'), skipped: by('skipped'), running: by('running') };
}

/** The one-line run status shown next to the Run button (a polite live region). */
export function runStatusText(
  status: RunStatus,
  nodes: Record<string, NodeRunState>,
  errors: { nodeId: string | null; message: string }[],
  /** The run's duration as the server records it (start to finish, the Runs page's figure), once known. */
  durationMs: number | undefined,
  ui: { phase: string | undefined; notice: string | undefined; version: number | undefined },
): { text: string; error: boolean } {
  if (ui.phase === 'saving') return { text: 'Saving your changes before the run…', error: false };
  if (ui.phase === 'starting') return { text: 'Starting run…', error: false };
  if (ui.phase === 'cancelling') return { text: 'Cancelling…', error: false };
  if (ui.notice && !isRunActive(status)) return { text: ui.notice, error: true };
  const c = counts(nodes);
  const of = ui.version !== undefined ? ` (version ${ui.version})` : '';
  const cached = c.cached > 0 ? `, ${c.cached} cached` : '';
  switch (status) {
    case 'idle':
      return { text: 'Not run yet', error: false };
    case 'starting':
      return { text: 'Starting run…', error: false };
    case 'queued':
      return { text: `Queued${of}`, error: false };
    case 'running':
      return { text: `Running${of}: ${c.done + c.cached} of ${c.total} nodes done${cached}`, error: false };
    case 'succeeded': {
      const parts = [c.done > 0 ? `${c.done} ran` : '', c.cached > 0 ? `${c.cached} cached` : ''].filter(Boolean).join(', ');
      const took = durationMs === undefined ? '' : ` in ${formatDuration(durationMs)}`;
      return { text: `Run succeeded${took}${of}${parts ? `: ${parts}` : ''}`, error: false };
    }
    case 'failed': {
      const first = errors[0];
      const what = first ? `: ${first.nodeId ? `${first.nodeId}: ` : ''}${first.message}` : '';
      return { text: `Run failed${what}`, error: true };
    }
    case 'cancelled':
      return { text: 'Run cancelled', error: false };
  }
}

/** Run and Cancel buttons with the run's status line; Run asks for the graph's inputs when it declares any. */
export function RunControls({ graphId }: { graphId: string }) {
  const { status, nodes, errors, runId } = useRunStore(useShallow((s) => ({ status: s.status, nodes: s.nodes, errors: s.errors, runId: s.runId })));
  const durationMs = useServerDuration(runId, status);
  const ui = useRunUi();
  const { canRun, runReason } = useAccessStore((s) => s.access);
  const takesInputs = useGraphStore((s) => s.ioNodes.some((n) => n.type === 'graphInput'));
  const active = isRunActive(status) && runId !== undefined;
  const busy = ui.phase === 'saving' || ui.phase === 'starting' || active;
  const { text, error } = runStatusText(status, nodes, errors, durationMs, ui);
  const progress = runProgress(nodes);
  return (
    <div className={styles.group}>
      <button
        type="button"
        className={styles.primary}
        onClick={() => requestRun(graphId, 'ask')}
        disabled={busy || !canRun}
        aria-haspopup={takesInputs ? 'dialog' : undefined}
        aria-keyshortcuts="Control+Enter Meta+Enter"
        title={
          !canRun
            ? runReason
            : takesInputs
            ? 'Run the graph with inputs you choose; Ctrl+Enter / ⌘+Enter runs again with the same inputs. Unsaved changes are saved as a version first'
            : 'Run the graph (Ctrl+Enter / ⌘+Enter); unsaved changes are saved as a version first'
        }
      >
        Run
      </button>
      <button
        type="button"
        className={styles.button}
        onClick={() => void cancelCurrent()}
        disabled={!active || ui.phase === 'cancelling'}
        title="Cancel the running graph"
      >
        Cancel
      </button>
      {status === 'running' && progress.total > 0 ? <WholeRunProgress done={progress.done} total={progress.total} fraction={progress.fraction} /> : null}
      <span role="status" aria-live="polite" className={`${styles.status} ${error ? styles.statusError : ''}`} data-run-status={status} title={text}>
        {text}
      </span>
      <RunInputsDialog />
    </div>
  );
}

/** The whole run's progress bar (finished nodes plus running nodes' own progress) with the time left at the pace so far. */
function WholeRunProgress({ done, total, fraction }: { done: number; total: number; fraction: number }) {
  const [since] = useState(() => Date.now());
  const [now, setNow] = useState(since);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const eta = formatEta(etaMs(now - since, fraction));
  return (
    <span className={styles.group} data-testid="run-progress">
      <progress className={styles.progress} value={fraction} max={1} aria-label="Run progress" aria-valuetext={`${Math.round(fraction * 100)}%, ${eta}`} />
      <span className="muted">
        {done}/{total} · {Math.round(fraction * 100)}% · {eta}
      </span>
    </span>
  );
}
