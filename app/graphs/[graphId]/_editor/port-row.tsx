'use client';
import { Handle, Position } from '@xyflow/react';
import type { InputKind } from '../../../../nodes/ports';
import type { ValidationError } from '../../../../engine/validation-error';
import { portColours } from './port-colours';

interface PortRowProps {
  nodeId: string;
  name: string;
  label: string | undefined;
  kind: InputKind;
  side: 'in' | 'out';
  optional: boolean;
  problems: ValidationError[];
  /** "Expose as graph input/output": absent where the canvas may not be edited. */
  onExpose?(): void;
}

/** One typed port of a node: its handle (coloured by kind), name, kind, problems, and an expose button. */
export function PortRow({ nodeId, name, label, kind, side, optional, problems, onExpose }: PortRowProps) {
  const nameId = `pw-port-${nodeId}-${side}-${name}`;
  const tooltip = `${name}: ${kind}${optional ? ' (optional)' : ''}${problems.length ? ` — ${problems.map((p) => p.message).join('; ')}` : ''}`;
  const what = side === 'in' ? 'input' : 'output';
  return (
    <div className={`pw-port pw-port--${side}`} data-port={name} data-kind={kind} data-invalid={problems.length > 0 || undefined} title={tooltip}>
      <Handle
        type={side === 'in' ? 'target' : 'source'}
        position={side === 'in' ? Position.Left : Position.Right}
        id={name}
        className="pw-handle"
        style={{ background: portColours[kind] }}
        title={tooltip}
        aria-label={`${what} ${name}: ${kind}`}
      />
      <span className="pw-port__name" id={nameId}>
        {label ?? name}
        {optional && <span className="pw-muted">?</span>}
      </span>
      {kind !== name && (
        <span className="pw-port__kind" style={{ color: portColours[kind] }}>
          {kind}
        </span>
      )}
      {onExpose && (
        <button
          type="button"
          className="nodrag pw-expose"
          // The label names no port, so that looking a control up by a port's name does not find this button.
          aria-label={`Expose as graph ${what}`}
          aria-describedby={nameId}
          title={`Expose ${name} as a graph ${what}`}
          onClick={onExpose}
        >
          {side === 'in' ? '⇤' : '⇥'}
        </button>
      )}
    </div>
  );
}
