'use client';
import { NodeResizer, type NodeProps } from '@xyflow/react';
import { memo, useState } from 'react';
import type { FrameNode } from './frames';
import { useGraphStore } from './graph-store';

/** A resizable titled box drawn behind nodes; double-click the title to rename it. */
function FrameNodeView({ id, data, selected }: NodeProps<FrameNode>) {
  const setFrameTitle = useGraphStore((s) => s.setFrameTitle);
  const [editing, setEditing] = useState(false);
  return (
    <div className="pw-frame" data-testid={`frame-${id}`} data-selected={selected || undefined}>
      <NodeResizer isVisible={selected} minWidth={160} minHeight={100} lineClassName="pw-frame__resize-line" handleClassName="pw-frame__resize-handle" />
      {editing ? (
        <input
          className="nodrag pw-frame__title-input"
          aria-label="Frame title"
          autoFocus
          defaultValue={data.title}
          onBlur={(e) => {
            setFrameTitle(id, e.target.value);
            setEditing(false);
          }}
          onKeyDown={(e) => {
            e.stopPropagation();
            if (e.key === 'Enter') e.currentTarget.blur();
            if (e.key === 'Escape') setEditing(false);
          }}
        />
      ) : (
        <div className="pw-frame__title" onDoubleClick={() => setEditing(true)} title="Double-click to rename">
          {data.title}
        </div>
      )}
    </div>
  );
}

export const FrameNodeComponent = memo(FrameNodeView);
