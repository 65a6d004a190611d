'use client';
import { useEffect, useState } from 'react';
import { useGraphStore } from './graph-store';
import { describeChange, diffPorts, type PipelinePorts } from './pipeline-ports';
import { pipelinePortsOf, usePipelineStore } from './pipeline-store';

interface PipelineUpdateProps {
  nodeId: string;
  graphId: string;
  pinned: number;
  head: number;
  headPorts: PipelinePorts;
}

/**
 * "Update to vN" on a pipeline node pinned to an older version: first shows what changes in
 * its ports (added, removed, changed kind), then applies (wires to ports that are gone go too).
 */
export function PipelineUpdate({ nodeId, graphId, pinned, head, headPorts }: PipelineUpdateProps) {
  const [open, setOpen] = useState(false);
  const pinnedPorts = usePipelineStore((s) => pipelinePortsOf(s, graphId, pinned));
  const editable = useGraphStore((s) => s.editMode === 'all');
  useEffect(() => {
    if (open) usePipelineStore.getState().ensureVersion(graphId, pinned);
  }, [open, graphId, pinned]);
  if (!editable) return <span className="pw-muted">v{head} is out</span>;
  if (!open) {
    return (
      <button type="button" className="nodrag pw-button pw-pipeline__update" onClick={() => setOpen(true)} title={`See what changes in version ${head}, then update`}>
        Update to v{head}
      </button>
    );
  }
  const changes = pinnedPorts ? diffPorts(pinnedPorts, headPorts) : undefined;
  return (
    <div className="pw-pipeline__diff nodrag" role="group" aria-label={`Update to version ${head}`} data-testid={`pipeline-diff-${nodeId}`}>
      <p className="pw-pipeline__diff-title">
        v{pinned} → v{head}
      </p>
      {changes === undefined ? (
        <p className="pw-muted">Reading version {pinned}…</p>
      ) : changes.length === 0 ? (
        <p className="pw-muted">The ports stay the same.</p>
      ) : (
        <ul className="pw-pipeline__changes">
          {changes.map((c) => (
            <li key={`${c.side}:${c.name}`} data-change={c.change}>
              {describeChange(c)}
            </li>
          ))}
        </ul>
      )}
      <div className="pw-row">
        <button
          type="button"
          className="pw-button"
          onClick={() => {
            useGraphStore.getState().repinPipeline(nodeId, head, headPorts);
            setOpen(false);
          }}
        >
          Apply update
        </button>
        <button type="button" className="pw-button" onClick={() => setOpen(false)}>
          Keep v{pinned}
        </button>
      </div>
    </div>
  );
}
