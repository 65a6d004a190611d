'use client';
import { Handle, Position } from '@xyflow/react';
import { memo, useMemo } from 'react';
import type { ValidationError } from '../../../../engine/validation-error';
import { modelHasTrait, type ParamWorld } from '../../../../nodes/param-ui';
import { useCatalogueStore } from './catalogue-store';
import { useDiffusionModelFacts } from './diffusion-models-store';
import { paramHandleId } from './graph-io';
import { useGraphStore } from './graph-store';
import { paramContextKey, parseParamContextKey } from './node-model';
import { paramKind } from './node-ports';
import { paramLabel, shownParams, valueOrDefault, type ParamSpec } from './param-schema';
import { widgets } from './param-widgets';
import { portColours } from './port-colours';

interface ParamRowsProps {
  nodeId: string;
  specs: ParamSpec[];
  values: Record<string, unknown>;
  errors: ValidationError[] | undefined;
  /** Sets a value; by default the node's own param. */
  onChange?(name: string, value: unknown): void;
  /** Whether params take graph inputs: a handle on each row and an "expose as graph input" button. */
  exposable?: boolean;
  /** Zoomed out: only the rows a graph input sets, so their wires still have a handle to end at. */
  compact?: boolean;
}

/** `param=input name` pairs of the node's params that graph inputs set, as one string (a stable selector value). */
function wiredParams(s: ReturnType<typeof useGraphStore.getState>, nodeId: string): string {
  let out = '';
  for (const e of s.ioEdges) {
    if (e.target !== nodeId || !e.data?.param) continue;
    const name = s.ioNodes.find((n) => n.id === e.source)?.data.name ?? e.source;
    out += `${out ? '\n' : ''}${e.data.param}=${name}`;
  }
  return out;
}

/**
 * The param rows of a node, generated from JSON Schema: a widget each, or the graph input that sets it,
 * labelled with the declared title; params that do not apply (see nodes/param-ui.ts) are hidden, values kept.
 */
export const ParamRows = memo(function ParamRows({ nodeId, specs, values, errors, onChange, exposable = false, compact = false }: ParamRowsProps) {
  const setParam = useGraphStore((s) => s.setParam);
  const editMode = useGraphStore((s) => s.editMode);
  const exposeInput = useGraphStore((s) => s.exposeInput);
  const wiredText = useGraphStore((s) => (exposable ? wiredParams(s, nodeId) : ''));
  const wired = new Map(wiredText ? wiredText.split('\n').map((line) => line.split('=') as [string, string]) : []);
  // What the conditions depend on besides the node's own values: its connected ports and its diffusion model.
  const conditional = specs.some((s) => s.visibleWhen || s.kind === 'class-label');
  const needsModel = specs.some((s) => s.kind === 'class-label' || s.visibleWhen?.some((c) => 'model' in c));
  const contextKey = useGraphStore((s) => (conditional ? paramContextKey(s, nodeId, useCatalogueStore.getState().byType) : ''));
  const context = useMemo(() => parseParamContextKey(contextKey), [contextKey]);
  const modelFacts = useDiffusionModelFacts(context.model, needsModel);
  const world: ParamWorld = {
    value: (name) => valueOrDefault(specs, values, name),
    connected: (port) => context.connected.has(port),
    modelHas: (trait) => (modelFacts ? modelHasTrait(modelFacts, trait) : undefined),
  };
  // A param a graph input sets, or one with a problem, shows even when it does not apply: a wire or an error never points at nothing.
  const visible = shownParams(specs, world, (name) => wired.has(name) || (errors?.some((e) => e.param === name) ?? false));
  const shown = compact ? visible.filter((s) => wired.has(s.name)) : visible;
  if (shown.length === 0) return null;
  const set = onChange ?? ((name: string, value: unknown) => setParam(nodeId, name, value));
  const idBase = `pw-param-${nodeId}`;
  return (
    <fieldset className="pw-params" disabled={editMode === 'none'} data-compact={compact || undefined}>
      <legend className="pw-visually-hidden">Params of {nodeId}</legend>
      {shown.map((spec) => {
        const Widget = widgets[spec.kind];
        const problems = errors?.filter((e) => e.param === spec.name) ?? [];
        const by = wired.get(spec.name);
        const kind = paramKind(spec);
        return (
          <div key={spec.name} className="pw-param" data-param={spec.name} data-invalid={problems.length > 0 || undefined} title={spec.schema.description}>
            {exposable && (
              <Handle
                type="target"
                position={Position.Left}
                id={paramHandleId(spec.name)}
                isConnectableStart={false}
                className="pw-handle pw-handle--param"
                style={{ background: portColours[kind] }}
                title={`${paramLabel(spec)}: ${kind}, can be set by a graph input`}
              />
            )}
            <span className="pw-param__name" id={`${idBase}-${spec.name}`} title={paramLabel(spec) !== spec.name ? `${paramLabel(spec)} (${spec.name})` : undefined}>
              {paramLabel(spec)}
            </span>
            {by ? (
              <span className="pw-param__wired" data-testid={`param-input-${nodeId}-${spec.name}`}>
                ← graph input <strong>{by}</strong>
              </span>
            ) : compact ? null : (
              <Widget spec={spec} value={values[spec.name]} invalid={problems.length > 0} onChange={(v) => set(spec.name, v)} modelFacts={modelFacts} />
            )}
            {exposable && editMode === 'all' && !by && !compact ? (
              <button
                type="button"
                className="nodrag pw-expose"
                // The label names no param, so that looking a widget up by its param's name finds the widget alone.
                aria-label="Expose as graph input"
                aria-describedby={`${idBase}-${spec.name}`}
                title={`Expose ${paramLabel(spec)} as a graph input (callers of the graph can set it)`}
                onClick={() => exposeInput(nodeId, { param: spec.name, kind, value: values[spec.name] ?? spec.schema.default })}
              >
                ⇤
              </button>
            ) : (
              <span />
            )}
            {problems.map((p, i) => (
              <span key={i} className="pw-param__error">
                {p.message}
              </span>
            ))}
          </div>
        );
      })}
    </fieldset>
  );
});
