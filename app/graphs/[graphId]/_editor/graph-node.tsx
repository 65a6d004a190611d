'use client';
import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { InputKind, PortKind } from '../../../../nodes/ports';
import type { PixelNode } from './document-flow';
import { useGraphStore } from './graph-store';
import { BypassGap } from './node-bypass';
import { NodeFrame, useNodeView } from './node-frame';
import { NodeErrors, NodeRunStateView } from './node-run-state';
import { ParamRows } from './param-rows';
import { PipelineNodeView } from './pipeline-node';
import { PIPELINE_TYPE } from './pipeline-ports';
import { PortRow } from './port-row';
import { REROUTE_TYPE, SHOW_TYPE } from './reroute-edit';
import { RerouteNodeView } from './reroute-node';
import { ShowNodeView } from './show-node';

/** The one node component: title, typed handles, param widgets, run state and validation errors, all from the catalogue. */
function CatalogueNodeView({ id, data, selected }: NodeProps<PixelNode>) {
  const { compact, item, run, errors, title, frame } = useNodeView(id, data, data.type);
  const editable = useGraphStore((s) => s.editMode === 'all');
  const exposeInput = useGraphStore((s) => s.exposeInput);
  const exposeOutput = useGraphStore((s) => s.exposeOutput);
  const problemsOf = (port: string) => errors?.filter((e) => e.port === port) ?? [];

  return (
    <NodeFrame {...frame} selected={selected}>
      <BypassGap id={id} entry={item?.entry} bypassed={data.bypass} />
      {!item && <p className="pw-node__error">unknown node type “{data.type}”</p>}
      {item && (
        <div className="pw-node__ports">
          <div className="pw-node__inputs">
            {item.entry.inputs.map((p) => (
              <PortRow
                key={p.name}
                nodeId={id}
                name={p.name}
                label={p.label}
                kind={p.kind}
                side="in"
                optional={p.optional}
                problems={problemsOf(p.name)}
                onExpose={editable && !compact ? exposable(p.kind, (kind) => exposeInput(id, { port: p.name, kind, optional: p.optional })) : undefined}
              />
            ))}
          </div>
          <div className="pw-node__outputs">
            {item.entry.outputs.map((p) => (
              <PortRow
                key={p.name}
                nodeId={id}
                name={p.name}
                label={p.label}
                kind={p.kind}
                side="out"
                optional={false}
                problems={[]}
                onExpose={editable && !compact ? exposable(p.kind, (kind) => exposeOutput(id, p.name, kind)) : undefined}
              />
            ))}
          </div>
        </div>
      )}
      {item && <ParamRows nodeId={id} specs={item.params} values={data.params} errors={errors} exposable compact={compact} />}
      <NodeRunStateView id={id} title={title} run={run} compact={compact} previewSlot={item?.entry.outputs.some((o) => o.kind === 'image')} />
      <NodeErrors id={id} errors={errors} />
    </NodeFrame>
  );
}

const CatalogueNode = memo(CatalogueNodeView);

/** "Expose as graph input/output" for a port of a plain kind; a graph port is never `any`. */
const exposable = (kind: InputKind, expose: (kind: PortKind) => void) => (kind === 'any' ? undefined : () => expose(kind));

/** Document nodes: a pipeline node (a saved graph's version), a reroute point, a Show value, or a node type from the catalogue. */
function GraphNodeView(props: NodeProps<PixelNode>) {
  if (props.data.type === PIPELINE_TYPE) return <PipelineNodeView {...props} />;
  if (props.data.type === REROUTE_TYPE) return <RerouteNodeView {...props} />;
  if (props.data.type === SHOW_TYPE) return <ShowNodeView {...props} />;
  return <CatalogueNode {...props} />;
}

export const GraphNode = memo(GraphNodeView);
