import { join, resolve } from 'node:path';
import { defaultImageLimits, type ImageLimits } from '../nodes/context';
import { MemoryResultCache, TieredResultCache, type ResultCache } from '../engine/result-cache';
import type { RunServices } from '../engine/executor';
import type { BlobStore } from './ports/blob-store';
import { createBlobStore } from './storage/blob-store-config';
import { DiskResultCache } from './storage/disk-result-cache';
import { createFileRoot } from './storage/file-root';

export interface LocalServicesConfig {
  /** Root of everything stored on this machine (default ./data). */
  dataDir: string;
  /** Folder image.load may read files from; undefined turns file loading off. */
  filesRoot?: string;
  limits?: Partial<ImageLimits>;
  /** Keep node outputs on disk between runs (under dataDir/cache). */
  diskCache?: boolean;
  memoryCacheBytes?: number;
}

/** Blob store (local disk unless PIXELWIRE_S3_BUCKET is set), result cache and file root. */
export function createLocalServices(config: LocalServicesConfig): {
  services: RunServices;
  cache: ResultCache;
  artifacts: BlobStore;
  limits: ImageLimits;
} {
  const dataDir = resolve(config.dataDir);
  // The same store as the server's (a worker inherits its environment): <dataDir>/artifacts, or S3 when configured.
  const artifacts = createBlobStore({ dataDir, env: process.env });
  const memory = new MemoryResultCache(config.memoryCacheBytes);
  const cache = config.diskCache === false ? memory : new TieredResultCache(memory, new DiskResultCache(join(dataDir, 'cache')));
  const limits = { ...defaultImageLimits, ...config.limits };
  return {
    artifacts,
    cache,
    limits,
    services: { artifacts, files: config.filesRoot ? createFileRoot(config.filesRoot) : undefined, limits },
  };
}
