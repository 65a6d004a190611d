import type { ArtifactStore } from '../../nodes/context';
import { toSharp, type PixelImage } from '../../nodes/_impl/pixel-image';
import { isPixelImage, isPortValue, type JsonValue, type PortKind, type PortValue } from '../../nodes/ports';
import { previewSize, storePreview, type PreviewOptions } from './preview';
import type { ImageSummary, OutputSummary, PreviewRef, ValueSummary } from './wire-events';

export interface Summaries {
  outputs: Record<string, OutputSummary>;
  /** Outputs that could not be stored, by port. */
  failures: { port: string; message: string }[];
}

/**
 * Turns node and graph outputs into wire summaries: each image is stored once as
 * PNG plus a preview (the same pixel buffer seen again, e.g. passed through a
 * save node or returned as a graph output, reuses the stored artifacts). Images
 * whose artifacts are already stored (a cache hit answered by the ResultIndex)
 * are adopted and never encoded again.
 */
export class OutputSummariser {
  private readonly pngs = new WeakMap<PixelImage, Promise<string>>();
  private readonly previews = new WeakMap<PixelImage, Promise<PreviewRef>>();

  constructor(
    private readonly artifacts: ArtifactStore,
    private readonly previewOptions: PreviewOptions,
  ) {}

  /**
   * Takes an image's stored PNG (and its preview, when it was made with this run's
   * preview options) from an earlier summary, so summarising it stores nothing.
   * False, adopting nothing, when the summary is not of this image's geometry.
   */
  adopt(image: PixelImage, summary: ImageSummary): boolean {
    if (summary.width !== image.width || summary.height !== image.height || summary.channels !== image.channels) return false;
    this.pngs.set(image, Promise.resolve(summary.artifactId));
    if (this.previewFits(image, summary.preview)) this.previews.set(image, Promise.resolve(summary.preview));
    return true;
  }

  private previewFits(image: PixelImage, preview: PreviewRef): boolean {
    const size = previewSize(image.width, image.height, this.previewOptions.maxSide ?? 512);
    // storePreview's media types are image/<format>.
    return preview.mediaType === `image/${this.previewOptions.format ?? 'webp'}` && preview.width === size.width && preview.height === size.height;
  }

  /** The image's preview, made once per pixel buffer (an output's preview is sent before its full PNG is stored). */
  preview(image: PixelImage): Promise<PreviewRef> {
    let preview = this.previews.get(image);
    if (!preview) {
      preview = storePreview(image, this.artifacts, this.previewOptions);
      this.previews.set(image, preview);
      preview.catch(() => this.previews.delete(image));
    }
    return preview;
  }

  async summarise(outputs: Record<string, PortValue>, kindOf: (port: string) => PortKind | undefined): Promise<Summaries> {
    const entries = Object.entries(outputs);
    const settled = await Promise.allSettled(entries.map(([port, value]) => this.summariseOne(value, kindOf(port))));
    const result: Summaries = { outputs: {}, failures: [] };
    settled.forEach((s, i) => {
      const port = entries[i]![0];
      if (s.status === 'fulfilled') result.outputs[port] = s.value;
      else result.failures.push({ port, message: s.reason instanceof Error ? s.reason.message : String(s.reason) });
    });
    return result;
  }

  private async summariseOne(value: PortValue, kind: PortKind | undefined): Promise<OutputSummary> {
    if (isPixelImage(value)) {
      const [artifactId, preview] = await Promise.all([this.png(value), this.preview(value)]);
      const summary: ImageSummary = {
        kind: kind === 'mask' ? 'mask' : 'image',
        artifactId,
        mediaType: 'image/png',
        width: value.width,
        height: value.height,
        channels: value.channels,
        preview,
      };
      return summary;
    }
    const valueKind = kind === undefined ? kindOfValue(value) : kind === 'image' || kind === 'mask' ? 'json' : kind;
    return { kind: valueKind, value: toJson(value) };
  }

  /** The image stored as PNG, once per pixel buffer; resolves to its artifact id. */
  private png(image: PixelImage): Promise<string> {
    let stored = this.pngs.get(image);
    if (!stored) {
      stored = (async () => {
        // A light compression level: intermediates are written on every run and read rarely.
        const png = await toSharp(image).png({ compressionLevel: 3 }).toBuffer();
        const meta = await this.artifacts.put(png, { mediaType: 'image/png', width: image.width, height: image.height });
        return meta.id;
      })();
      this.pngs.set(image, stored);
      // A failed store is not remembered, so a later sighting retries it.
      stored.catch(() => this.pngs.delete(image));
    }
    return stored;
  }
}

/** The kind of a value whose port does not say (an `any` output such as Show value's): plain kinds by their type, else json. */
function kindOfValue(value: unknown): ValueSummary['kind'] {
  if (typeof value === 'string') return 'text';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number' && Number.isFinite(value)) return 'number';
  if (Array.isArray(value) && value.length > 0 && isPortValue('boxes', value)) return 'boxes';
  return 'json';
}

/** A JSON copy of a value: undefined members dropped, non-finite numbers become null. */
export function toJson(value: unknown): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : toJson(item)));
  if (typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined && typeof item !== 'function') out[key] = toJson(item);
    return out;
  }
  return null;
}
