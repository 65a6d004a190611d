'use client';
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { trpc } from '../../_lib/trpc';
import { errorMessage } from '../../_components/errors';
import { formatDuration, fullTime, isoTime, runDuration } from '../../_components/format';
import type { RunDetail as Run } from '../../_components/types';
import ui from '../../_components/ui.module.css';
import { InputValue, OutputImage, runInputRows, runProblems, splitOutputs, StatusBadge } from './run-parts';
import styles from './runs.module.css';
import { FailureAlert } from '../../_components/failure-alert';
import { NodeProvider, RanOnFact, useRunExecution } from './run-worker';
import { RunFiles } from './run-files';

/** What the detail reads from the run's graph version (a stored document; anything else in it is ignored). */
const zVersionParts = z.object({
  nodes: z.array(z.object({ id: z.string(), type: z.string(), label: z.string().optional() })).default([]),
  inputs: z.array(z.object({ name: z.string(), kind: z.string(), default: z.unknown().optional() })).default([]),
  outputs: z.array(z.object({ name: z.string() })).default([]),
});

/** One run: when and by whom, its problems, every node's status and time, and its outputs. */
export function RunDetail({ graphId, runId, who, onClose }: { graphId: string; runId: string; who(id: string | null): string; onClose(): void }) {
  const [run, setRun] = useState<Run>();
  const [nodeTypes, setNodeTypes] = useState<Map<string, string>>(new Map());
  const [outputOrder, setOutputOrder] = useState<string[]>([]);
  const [declaredInputs, setDeclaredInputs] = useState<{ name: string; kind: string; default?: unknown }[]>([]);
  const [failure, setFailure] = useState<string>();
  // Which worker ran it and each model node's provider, from the run's events (not stored on the run record).
  const execution = useRunExecution(runId, !run || run.status === 'queued');

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const found = await trpc.runs.get.query({ runId });
        if (!live) return;
        setRun(found);
        setFailure(undefined);
        if (found.status === 'queued' || found.status === 'running') timer = setTimeout(load, 2000);
      } catch (error) {
        if (live) setFailure(errorMessage(error));
      }
    };
    void load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [runId]);

  // Node types and labels from the version the run used, to say what each node id is, and the inputs it declares.
  const versionNumber = run?.version.number;
  useEffect(() => {
    if (versionNumber === undefined) return;
    trpc.graphs.get
      .query({ graphId, version: versionNumber })
      .then(({ version }) => {
        const parsed = zVersionParts.safeParse(version.document);
        if (!parsed.success) return;
        const { nodes, inputs, outputs } = parsed.data;
        setOutputOrder(outputs.map((o) => o.name));
        setDeclaredInputs(inputs);
        setNodeTypes(new Map(nodes.map((n) => [n.id, n.label ? `${n.label} (${n.type})` : n.type])));
      })
      .catch(() => undefined);
  }, [graphId, versionNumber]);

  const problems = run ? runProblems(run.error) : [];
  const inputs = runInputRows(run?.inputs, declaredInputs);
  // In the graph's order of outputs (the stored record does not keep it).
  const outputs = splitOutputs(run?.outputs, outputOrder);
  const nodeProblems = (nodeId: string, error: unknown) => runProblems(error).map((p) => p.message).join('; ');

  return (
    <section aria-labelledby="run-detail-heading" className={`${ui.card} ${styles.detail}`}>
      <div className={styles.detailTop}>
        <h2 id="run-detail-heading">Run details</h2>
        <button type="button" className={`${ui.button} ${ui.small}`} onClick={onClose}>
          Close details
        </button>
      </div>
      <FailureAlert failure={failure} />
      {!run ? (
        !failure && <p className="muted">Loading the run…</p>
      ) : (
        <>
          <dl className={styles.facts}>
            <dt>Status</dt>
            <dd>
              <StatusBadge status={run.status} />
            </dd>
            <dt>Started</dt>
            <dd>
              <time dateTime={isoTime(run.createdAt)}>{fullTime(run.createdAt)}</time> by {who(run.createdById)}
            </dd>
            <RanOnFact state={execution} status={run.status} workerId={run.workerId} startedAt={run.startedAt} />
            <dt>Version</dt>
            <dd>v{run.version.number}</dd>
            <dt>Duration</dt>
            <dd>{run.status === 'queued' ? 'waiting for a worker' : formatDuration(runDuration(run))}</dd>
            <dt>Run id</dt>
            <dd>
              <code>{run.id}</code>
            </dd>
          </dl>

          {problems.length > 0 && (
            <div className={ui.error}>
              <strong>{problems.length === 1 ? 'Problem' : 'Problems'}</strong>
              <ul className={styles.problems}>
                {problems.map((p, i) => (
                  <li key={i}>
                    {p.nodeId ? <code>{p.nodeId}</code> : 'Graph'}
                    {p.where ? ` (${p.where})` : ''}: {p.message} <span className={styles.code}>[{p.code}]</span>
                  </li>
                ))}
              </ul>
            </div>
          )}

          {inputs.length > 0 && (
            <>
              <h3>Inputs</h3>
              <dl className={styles.facts} data-testid="run-inputs">
                {inputs.map((row) => (
                  <div key={row.name} className={styles.factRow}>
                    <dt>
                      {row.name} {row.kind && <span className="muted">({row.kind})</span>}
                    </dt>
                    <dd>
                      <InputValue row={row} />
                    </dd>
                  </div>
                ))}
              </dl>
            </>
          )}

          <h3>Nodes</h3>
          {run.nodes.length === 0 ? (
            <p className="muted">{run.status === 'queued' || run.status === 'running' ? 'Node results appear when the run ends.' : 'No node results were recorded.'}</p>
          ) : (
            <div className={styles.tableWrap}>
              <table className={styles.table}>
                <thead>
                  <tr>
                    <th scope="col">Node</th>
                    <th scope="col">Status</th>
                    <th scope="col">Time</th>
                    <th scope="col">Error</th>
                  </tr>
                </thead>
                <tbody>
                  {run.nodes.map((node) => (
                    <tr key={node.nodeId}>
                      <td>
                        <code>{node.nodeId}</code>
                        {nodeTypes.get(node.nodeId) && <div className="muted">{nodeTypes.get(node.nodeId)}</div>}
                        <NodeProvider state={execution} nodeId={node.nodeId} />
                      </td>
                      <td>
                        <StatusBadge status={node.status} />
                      </td>
                      <td>{node.status === 'cached' ? 'cached' : formatDuration(node.durationMs)}</td>
                      <td>{node.error ? nodeProblems(node.nodeId, node.error) : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}

          {(outputs.images.length > 0 || outputs.values.length > 0) && <h3>Outputs</h3>}
          {outputs.images.length > 0 && (
            <ul className={styles.gallery}>
              {outputs.images.map((image) => (
                <li key={image.name}>
                  <OutputImage runId={run.id} image={image} alt={`${image.name} (full-size PNG)`} />
                </li>
              ))}
            </ul>
          )}
          {outputs.values.length > 0 && (
            <dl className={styles.facts}>
              {outputs.values.map((v) => (
                <div key={v.name} className={styles.factRow}>
                  <dt>
                    {v.name} <span className="muted">({v.kind})</span>
                  </dt>
                  <dd>
                    <pre className={styles.value}>{typeof v.value === 'string' ? v.value : JSON.stringify(v.value, null, 2)}</pre>
                  </dd>
                </div>
              ))}
            </dl>
          )}
          <RunFiles runId={run.id} finished={run.status !== 'queued' && run.status !== 'running'} />
        </>
      )}
    </section>
  );
}
