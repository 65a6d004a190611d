import { existsSync } from 'node:fs';
import { readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactMeta } from '../../nodes/context';
import type { BlobStore } from '../ports/blob-store';
import { DiskArtifactStore } from './disk-artifact-store';

export interface CachedBlobStoreOptions {
  /** Local folder laid out as a DiskArtifactStore. */
  directory: string;
  /** Bytes of blobs kept locally; the least recently used go first. */
  maxBytes: number;
}

/**
 * A read-through cache in front of any BlobStore (an S3 bucket): gets are served
 * from a local folder when the blob is there, else fetched from the remote and
 * written locally; puts write to the remote first, then locally. The folder is
 * kept under `maxBytes` by evicting the least recently used blobs, tracked in
 * memory and rebuilt from the files' times at start. A blob that was just used is
 * never the one evicted, so a single blob larger than the limit stays until the next.
 *
 * Several processes may share one folder (the server and its workers): each
 * tracks what it wrote, read or found at start, a blob another process evicted
 * is simply fetched again, and removal deletes the metadata file first, so a
 * half-removed blob reads as absent, never as broken.
 */
export class CachedBlobStore implements BlobStore {
  readonly local: DiskArtifactStore;
  readonly maxBytes: number;
  /** id → bytes on disk, least recently used first (Map keeps insertion order). */
  private readonly entries = new Map<string, number>();
  private total = 0;
  private readonly fetching = new Map<string, Promise<{ bytes: Buffer; meta: ArtifactMeta } | undefined>>();
  private readonly removing = new Map<string, Promise<void>>();
  private readonly ready: Promise<void>;
  private warned = false;

  constructor(
    readonly remote: BlobStore,
    options: CachedBlobStoreOptions,
  ) {
    this.local = new DiskArtifactStore(options.directory);
    this.maxBytes = options.maxBytes;
    this.ready = this.scan();
    // Awaited by every call; this only keeps a failed scan from being an unhandled rejection meanwhile.
    this.ready.catch(() => undefined);
  }

  /** Bytes the local copies take, as this process counts them. */
  get cachedBytes(): number {
    return this.total;
  }

  /** Ids held locally, least recently used first (this process's view). */
  cachedIds(): string[] {
    return [...this.entries.keys()];
  }

  async put(bytes: Buffer, meta: { mediaType: string; width?: number; height?: number }): Promise<ArtifactMeta> {
    await this.ready;
    // The remote is the truth other machines read: a blob is not stored until it is there.
    const stored = await this.remote.put(bytes, meta);
    if (await this.writeLocal(stored.id, bytes, meta)) await this.remember(stored.id, bytes.length);
    return stored;
  }

  async get(id: string): Promise<{ bytes: Buffer; meta: ArtifactMeta } | undefined> {
    if (!DiskArtifactStore.isArtifactId(id)) return undefined;
    await this.ready;
    const cached = await this.local.get(id);
    if (cached) {
      await this.remember(id, cached.bytes.length, true);
      return cached;
    }
    let pending = this.fetching.get(id);
    if (!pending) {
      pending = this.fetch(id).finally(() => this.fetching.delete(id));
      this.fetching.set(id, pending);
    }
    return pending;
  }

  async has(id: string): Promise<boolean> {
    if (!DiskArtifactStore.isArtifactId(id)) return false;
    await this.ready;
    return (await this.local.has(id)) || this.remote.has(id);
  }

  /** The local copy's path when the blob is cached here (the CLI copies outputs from it); else undefined. */
  pathOf(id: string): string | undefined {
    if (!DiskArtifactStore.isArtifactId(id)) return undefined;
    const bin = this.local.pathOf(id);
    if (!existsSync(metaPathOf(bin)) || !existsSync(bin)) return undefined;
    const size = this.entries.get(id);
    if (size !== undefined) {
      this.entries.delete(id);
      this.entries.set(id, size);
    }
    return bin;
  }

  private async fetch(id: string): Promise<{ bytes: Buffer; meta: ArtifactMeta } | undefined> {
    const fetched = await this.remote.get(id);
    if (!fetched) return undefined;
    const { mediaType, width, height } = fetched.meta;
    if (await this.writeLocal(id, fetched.bytes, { mediaType, width, height })) await this.remember(id, fetched.bytes.length);
    return fetched;
  }

  /**
   * Writes the local copy. The disk store skips a put whose metadata file exists, so a
   * metadata file left without its bytes (a removal racing a write, in this process or
   * another) is removed first; the copy is then written whole. The bucket holds the blob
   * already, so a failed local write (a full disk) costs speed, not the put or get: it is
   * reported once and answered false.
   */
  private async writeLocal(id: string, bytes: Buffer, meta: { mediaType: string; width?: number; height?: number }): Promise<boolean> {
    try {
      await this.removing.get(id);
      const bin = this.local.pathOf(id);
      if (!existsSync(bin)) await rm(metaPathOf(bin), { force: true });
      await this.local.put(bytes, meta);
      return true;
    } catch (error) {
      if (!this.warned) console.warn(`[pixelwire] blob cache: could not keep a local copy in ${this.local.directory} (${error instanceof Error ? error.message : String(error)})`);
      this.warned = true;
      return false;
    }
  }

  /** Marks a blob most recently used, then evicts the least recently used ones over the limit. */
  private async remember(id: string, size: number, touch = false): Promise<void> {
    const known = this.entries.get(id);
    if (known !== undefined) {
      this.entries.delete(id);
      this.total -= known;
    }
    this.entries.set(id, size);
    this.total += size;
    // Files' times carry the order across restarts.
    if (touch) {
      const now = new Date();
      await utimes(this.local.pathOf(id), now, now).catch(() => undefined);
    }
    await this.evict(id);
  }

  private async evict(keep?: string): Promise<void> {
    for (const [id, size] of this.entries) {
      if (this.total <= this.maxBytes) return;
      if (id === keep) continue;
      this.entries.delete(id);
      this.total -= size;
      const bin = this.local.pathOf(id);
      // The metadata file goes first: without it the blob reads as absent, never as half there.
      const removal = rm(metaPathOf(bin), { force: true })
        .then(() => rm(bin, { force: true }))
        .finally(() => this.removing.delete(id));
      this.removing.set(id, removal);
      await removal;
    }
  }

  /** Rebuilds the in-memory order from the folder: least recently used (by atime or mtime) first. */
  private async scan(): Promise<void> {
    const found: { id: string; size: number; usedMs: number }[] = [];
    const shards = await readdir(this.local.directory).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    for (const shard of shards) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      const names = await readdir(join(this.local.directory, shard)).catch(() => [] as string[]);
      for (const name of names) {
        const id = name.slice(0, -'.json'.length);
        if (!name.endsWith('.json') || !DiskArtifactStore.isArtifactId(id) || !id.startsWith(shard)) continue;
        const info = await stat(this.local.pathOf(id)).catch(() => undefined);
        if (info) found.push({ id, size: info.size, usedMs: Math.max(info.atimeMs, info.mtimeMs) });
      }
    }
    found.sort((a, b) => a.usedMs - b.usedMs);
    for (const { id, size } of found) {
      this.entries.set(id, size);
      this.total += size;
    }
    await this.evict();
  }
}

function metaPathOf(binPath: string): string {
  return `${binPath.slice(0, -'.bin'.length)}.json`;
}
