'use client';
import { useEffect, useState } from 'react';
import { trpc } from '../../_lib/trpc';
import { providersLabel } from '../../_components/worker-format';
import { applyExecutionEvent, emptyExecution, ranOnText, type RunExecution } from './run-execution';

export interface ExecutionState {
  execution: RunExecution;
  /** The event log was read to its end (or the stream broke): what is not in `execution` is not coming. */
  settled: boolean;
}

/**
 * Reads the run's event log (live while it runs; once the run has left the queue) for which worker ran each attempt and which
 * execution provider each model node used. Only events that change that cause a render.
 */
export function useRunExecution(runId: string, waiting: boolean): ExecutionState {
  const [state, setState] = useState<ExecutionState>({ execution: emptyExecution, settled: false });
  useEffect(() => {
    setState({ execution: emptyExecution, settled: false });
    // A run still waiting has no log yet; the detail re-reads the run, and this subscribes once it starts.
    if (waiting) return;
    const sub = trpc.runs.events.subscribe(
      { runId, lastEventId: null },
      {
        onData: ({ data }) => setState((s) => {
          const execution = applyExecutionEvent(s.execution, data);
          return execution === s.execution ? s : { ...s, execution };
        }),
        onError: () => setState((s) => ({ ...s, settled: true })),
        onComplete: () => setState((s) => ({ ...s, settled: true })),
      },
    );
    return () => sub.unsubscribe();
  }, [runId, waiting]);
  return state;
}

/** "Ran on: gpu-box (CUDA, CPU)" or "this server" as a term and its description, for the run's facts list. */
export function RanOnFact(props: { state: ExecutionState; status: string; workerId: string | null; startedAt: unknown }) {
  return (
    <>
      <dt>{props.status === 'running' ? 'Running on' : 'Ran on'}</dt>
      <dd>
        <RanOn {...props} />
      </dd>
    </>
  );
}

function RanOn({ state, status, workerId, startedAt }: { state: ExecutionState; status: string; workerId: string | null; startedAt: unknown }) {
  const text = ranOnText(state.execution);
  if (text) return <span data-testid="ran-on">{text}</span>;
  if (status === 'queued') return <span className="muted">not started yet</span>;
  if (!state.settled) return <span className="muted">reading the run’s events…</span>;
  if (!startedAt) return <span className="muted">never started</span>;
  // No run.started in the log (it could not be read).
  return <span className="muted">{workerId ? `worker ${workerId}` : 'unknown'}</span>;
}

/** The execution provider a model node reported ("on CUDA"); nothing for nodes that name none. */
export function NodeProvider({ state, nodeId }: { state: ExecutionState; nodeId: string }) {
  const reported = state.execution.providers[nodeId];
  return reported ? <div className="muted">on {providersLabel(reported.providers)}</div> : null;
}
