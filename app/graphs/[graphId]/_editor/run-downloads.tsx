'use client';
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { savedFileOf, type OutputSummary } from '../../../../server/runs/wire-events';
import styles from './run-save.module.css';
import { runFileUrl, useRunStore } from './run-store';

export interface Download {
  key: string;
  /** What the link says and the file name the browser saves it under. */
  filename: string;
  href: string;
  what: string;
}

/** The files a run can give: each graph output image and each file a node saved (the PNGs that carry the graph). */
export function runDownloads(runId: string, outputs: Record<string, OutputSummary>, nodes: Record<string, { outputs?: Record<string, OutputSummary> }>): Download[] {
  const list: Download[] = [];
  for (const [name, o] of Object.entries(outputs)) {
    if ('artifactId' in o) list.push({ key: `out:${name}`, filename: `${name}.png`, href: runFileUrl(runId, o.artifactId), what: 'graph output' });
  }
  for (const [nodeId, node] of Object.entries(nodes)) {
    for (const [port, o] of Object.entries(node.outputs ?? {})) {
      const file = savedFileOf(o);
      if (file) list.push({ key: `saved:${nodeId}:${port}`, filename: file.filename, href: runFileUrl(runId, file.id), what: `saved by ${nodeId}` });
    }
  }
  return list;
}

/** The zip of a whole run (graph outputs, saved files, results.json). */
export const runZipUrl = (runId: string) => `/api/v1/runs/${encodeURIComponent(runId)}/outputs.zip`;

/** Download links for the current run's outputs and saved files, and "Download all" once it has finished. */
export function RunDownloads() {
  const { runId, status, outputs, nodes } = useRunStore(useShallow((s) => ({ runId: s.runId, status: s.status, outputs: s.outputs, nodes: s.nodes })));
  const list = useMemo(() => (runId ? runDownloads(runId, outputs, nodes) : []), [runId, outputs, nodes]);
  const finished = status === 'succeeded' || status === 'failed' || status === 'cancelled';
  if (!runId || (list.length === 0 && !finished)) return null;
  return (
    <section aria-label="Downloads" data-testid="run-downloads">
      <h4 style={{ margin: '0.5rem 0 0.25rem' }}>Downloads</h4>
      <ul style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: '0.25rem' }}>
        {list.map((d) => (
          <li key={d.key}>
            <a className={styles.button} href={d.href} download={d.filename} aria-label={`Download ${d.filename} (${d.what})`}>
              Download {d.filename}
            </a>{' '}
            <span className="muted">{d.what}</span>
          </li>
        ))}
      </ul>
      {finished ? (
        <p style={{ margin: '0.5rem 0' }}>
          <a className={styles.button} href={runZipUrl(runId)} download data-testid="run-zip">
            Download all (ZIP)
          </a>
        </p>
      ) : null}
    </section>
  );
}
