'use client';
import type { ReactNode } from 'react';
import { useCatalogueStore } from './catalogue-store';
import type { PixelNode } from './document-flow';
import { useGraphStore } from './graph-store';
import { BypassBadge } from './node-bypass';
import { StatusBadge, useCompact } from './node-run-state';
import { useIsStale } from './run-basis';
import { useRunStore, type NodeRunState } from './run-store';

export interface NodeFrameProps {
  id: string;
  data: PixelNode['data'];
  selected: boolean | undefined;
  title: string;
  description: string | undefined;
  status: NodeRunState['status'];
  stale: boolean;
  invalid: boolean;
  compact: boolean;
  /** An extra class beside pw-node (a node kind's own look). */
  variant?: string;
  children: ReactNode;
}

/** What every document node shares: the element with its state attributes, the header with title and badges, the id line. */
export function NodeFrame({ id, data, selected, title, description, status, stale, invalid, compact, variant, children }: NodeFrameProps) {
  return (
    <div
      className={variant ? `pw-node ${variant}` : 'pw-node'}
      data-testid={`node-${id}`}
      data-status={status}
      data-stale={stale || undefined}
      data-type={data.type}
      data-selected={selected || undefined}
      data-invalid={invalid || undefined}
      data-bypassed={data.bypass || undefined}
      data-compact={compact || undefined}
    >
      <header className="pw-node__header" title={description}>
        <span className="pw-node__title">{title}</span>
        <BypassBadge id={id} bypassed={data.bypass} />
        <StatusBadge status={status} nodeId={id} />
      </header>
      <div className="pw-node__sub pw-muted">
        {id} · {data.type}
      </div>
      {children}
    </div>
  );
}

/** What a document node reads to draw itself: its catalogue entry, run state, errors, and the frame's props. */
export function useNodeView(id: string, data: PixelNode['data'], fallbackTitle: string) {
  const compact = useCompact();
  const item = useCatalogueStore((s) => s.byType.get(data.type));
  const run = useRunStore((s) => s.nodes[id]);
  const errors = useGraphStore((s) => s.errors[id]);
  const status = run?.status ?? 'idle';
  const stale = useIsStale(id) && status !== 'idle';
  const title = data.label ?? item?.entry.title ?? fallbackTitle;
  const frame = { id, data, title, description: item?.entry.description, status, stale, invalid: (errors?.length ?? 0) > 0, compact };
  return { compact, item, run, errors, stale, title, frame };
}
