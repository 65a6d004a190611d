import type { PixelImage } from './_impl/pixel-image';

/** What the engine hands a node besides its inputs and params. Nothing here reaches a database or network. */
export interface NodeContext {
  readonly runId: string;
  readonly nodeId: string;
  /** Aborted when the run is cancelled; long loops must check it. */
  readonly signal: AbortSignal;
  /** Reports progress in [0, 1] with an optional message. */
  progress(fraction: number, message?: string): void;
  /** Streams an intermediate image to whoever watches the run. */
  preview(image: PixelImage, label?: string): void;
  readonly artifacts: ArtifactStore;
  /** Files a node may read, restricted to a configured root; undefined when file access is off. */
  readonly files: FileRoot | undefined;
  readonly limits: ImageLimits;
  /** The graph document being run, as JSON, so a save node can embed it. */
  readonly document: unknown;
  /** Where this run comes from, for files that record it (saved PNGs). */
  readonly provenance?: Provenance;
}

/** What a saved file says about how it was made. */
export interface Provenance {
  graphId?: string;
  /** The saved version run, or that the canvas was edited from (`edited`). */
  version?: number;
  edited?: boolean;
  runId: string;
  /** Models the run loads, `kind/name` → sha256 of their weights. */
  models: Record<string, string>;
}

export interface ImageLimits {
  /** Largest decoded image, in pixels (width × height). */
  maxPixels: number;
  /** Largest encoded input, in bytes. */
  maxInputBytes: number;
}

export const defaultImageLimits: ImageLimits = {
  maxPixels: 100_000_000,
  maxInputBytes: 256 * 1024 * 1024,
};

export interface ArtifactMeta {
  /** sha256 of the bytes, hex; the artifact's id. */
  id: string;
  mediaType: string;
  size: number;
  width?: number;
  height?: number;
}

/** Content-addressed store of encoded files (PNG, JPEG, …). */
export interface ArtifactStore {
  put(bytes: Buffer, meta: { mediaType: string; width?: number; height?: number }): Promise<ArtifactMeta>;
  get(id: string): Promise<{ bytes: Buffer; meta: ArtifactMeta } | undefined>;
  has(id: string): Promise<boolean>;
  /** Path on local disk, for stores that have one (CLI output copies). */
  pathOf?(id: string): string | undefined;
}

/** Read access to files under one directory; rejects any path that resolves outside it. */
export interface FileRoot {
  readonly root: string;
  read(relativePath: string, maxBytes: number): Promise<Buffer>;
  stat(relativePath: string): Promise<{ size: number; mtimeMs: number }>;
}
