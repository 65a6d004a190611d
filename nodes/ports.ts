import { z } from 'zod';
import type { PixelImage } from './_impl/pixel-image';

/** Every kind of value that can travel along an edge. */
export const portKinds = ['image', 'mask', 'text', 'number', 'boolean', 'json', 'boxes'] as const;
export const zPortKind = z.enum(portKinds);
export type PortKind = z.infer<typeof zPortKind>;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A detected or drawn region: axis-aligned box, optional polygon, score and label. */
export const zBox = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number().min(0),
  height: z.number().min(0),
  score: z.number().optional(),
  label: z.string().optional(),
  polygon: z.array(z.tuple([z.number(), z.number()])).optional(),
});
export type Box = z.infer<typeof zBox>;

/** The TypeScript type carried by each port kind. A mask is a one-channel image. */
export interface PortValueMap {
  image: PixelImage;
  mask: PixelImage;
  text: string;
  number: number;
  boolean: boolean;
  json: JsonValue;
  boxes: Box[];
}
export type PortValue<K extends PortKind = PortKind> = PortValueMap[K];

export interface PortSpec<K extends PortKind = PortKind, Optional extends boolean = boolean> {
  readonly kind: K;
  readonly optional: Optional;
  readonly label?: string;
  readonly description?: string;
}

interface PortOptions {
  label?: string;
  description?: string;
}

function builder<K extends PortKind>(kind: K) {
  function make(options?: PortOptions & { optional?: false }): PortSpec<K, false>;
  function make(options: PortOptions & { optional: true }): PortSpec<K, true>;
  function make(options: PortOptions & { optional?: boolean } = {}): PortSpec<K, boolean> {
    return { kind, optional: options.optional ?? false, label: options.label, description: options.description };
  }
  return make;
}

/** Port builders: `port.image()`, `port.mask({ optional: true })`, … */
export const port = {
  image: builder('image'),
  mask: builder('mask'),
  text: builder('text'),
  number: builder('number'),
  boolean: builder('boolean'),
  json: builder('json'),
  boxes: builder('boxes'),
} satisfies { [K in PortKind]: unknown };

/**
 * Whether a value of kind `from` may flow into a port of kind `to`.
 * Same kind always; a mask is a one-channel image, so mask → image widens.
 * Anything except images can be read as json.
 */
export function canConnect(from: PortKind, to: PortKind): boolean {
  if (from === to) return true;
  if (from === 'mask' && to === 'image') return true;
  if (to === 'json' && from !== 'image' && from !== 'mask') return true;
  return false;
}

/** Runtime check that a value matches a port kind (used for graph inputs and node outputs). */
export function isPortValue<K extends PortKind>(kind: K, value: unknown): value is PortValue<K> {
  switch (kind) {
    case 'image':
    case 'mask':
      return isPixelImage(value) && (kind === 'image' || value.channels === 1);
    case 'text':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'json':
      return value !== undefined && typeof value !== 'function';
    case 'boxes':
      return Array.isArray(value) && value.every((b) => zBox.safeParse(b).success);
  }
}

export function isPixelImage(value: unknown): value is PixelImage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<PixelImage>;
  return (
    typeof v.width === 'number' &&
    typeof v.height === 'number' &&
    (v.channels === 1 || v.channels === 2 || v.channels === 3 || v.channels === 4) &&
    Buffer.isBuffer(v.data) &&
    v.data.length === v.width * v.height * v.channels
  );
}
