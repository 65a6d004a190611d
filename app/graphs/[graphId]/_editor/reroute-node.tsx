'use client';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { PixelNode } from './document-flow';
import { useGraphStore } from './graph-store';
import { portColours } from './port-colours';
import { PASS_HANDLE, REROUTE_TYPE } from './reroute-edit';
import { useCarriedKind } from './use-carried-kind';

/**
 * A reroute point: a dot a wire passes through, in the colour of the kind it carries (what
 * feeds it; grey while nothing does). Its problems (nothing connected) show as a red ring and
 * in its tooltip.
 */
export function RerouteNodeView({ id, selected }: NodeProps<PixelNode>) {
  const kind = useCarriedKind(id, PASS_HANDLE);
  const errors = useGraphStore((s) => s.errors[id]);
  const carries = kind === 'any' ? 'nothing connected yet' : kind;
  const title = errors?.length ? `Reroute: ${errors.map((e) => e.message).join('; ')}` : `Reroute (${carries})`;
  return (
    <div
      className="pw-reroute"
      data-testid={`node-${id}`}
      data-type={REROUTE_TYPE}
      data-kind={kind}
      data-selected={selected || undefined}
      data-invalid={errors?.length ? true : undefined}
      title={title}
      style={{ background: portColours[kind] }}
    >
      <Handle type="target" position={Position.Left} id={PASS_HANDLE} className="pw-reroute__handle" aria-label={`reroute input: ${kind}`} />
      <Handle type="source" position={Position.Right} id={PASS_HANDLE} className="pw-reroute__handle" aria-label={`reroute output: ${kind}`} />
    </div>
  );
}
