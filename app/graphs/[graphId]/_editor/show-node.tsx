'use client';
import type { NodeProps } from '@xyflow/react';
import type { OutputSummary } from '../../../../server/runs/wire-events';
import { useCatalogueStore } from './catalogue-store';
import type { PixelNode } from './document-flow';
import { useGraphStore } from './graph-store';
import { NodeFrame } from './node-frame';
import { NodeErrors, NodeRunStateView, useCompact } from './node-run-state';
import { PortRow } from './port-row';
import { PASS_HANDLE } from './reroute-edit';
import { useIsStale } from './run-basis';
import { useRunStore } from './run-store';
import { shownText } from './shown-value';
import { useCarriedKind } from './use-carried-kind';

/**
 * Show value: one input of any kind, passed on unchanged, and after a run the value that
 * reached it drawn on the canvas — text and numbers as text, boxes and json pretty-printed,
 * images in the node's preview box. The value area has a fixed height (it scrolls), so a run
 * never makes the node grow over its neighbours.
 */
export function ShowNodeView({ id, data, selected }: NodeProps<PixelNode>) {
  const compact = useCompact();
  const item = useCatalogueStore((s) => s.byType.get(data.type));
  const run = useRunStore((s) => s.nodes[id]);
  const errors = useGraphStore((s) => s.errors[id]);
  const kind = useCarriedKind(id, PASS_HANDLE);
  const status = run?.status ?? 'idle';
  const stale = useIsStale(id) && status !== 'idle';
  const title = data.label ?? item?.entry.title ?? 'Show value';
  const value = run?.outputs?.[PASS_HANDLE];
  const image = kind === 'image' || kind === 'mask' || (value !== undefined && 'artifactId' in value);

  return (
    <NodeFrame
      id={id}
      data={data}
      selected={selected}
      title={title}
      description={item?.entry.description}
      status={status}
      stale={stale}
      invalid={(errors?.length ?? 0) > 0}
      compact={compact}
      variant="pw-node--show"
    >
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
