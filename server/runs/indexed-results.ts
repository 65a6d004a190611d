import type { ArtifactStore, ImageLimits } from '../../nodes/context';
import { decodeImage } from '../../nodes/_impl/decode-image';
import { createImage, type Channels, type PixelImage } from '../../nodes/_impl/pixel-image';
import { isPixelImage, isPortValue } from '../../nodes/ports';
import type { NodeOutputs, ResultCache } from '../../engine/result-cache';
import type { IndexedResult, ResultIndex } from '../ports/result-index';
import type { ImageSummary, OutputSummary } from './wire-events';

export function isImageSummary(summary: OutputSummary | undefined): summary is ImageSummary {
  return summary?.kind === 'image' || summary?.kind === 'mask';
}

/**
 * Whether summaries stand for exactly these outputs, so that an index entry made of
 * them can give the outputs back: every image is a stored PNG of its geometry, and
 * every value survives JSON as it is (no NaN or infinities, no -0, no undefined in
 * arrays, no buffers or class instances; an object member that is undefined reads the
 * same as an absent one). Outputs that would not are never indexed.
 */
export function summariesAreExact(outputs: NodeOutputs, summaries: Record<string, OutputSummary>): boolean {
  const ports = Object.keys(outputs);
  if (ports.length !== Object.keys(summaries).length) return false;
  return ports.every((port) => {
    const value = outputs[port];
    const summary = summaries[port];
    if (isPixelImage(value)) {
      return isImageSummary(summary) && summary.width === value.width && summary.height === value.height && summary.channels === value.channels;
    }
    return summary !== undefined && !isImageSummary(summary) && sameAsJson(JSON.parse(JSON.stringify(summary.value)), value);
  });
}

/** Whether `stored` (parsed JSON) is what `value` was, as any reader of the value would see it. */
function sameAsJson(stored: unknown, value: unknown, depth = 0): boolean {
  if (depth > 200) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return stored === value;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) && stored === value;
  if (Array.isArray(value)) {
    return Array.isArray(stored) && stored.length === value.length && value.every((item, i) => sameAsJson(stored[i], item, depth + 1));
  }
  if (typeof value !== 'object' || typeof stored !== 'object' || stored === null || Array.isArray(stored)) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const defined = Object.entries(value).filter(([, item]) => item !== undefined);
  return (
    defined.length === Object.keys(stored).length &&
    defined.every(([key, item]) => Object.hasOwn(stored, key) && sameAsJson((stored as Record<string, unknown>)[key], item, depth + 1))
  );
}

/** Whether every artifact an entry refers to (each image's PNG and preview) is in the store. */
export async function entryIsStored(entry: IndexedResult, artifacts: ArtifactStore): Promise<boolean> {
  const ids = Object.values(entry.outputs).flatMap((s) => (isImageSummary(s) ? [s.artifactId, s.preview.artifactId] : []));
  const present = await Promise.all(ids.map((id) => artifacts.has(id).catch(() => false)));
  return present.every(Boolean);
}

/**
 * A node's outputs rebuilt from an index entry: images decoded from their stored PNGs,
 * values taken from the entry. Undefined when anything is missing, undecodable, or not
 * what its summary says (geometry, channels, the value's kind).
 */
export async function restoreOutputs(entry: IndexedResult, artifacts: ArtifactStore, limits: ImageLimits): Promise<NodeOutputs | undefined> {
  const outputs: NodeOutputs = {};
  try {
    for (const [port, summary] of Object.entries(entry.outputs)) {
      if (isImageSummary(summary)) {
        const [stored, hasPreview] = await Promise.all([artifacts.get(summary.artifactId), artifacts.has(summary.preview.artifactId)]);
        if (!stored || !hasPreview) return undefined;
        const decoded = await decodeImage(stored.bytes, limits, `stored output ${summary.artifactId}`);
        if (decoded.width !== summary.width || decoded.height !== summary.height) return undefined;
        const image = withChannels(decoded, summary.channels);
        if (!image || !isPortValue(summary.kind, image)) return undefined;
        outputs[port] = image;
      } else {
        if (!isPortValue(summary.kind, summary.value)) return undefined;
        outputs[port] = summary.value;
      }
    }
  } catch {
    return undefined;
  }
  return outputs;
}

/**
 * The decoded image with the channels it was stored with. Decoding widens grey PNGs to
 * RGB and grey+alpha to RGBA; narrowing back is exact when every pixel has R = G = B,
 * and anything else is not what was stored (undefined).
 */
function withChannels(image: PixelImage, channels: Channels): PixelImage | undefined {
  if (image.channels === channels) return image;
  const colour = image.channels - (image.channels === 4 ? 1 : 0);
  if (colour !== 3 || channels !== image.channels - 2) return undefined;
  const n = image.width * image.height;
  const src = image.data;
  const out = Buffer.allocUnsafe(n * channels);
  for (let i = 0, s = 0; i < n; i++, s += image.channels) {
    const v = src[s]!;
    if (src[s + 1] !== v || src[s + 2] !== v) return undefined;
    out[i * channels] = v;
    if (channels === 2) out[i * 2 + 1] = src[s + 3]!;
  }
  return createImage(image.width, image.height, channels, out);
}

/**
 * The engine's ResultCache over a ResultIndex, as the last tier behind a worker's own
 * caches: a key another worker (or this one before a restart) finished comes back with
 * real pixels decoded from the shared artifact store, so the node is `cached` here too.
 * Writing is executeJob's job (the index holds stored summaries, made after the node
 * finished), so set does nothing. Entries it answered with are passed to onRestored.
 */
export class IndexedResultCache implements ResultCache {
  constructor(
    private readonly index: ResultIndex,
    private readonly artifacts: ArtifactStore,
    private readonly limits: ImageLimits,
    private readonly onRestored?: (cacheKey: string, entry: IndexedResult) => void,
  ) {}

  async get(cacheKey: string): Promise<NodeOutputs | undefined> {
    const entry = await this.index.get(cacheKey).catch(() => undefined);
    if (!entry) return undefined;
    const outputs = await restoreOutputs(entry, this.artifacts, this.limits);
    if (outputs) this.onRestored?.(cacheKey, entry);
    return outputs;
  }

  set(): void {}
}
