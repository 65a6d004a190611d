import type { Node } from '@xyflow/react';
import { z } from 'zod';

/** A titled box drawn behind nodes. Frames live in the document's `ui.frames`; runs ignore them. */
export type FrameData = { title: string };
export type FrameNode = Node<FrameData, 'frame'>;

const zFrame = z.object({
  id: z.string().min(1).max(64),
  title: z.string().max(200),
  position: z.object({ x: z.number(), y: z.number() }),
  width: z.number().positive(),
  height: z.number().positive(),
});
export type FrameRecord = z.infer<typeof zFrame>;

export const DEFAULT_FRAME_SIZE = { width: 420, height: 280 };

export function makeFrame(id: string, title: string, position: { x: number; y: number }, size = DEFAULT_FRAME_SIZE): FrameNode {
  return { id, type: 'frame', position, data: { title }, width: size.width, height: size.height, zIndex: -1 };
}

/** Frames of a document's `ui` object; entries that do not parse are dropped. */
export function framesFromUi(ui: Record<string, unknown> | undefined): FrameNode[] {
  const list = ui?.frames;
  if (!Array.isArray(list)) return [];
  const frames: FrameNode[] = [];
  for (const item of list) {
    const parsed = zFrame.safeParse(item);
    if (parsed.success) frames.push(makeFrame(parsed.data.id, parsed.data.title, parsed.data.position, parsed.data));
  }
  return frames;
}

export function framesToUi(frames: FrameNode[]): FrameRecord[] {
  return frames.map((f) => ({
    id: f.id,
    title: f.data.title,
    position: { x: Math.round(f.position.x), y: Math.round(f.position.y) },
    width: Math.round(f.width ?? f.measured?.width ?? DEFAULT_FRAME_SIZE.width),
    height: Math.round(f.height ?? f.measured?.height ?? DEFAULT_FRAME_SIZE.height),
  }));
}
