import { z } from 'zod';
import type { PixelImage } from './_impl/pixel-image';

/** Every kind of value that can travel along an edge. */
export const portKinds = ['image', 'mask', 'text', 'number', 'boolean', 'json', 'boxes'] as const;
export const zPortKind = z.enum(portKinds);
export type PortKind = z.infer<typeof zPortKind>;

/**
 * What an input port may declare: a value kind, or `any` (a reroute, a value display) that takes every kind.
 * An output is `any` only as `port.sameAs(input)`: it has the kind of whatever feeds that input, which
 * validation resolves, so every wire still carries one checked kind. Values, graph inputs and graph outputs
 * are never `any`.
 */
export const inputKinds = [...portKinds, 'any'] as const;
export const zInputKind = z.enum(inputKinds);
export type InputKind = z.infer<typeof zInputKind>;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A detected or drawn region: axis-aligned box, optional polygon, score and label (both bounded: nodes draw them). */
export const zBox = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number().min(0),
  height: z.number().min(0),
  score: z.number().optional(),
  label: z.string().max(10_000).optional(),
  polygon: z.array(z.tuple([z.number(), z.number()])).max(10_000).optional(),
});
export type Box = z.infer<typeof zBox>;

/** The TypeScript type carried by each port kind. A mask is a one-channel image. */
interface ValueMap {
  image: PixelImage;
  mask: PixelImage;
  text: string;
  number: number;
  boolean: boolean;
  json: JsonValue;
  boxes: Box[];
}
/** An `any` port carries a value of one of the kinds. */
export interface PortValueMap extends ValueMap {
  any: ValueMap[PortKind];
}
export type PortValue<K extends InputKind = PortKind> = PortValueMap[K];

/** Kinds whose values have a length the engine bounds before a node runs: characters of text, items of boxes. */
export const boundedKinds = ['text', 'boxes'] as const;
export type BoundedKind = (typeof boundedKinds)[number];

/**
 * The longest value a port of a bounded kind takes unless its declaration says otherwise. Work such as drawing
 * grows with it (draw-text took ~6 s for 10,000 characters of words on one line on 2 cores; 100,000 did not
 * finish in 300 s), so every such input has a bound.
 */
export const defaultMaxLength: Record<BoundedKind, number> = { text: 10_000, boxes: 10_000 };

export interface PortSpec<K extends InputKind = InputKind, Optional extends boolean = boolean> {
  readonly kind: K;
  readonly optional: Optional;
  readonly label?: string;
  readonly description?: string;
  /** Text: most characters (UTF-16 code units); boxes: most items. Set for bounded kinds only. */
  readonly maxLength?: number;
  /** An `any` output only: the (`any`) input whose value's kind this output has. */
  readonly sameAs?: string;
}

interface PortOptions {
  label?: string;
  description?: string;
}

/** Options of a bounded kind's port: its own maxLength instead of defaultMaxLength. */
interface BoundedPortOptions extends PortOptions {
  maxLength?: number;
}

function builder<K extends InputKind>(kind: K) {
  function make(options?: PortOptions & { optional?: false }): PortSpec<K, false>;
  function make(options: PortOptions & { optional: true }): PortSpec<K, true>;
  function make(options: PortOptions & { optional?: boolean } = {}): PortSpec<K, boolean> {
    return { kind, optional: options.optional ?? false, label: options.label, description: options.description };
  }
  return make;
}

/** Builders of bounded kinds: every port gets a maxLength, its own or the kind's default. */
function boundedBuilder<K extends BoundedKind>(kind: K) {
  function make(options?: BoundedPortOptions & { optional?: false }): PortSpec<K, false>;
  function make(options: BoundedPortOptions & { optional: true }): PortSpec<K, true>;
  function make(options: BoundedPortOptions & { optional?: boolean } = {}): PortSpec<K, boolean> {
    const { label, description, optional = false, maxLength = defaultMaxLength[kind] } = options;
    return { kind, optional, label, description, maxLength };
  }
  return make;
}

const valuePorts = {
  image: builder('image'),
  mask: builder('mask'),
  text: boundedBuilder('text'),
  number: builder('number'),
  boolean: builder('boolean'),
  json: builder('json'),
  boxes: boundedBuilder('boxes'),
} satisfies { [K in PortKind]: unknown };

/**
 * Port builders: `port.image()`, `port.mask({ optional: true })`, …; `port.any()` for an input that takes
 * every kind, and `port.sameAs('value')` for an output of the kind that feeds input `value` (checked by defineNode).
 */
export const port = {
  ...valuePorts,
  any: builder('any'),
  sameAs: (input: string, options: PortOptions = {}): PortSpec<'any', false> => ({ kind: 'any', optional: false, sameAs: input, label: options.label, description: options.description }),
};

/**
 * Whether a value of kind `from` may flow into a port of kind `to`.
 * Same kind always; an `any` input takes every kind; a mask is a one-channel image,
 * so mask → image widens. Anything except images can be read as json.
 */
export function canConnect(from: PortKind, to: InputKind): boolean {
  if (from === to || to === 'any') return true;
  if (from === 'mask' && to === 'image') return true;
  if (to === 'json' && from !== 'image' && from !== 'mask') return true;
  return false;
}

/** Runtime check that a value matches a port kind (used for graph inputs and node outputs). */
export function isPortValue<K extends InputKind>(kind: K, value: unknown): value is PortValue<K> {
  switch (kind) {
    case 'any':
      return portKinds.some((k) => isPortValue(k, value));
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

export function isBoundedKind(kind: InputKind): kind is BoundedKind {
  return (boundedKinds as readonly InputKind[]).includes(kind);
}

/**
 * Why a value (already of the port's kind) is too large for the port, or undefined: text longer than its
 * maxLength characters, boxes with more items.
 */
export function portValueTooLarge(spec: PortSpec, value: unknown): string | undefined {
  if (spec.maxLength === undefined || (typeof value !== 'string' && !Array.isArray(value))) return undefined;
  if (value.length <= spec.maxLength) return undefined;
  const unit = spec.kind === 'text' ? 'characters' : 'items';
  return `${value.length} ${unit}; the limit is ${spec.maxLength}`;
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
