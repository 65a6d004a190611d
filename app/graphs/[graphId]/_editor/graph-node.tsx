'use client';
import { Handle, Position, useStore, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ValidationError } from '../../../../server/engine/validation-error';
import { useCatalogueStore } from './catalogue-store';
import type { PixelNode } from './document-flow';
import { useGraphStore } from './graph-store';
import { ParamWidgets } from './param-widgets';
import { portColours } from './port-colours';
import { useRunStore } from './run-store';

interface PortRowProps {
  name: string;
  label: string | undefined;
  kind: keyof typeof portColours;
  side: 'in' | 'out';
  optional: boolean;
  problems: ValidationError[];
}

function PortRow({ name, label, kind, side, optional, problems }: PortRowProps) {
  const tooltip = `${name}: ${kind}${optional ? ' (optional)' : ''}${problems.length ? ` — ${problems.map((p) => p.message).join('; ')}` : ''}`;
  return (
    <div className={`pw-port pw-port--${side}`} data-port={name} data-kind={kind} data-invalid={problems.length > 0 || undefined} title={tooltip}>
      <Handle
        type={side === 'in' ? 'target' : 'source'}
        position={side === 'in' ? Position.Left : Position.Right}
        id={name}
        className="pw-handle"
        style={{ background: portColours[kind] }}
        title={tooltip}
        aria-label={`${side === 'in' ? 'input' : 'output'} ${name}: ${kind}`}
      />
      <span className="pw-port__name">
        {label ?? name}
        {optional && <span className="pw-muted">?</span>}
      </span>
      {kind !== name && (
        <span className="pw-port__kind" style={{ color: portColours[kind] }}>
          {kind}
        </span>
      )}
    </div>
  );
}

/** Below this zoom, nodes drop their widgets and previews (too small to use) so large graphs pan smoothly. */
export const COMPACT_ZOOM = 0.45;

/** The one node component: title, typed handles, param widgets, run state and validation errors, all from the catalogue. */
function GraphNodeView({ id, data, selected }: NodeProps<PixelNode>) {
  // A boolean selector: nodes re-render when the zoom crosses the threshold, not on every pan or zoom step.
  const compact = useStore((s) => s.transform[2] < COMPACT_ZOOM);
  const item = useCatalogueStore((s) => s.byType.get(data.type));
  const run = useRunStore((s) => s.nodes[id]);
  const errors = useGraphStore((s) => s.errors[id]);
  const status = run?.status ?? 'idle';
  const title = data.label ?? item?.entry.title ?? data.type;
  const problemsOf = (port: string) => errors?.filter((e) => e.port === port) ?? [];

  return (
    <div
      className="pw-node"
      data-testid={`node-${id}`}
      data-status={status}
      data-type={data.type}
      data-selected={selected || undefined}
      data-invalid={(errors?.length ?? 0) > 0 || undefined}
      data-compact={compact || undefined}
    >
      <header className="pw-node__header" title={item?.entry.description}>
        <span className="pw-node__title">{title}</span>
        {status === 'cached' && <span className="pw-badge pw-badge--cached">cached</span>}
        {status !== 'idle' && status !== 'cached' && <span className={`pw-badge pw-badge--${status}`}>{status}</span>}
      </header>
      <div className="pw-node__sub pw-muted">
        {id} · {data.type}
      </div>
      {!item && <p className="pw-node__error">unknown node type “{data.type}”</p>}
      {item && (
        <div className="pw-node__ports">
          <div className="pw-node__inputs">
            {item.entry.inputs.map((p) => (
              <PortRow key={p.name} name={p.name} label={p.label} kind={p.kind} side="in" optional={p.optional} problems={problemsOf(p.name)} />
            ))}
          </div>
          <div className="pw-node__outputs">
            {item.entry.outputs.map((p) => (
              <PortRow key={p.name} name={p.name} label={p.label} kind={p.kind} side="out" optional={false} problems={[]} />
            ))}
          </div>
        </div>
      )}
      {item && !compact && <ParamWidgets nodeId={id} specs={item.params} values={data.params} errors={errors} />}
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
      {status === 'running' && run?.message && <p className="pw-node__message pw-muted">{run.message}</p>}
      {status === 'failed' && run?.error && (
        <p className="pw-node__error" data-testid={`error-${id}`}>
          {run.error.port ? `${run.error.port}: ` : run.error.param ? `${run.error.param}: ` : ''}
          {run.error.message}
        </p>
      )}
      {errors && errors.length > 0 && (
        <ul className="pw-node__errors" data-testid={`errors-${id}`}>
          {errors.map((e, i) => (
            <li key={i}>
              {e.port ? <strong>{e.port}: </strong> : e.param ? <strong>{e.param}: </strong> : null}
              {e.message}
            </li>
          ))}
        </ul>
      )}
      {run?.previewUrl && !compact && <img className="pw-node__preview" data-testid={`preview-${id}`} src={run.previewUrl} alt={`Preview of ${title}`} />}
    </div>
  );
}

export const GraphNode = memo(GraphNodeView);
