'use client';
import { useStore } from '@xyflow/react';
import { useState } from 'react';
import { create } from 'zustand';
import { useCatalogueStore } from './catalogue-store';
import { errorLines, stripServerPaths } from './error-text';
import { useGraphStore } from './graph-store';
import { paramLabel } from './param-schema';
import { useIsStale } from './run-basis';
import type { NodeRunState } from './run-store';

/** How an error names a param: by the label its row shows ("Image", not "artifact"); the name itself when unknown. */
function useParamLabel(nodeId: string, param: string | undefined): string | undefined {
  const type = useGraphStore((s) => (param === undefined ? undefined : s.nodes.find((n) => n.id === nodeId)?.data.type));
  const spec = useCatalogueStore((s) => (type === undefined ? undefined : s.byType.get(type)?.params.find((p) => p.name === param)));
  return spec ? paramLabel(spec) : param;
}

/** Below this zoom, nodes drop their widgets and previews (too small to use) so large graphs pan smoothly. */
export const COMPACT_ZOOM = 0.45;

/** Whether nodes are drawn compact; a boolean selector, so nodes re-render when the zoom crosses the threshold, not on every step. */
export const useCompact = () => useStore((s) => s.transform[2] < COMPACT_ZOOM);

/** The nodes whose preview box is collapsed (per node, for the page's life). */
const usePreviewCollapsed = create<{ collapsed: Record<string, boolean>; toggle(id: string): void }>((set) => ({
  collapsed: {},
  toggle: (id) => set((s) => ({ collapsed: { ...s.collapsed, [id]: !s.collapsed[id] } })),
}));

interface RunStateProps {
  id: string;
  title: string;
  run: NodeRunState | undefined;
  compact: boolean;
  /**
   * The node shows image previews (it has an image output): a preview box of fixed height
   * is kept for it from the start, so that a run never makes the node grow over its neighbours.
   */
  previewSlot?: boolean;
}

/**
 * A node's run state below its widgets, in a fixed space: one status line (progress while
 * running, the message, a failure in one line with details on demand) and, for nodes with
 * image outputs, a fixed-height, collapsible preview box. A node changed since the run shows
 * its old preview dimmed with "changed since run".
 */
export function NodeRunStateView({ id, title, run, compact, previewSlot }: RunStateProps) {
  const status = run?.status ?? 'idle';
  const stale = useIsStale(id) && status !== 'idle';
  const collapsed = usePreviewCollapsed((s) => s.collapsed[id] ?? false);
  const toggle = usePreviewCollapsed((s) => s.toggle);
  const hasPreview = Boolean(run?.previewUrl);
  const showBox = !compact && (previewSlot || hasPreview);
  return (
    <div className="pw-node__run" data-stale={stale || undefined}>
      <div className="pw-node__status-line">
        {status === 'running' && (
          <div
            className="pw-progress"
            role="progressbar"
            aria-label={`${id} progress`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={run?.progress === undefined ? undefined : Math.round(run.progress * 100)}
            data-indeterminate={run?.progress === undefined || undefined}
          >
            <div className="pw-progress__bar" style={{ width: `${Math.round((run?.progress ?? 0.3) * 100)}%` }} />
          </div>
        )}
        {status === 'running' && run?.message && <p className="pw-node__message pw-muted" title={stripServerPaths(run.message)}>{stripServerPaths(run.message)}</p>}
        {status === 'failed' && run?.error && <RunError id={id} error={run.error} />}
        {stale && (
          <p className="pw-node__stale pw-muted" data-testid={`stale-${id}`}>
            changed since run
          </p>
        )}
      </div>
      {showBox && (
        <div className="pw-node__preview-box" data-collapsed={collapsed || undefined}>
          <button
            type="button"
            className="nodrag pw-node__preview-toggle"
            aria-expanded={!collapsed}
            aria-label={`${collapsed ? 'Show' : 'Hide'} preview of ${title}`}
            onClick={() => toggle(id)}
          >
            {collapsed ? '▸' : '▾'} Preview
          </button>
          {!collapsed &&
            (hasPreview ? (
              <img className="pw-node__preview" data-testid={`preview-${id}`} data-stale={stale || undefined} src={run!.previewUrl} alt={`Preview of ${title}`} />
            ) : (
              <div className="pw-node__preview pw-node__preview--empty pw-muted">no preview yet</div>
            ))}
        </div>
      )}
    </div>
  );
}

/** A node's failure in one line (without server paths) inside its border, the whole message on demand. */
function RunError({ id, error }: { id: string; error: NonNullable<NodeRunState['error']> }) {
  const [open, setOpen] = useState(false);
  const param = useParamLabel(id, error.param);
  const where = error.port ? `${error.port}: ` : param ? `${param}: ` : '';
  const { line, details } = errorLines(`${where}${error.message}`);
  const more = details !== line || line.length > 40;
  return (
    <div className="pw-node__error" data-testid={`error-${id}`} data-open={open || undefined}>
      <span className="pw-node__error-line" title={details}>
        {open ? details : line}
      </span>
      {more && (
        <button type="button" className="nodrag pw-node__error-more" aria-expanded={open} aria-label={open ? 'Hide error details' : 'Show error details'} onClick={() => setOpen(!open)}>
          {open ? 'Less' : 'Details'}
        </button>
      )}
    </div>
  );
}

/** The status badge in a node's header ("changed" once the node's params or inputs changed since the run). */
export function StatusBadge({ status, nodeId }: { status: NodeRunState['status']; nodeId?: string }) {
  const stale = useIsStale(nodeId ?? '');
  if (status === 'idle') return null;
  if (stale && nodeId) return <span className="pw-badge pw-badge--stale" title={`was ${status}; changed since that run`}>changed</span>;
  return <span className={`pw-badge pw-badge--${status}`}>{status}</span>;
}

/** The validation problems of a node (as they stand for the canvas now), listed under it, one line each. */
export function NodeErrors({ id, errors }: { id: string; errors: readonly { port?: string; param?: string; message: string }[] | undefined }) {
  if (!errors || errors.length === 0) return null;
  return (
    <ul className="pw-node__errors" data-testid={`errors-${id}`}>
      {errors.map((e, i) => (
        <NodeErrorItem key={i} nodeId={id} error={e} />
      ))}
    </ul>
  );
}

function NodeErrorItem({ nodeId, error }: { nodeId: string; error: { port?: string; param?: string; message: string } }) {
  const text = stripServerPaths(error.message);
  const param = useParamLabel(nodeId, error.port ? undefined : error.param);
  return (
    <li title={text}>
      {error.port ? <strong>{error.port}: </strong> : param ? <strong>{param}: </strong> : null}
      {text}
    </li>
  );
}
