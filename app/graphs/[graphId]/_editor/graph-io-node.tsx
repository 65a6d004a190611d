'use client';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useEffect, useId, useState, type ReactNode } from 'react';
import { portKinds, type PortKind } from '../../../../nodes/ports';
import { IO_HANDLE, type GraphInputData, type GraphInputNode, type GraphOutputNode } from './graph-io';
import { useGraphStore } from './graph-store';
import { useCompact } from './node-run-state';
import { widgets } from './param-widgets';
import { portColours } from './port-colours';
import { inputField } from './run-inputs';
import { ioNameProblem } from './wiring';

/** The name of a graph input or output, edited in place; a taken or malformed name is refused inline. */
function NameField({ id, name, side }: { id: string; name: string; side: 'input' | 'output' }) {
  const [draft, setDraft] = useState(name);
  const [problem, setProblem] = useState<string | null>(null);
  const errorId = useId();
  useEffect(() => setDraft(name), [name]);
  const commit = () => {
    if (draft === name) return setProblem(null);
    const why = ioNameProblem(useGraphStore.getState().ioNodes, id, draft);
    setProblem(why);
    if (!why) useGraphStore.getState().updateGraphPort(id, { name: draft });
  };
  return (
    <>
      <input
        type="text"
        className="nodrag pw-io__name"
        aria-label={`Graph ${side} name`}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? errorId : undefined}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') {
            setDraft(name);
            setProblem(null);
          }
        }}
      />
      {problem && (
        <span id={errorId} className="pw-param__error" role="alert">
          {problem}
        </span>
      )}
    </>
  );
}

function KindSelect({ id, kind }: { id: string; kind: PortKind }) {
  return (
    <select className="nodrag" aria-label="kind" value={kind} onChange={(e) => useGraphStore.getState().updateGraphPort(id, { kind: e.target.value as PortKind })}>
      {portKinds.map((k) => (
        <option key={k} value={k}>
          {k}
        </option>
      ))}
    </select>
  );
}

function DescriptionField({ id, value }: { id: string; value: string | undefined }) {
  return (
    <input
      type="text"
      className="nodrag"
      aria-label="description"
      placeholder="what it is for (optional)"
      maxLength={2000}
      value={value ?? ''}
      onChange={(e) => useGraphStore.getState().updateGraphPort(id, { description: e.target.value || undefined })}
    />
  );
}

/** The default's widget: the param widget of the input's kind (image inputs take no default). */
function DefaultField({ id, data }: { id: string; data: GraphInputData }) {
  if (data.kind === 'image' || data.kind === 'mask' || data.kind === 'boxes') return null;
  const { spec } = inputField({ name: 'default', kind: data.kind, required: false, targets: [] }, () => undefined);
  const Widget = widgets[spec.kind];
  return (
    <div className="pw-param" data-param="default">
      <span className="pw-param__name">default</span>
      <Widget spec={spec} value={data.default} invalid={false} onChange={(v) => useGraphStore.getState().updateGraphPort(id, { default: v })} />
      <span />
    </div>
  );
}

/** An Input node: one of the document's graph inputs, wired to the ports and params it feeds. */
function GraphInputView({ id, data, selected }: NodeProps<GraphInputNode>) {
  const compact = useCompact();
  const editable = useGraphStore((s) => s.editMode === 'all');
  return (
    <div className="pw-node pw-io pw-io--input" data-testid={`graph-input-${data.name}`} data-kind={data.kind} data-selected={selected || undefined}>
      <IoHeader side="input" name={data.name} kind={data.kind} description={data.description} />
      <Handle type="source" position={Position.Right} id={IO_HANDLE} className="pw-handle" style={{ background: portColours[data.kind] }} aria-label={`graph input ${data.name}: ${data.kind}`} />
      {!compact && (
        <fieldset className="pw-params" disabled={!editable}>
          <legend className="pw-visually-hidden">Graph input {data.name}</legend>
          <ParamRow label="name">
            <NameField id={id} name={data.name} side="input" />
          </ParamRow>
          <ParamRow label="kind">
            <KindSelect id={id} kind={data.kind} />
          </ParamRow>
          <ParamRow label="required">
            <input type="checkbox" className="nodrag" aria-label="required" checked={data.required} onChange={(e) => useGraphStore.getState().updateGraphPort(id, { required: e.target.checked })} />
          </ParamRow>
          <DefaultField id={id} data={data} />
          <ParamRow label="about">
            <DescriptionField id={id} value={data.description} />
          </ParamRow>
        </fieldset>
      )}
    </div>
  );
}

/** An Output node: one of the document's graph outputs, reading the port wired into it. */
function GraphOutputView({ id, data, selected }: NodeProps<GraphOutputNode>) {
  const compact = useCompact();
  const editable = useGraphStore((s) => s.editMode === 'all');
  const wired = useGraphStore((s) => s.ioEdges.some((e) => e.target === id));
  return (
    <div className="pw-node pw-io pw-io--output" data-testid={`graph-output-${data.name}`} data-kind={data.kind} data-selected={selected || undefined}>
      <Handle type="target" position={Position.Left} id={IO_HANDLE} className="pw-handle" style={{ background: portColours[data.kind] }} aria-label={`graph output ${data.name}: ${data.kind}`} />
      <IoHeader side="output" name={data.name} kind={data.kind} description={data.description} />
      {!wired && <p className="pw-node__message pw-muted">Wire a node’s output here.</p>}
      {!compact && (
        <fieldset className="pw-params" disabled={!editable}>
          <legend className="pw-visually-hidden">Graph output {data.name}</legend>
          <ParamRow label="name">
            <NameField id={id} name={data.name} side="output" />
          </ParamRow>
          <ParamRow label="about">
            <DescriptionField id={id} value={data.description} />
          </ParamRow>
        </fieldset>
      )}
    </div>
  );
}

export const GraphInputComponent = memo(GraphInputView);
export const GraphOutputComponent = memo(GraphOutputView);

/** The header of an Input or Output node: which side, its name and its kind. */
function IoHeader({ side, name, kind, description }: { side: 'input' | 'output'; name: string; kind: PortKind; description?: string }) {
  return (
    <header className="pw-node__header" title={description}>
      <span className="pw-badge">{side}</span>
      <span className="pw-node__title">{name}</span>
      <span className="pw-port__kind" style={{ color: portColours[kind] }}>
        {kind}
      </span>
    </header>
  );
}

/** One labelled row of an Input or Output node's fields. */
function ParamRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="pw-param">
      <span className="pw-param__name">{label}</span>
      {children}
      <span />
    </div>
  );
}
