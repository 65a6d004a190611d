'use client';
import type { NodeProps } from '@xyflow/react';
import { memo, useCallback, useEffect, useMemo } from 'react';
import type { PixelNode } from './document-flow';
import { useGraphStore } from './graph-store';
import { NodeErrors, NodeRunStateView, StatusBadge, useCompact } from './node-run-state';
import { ParamRows } from './param-rows';
import { pipelineParamsOf } from './pipeline-ports';
import { pipelinePortsOf, pipelinePortsProblem, usePipelineStore } from './pipeline-store';
import { PipelineUpdate } from './pipeline-update';
import { PortRow } from './port-row';
import { inputField } from './run-inputs';
import { useRunStore } from './run-store';

/**
 * A saved graph's version used as a node: its graph inputs that feed ports are handles, those
 * that set params are widgets (values in params.inputs), its graph outputs are handles. Shows
 * the pinned version, "Update to vN" when the graph has a newer one, and a link to open it.
 * Run state is rolled up from the inner nodes (run-rollup.ts).
 */
function PipelineNode({ id, data, selected }: NodeProps<PixelNode>) {
  const compact = useCompact();
  const params = pipelineParamsOf(data.params);
  const graphId = params?.graphId ?? '';
  const version = params?.version ?? 0;
  const head = usePipelineStore((s) => s.byId.get(graphId));
  const summary = head?.summary;
  const ports = usePipelineStore((s) => pipelinePortsOf(s, graphId, version));
  const portsProblem = usePipelineStore((s) => pipelinePortsProblem(s, graphId, version));
  const listed = usePipelineStore((s) => s.status === 'ready' || s.status === 'failed');
  const run = useRunStore((s) => s.nodes[id]);
  const rawErrors = useGraphStore((s) => s.errors[id]);
  const editable = useGraphStore((s) => s.editMode === 'all');
  const exposeInput = useGraphStore((s) => s.exposeInput);
  const exposeOutput = useGraphStore((s) => s.exposeOutput);
  const setPipelineInput = useGraphStore((s) => s.setPipelineInput);

  // A pinned version that is not the head: its ports come from that version's document.
  const valid = params !== undefined;
  useEffect(() => {
    if (valid && listed && !ports) usePipelineStore.getState().ensureVersion(graphId, version);
  }, [valid, listed, ports, graphId, version]);

  const specs = useMemo(
    () =>
      (ports?.inputs ?? [])
        .filter((i) => i.setsParams)
        .map((i) => inputField({ name: i.name, kind: i.kind, required: i.required, default: i.default, description: i.description, targets: [] }, () => undefined).spec),
    [ports],
  );
  // The server names a pipeline input's problems `inputs.<name>`; the widgets are named <name>.
  const errors = useMemo(() => rawErrors?.map((e) => (e.param?.startsWith('inputs.') ? { ...e, param: e.param.slice('inputs.'.length) } : e)), [rawErrors]);
  const onChange = useCallback((name: string, value: unknown) => setPipelineInput(id, name, value), [id, setPipelineInput]);
  const status = run?.status ?? 'idle';
  const title = data.label ?? summary?.name ?? 'Pipeline';
  const problemsOf = (port: string) => errors?.filter((e) => e.port === port) ?? [];

  return (
    <div
      className="pw-node pw-node--pipeline"
      data-testid={`node-${id}`}
      data-status={status}
      data-type={data.type}
      data-selected={selected || undefined}
      data-invalid={(errors?.length ?? 0) > 0 || undefined}
      data-compact={compact || undefined}
    >
      <header className="pw-node__header" title={summary?.description ?? undefined}>
        <span className="pw-node__title">{title}</span>
        <span className="pw-badge" data-testid={`pipeline-version-${id}`} title={`Pinned to version ${version}`}>
          v{version}
        </span>
        <StatusBadge status={status} nodeId={id} />
      </header>
      <div className="pw-node__sub pw-muted pw-row">
        <span className="pw-pipeline__id">{id} · pipeline</span>
        {graphId && (
          <a className="nodrag pw-pipeline__open" href={`/graphs/${encodeURIComponent(graphId)}`} target="_blank" rel="noopener" aria-label={`Open ${title}`}>
            Open
          </a>
        )}
      </div>
      {!params && <p className="pw-node__error">this pipeline node names no graph and version</p>}
      {params && !ports && <p className={portsProblem ? 'pw-node__error' : 'pw-node__message pw-muted'}>{portsProblem ? `Cannot read version ${version} of this pipeline: ${portsProblem}` : 'Reading the pipeline’s ports…'}</p>}
      {params && head && head.summary.headVersion > version && !compact && (
        <div className="pw-pipeline__version">
          <PipelineUpdate nodeId={id} graphId={graphId} pinned={version} head={head.summary.headVersion} headPorts={head.ports} />
        </div>
      )}
      {ports && (
        <div className="pw-node__ports">
          <div className="pw-node__inputs">
            {ports.inputs
              .filter((p) => p.feedsPort)
              .map((p) => (
                <PortRow
                  key={p.name}
                  nodeId={id}
                  name={p.name}
                  label={undefined}
                  kind={p.kind}
                  side="in"
                  optional={!p.required}
                  problems={problemsOf(p.name)}
                  onExpose={editable && !compact ? () => exposeInput(id, { port: p.name, kind: p.kind, optional: !p.required }) : undefined}
                />
              ))}
          </div>
          <div className="pw-node__outputs">
            {ports.outputs.map((p) => (
              <PortRow
                key={p.name}
                nodeId={id}
                name={p.name}
                label={undefined}
                kind={p.kind}
                side="out"
                optional={false}
                problems={[]}
                onExpose={editable && !compact ? () => exposeOutput(id, p.name, p.kind) : undefined}
              />
            ))}
          </div>
        </div>
      )}
      {!compact && specs.length > 0 && (
        <ParamRows nodeId={id} specs={specs} values={(params?.inputs ?? {}) as Record<string, unknown>} errors={errors} onChange={onChange} />
      )}
      <NodeRunStateView id={id} title={title} run={run} compact={compact} />
      <NodeErrors id={id} errors={errors} />
    </div>
  );
}

export const PipelineNodeView = memo(PipelineNode);
