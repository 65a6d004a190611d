'use client';
import type { NodeProps } from '@xyflow/react';
import type { OutputSummary } from '../../../../server/runs/wire-events';
import type { PixelNode } from './document-flow';
import { NodeFrame, useNodeView } from './node-frame';
import { NodeErrors, NodeRunStateView } from './node-run-state';
import { PortRow } from './port-row';
import { PASS_HANDLE } from './reroute-edit';
import { shownText } from './shown-value';
import { useCarriedKind } from './use-carried-kind';

/**
 * Show value: one input of any kind, passed on unchanged, and after a run the value that
 * reached it drawn on the canvas — text and numbers as text, boxes and json pretty-printed,
 * images in the node's preview box. The value area has a fixed height (it scrolls), so a run
 * never makes the node grow over its neighbours.
 */
export function ShowNodeView({ id, data, selected }: NodeProps<PixelNode>) {
  const { compact, run, errors, stale, title, frame } = useNodeView(id, data, 'Show value');
  const kind = useCarriedKind(id, PASS_HANDLE);
  const value = run?.outputs?.[PASS_HANDLE];
  const image = kind === 'image' || kind === 'mask' || (value !== undefined && 'artifactId' in value);

  return (
    <NodeFrame {...frame} selected={selected} variant="pw-node--show">
      <div className="pw-node__ports">
        <div className="pw-node__inputs">
          <PortRow nodeId={id} name={PASS_HANDLE} label={undefined} kind={kind} side="in" optional={false} problems={errors?.filter((e) => e.port === PASS_HANDLE) ?? []} />
        </div>
        <div className="pw-node__outputs">
          <PortRow nodeId={id} name={PASS_HANDLE} label={undefined} kind={kind} side="out" optional={false} problems={[]} />
        </div>
      </div>
      {!compact && <ShownValue id={id} value={value} image={image} stale={stale} />}
      <NodeRunStateView id={id} title={title} run={run} compact={compact} previewSlot={image} />
      <NodeErrors id={id} errors={errors} />
    </NodeFrame>
  );
}

/** The value area: what reached the node in the run shown, or a line saying a run will show it. */
function ShownValue({ id, value, image, stale }: { id: string; value: OutputSummary | undefined; image: boolean; stale: boolean }) {
  if (value === undefined) {
    return (
      <p className="pw-show pw-show--empty pw-muted" data-testid={`shown-${id}`} data-image={image || undefined}>
        run the graph to see the value here
      </p>
    );
  }
  return (
    <pre className="nodrag nowheel pw-show" data-testid={`shown-${id}`} data-kind={value.kind} data-image={image || undefined} data-stale={stale || undefined} tabIndex={0} aria-label={`Value shown by ${id}`}>
      {shownText(value)}
    </pre>
  );
}
