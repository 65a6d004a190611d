import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createImage, isChannels } from '../../nodes/_impl/pixel-image';
import { isPixelImage, type PortValue } from '../../nodes/ports';
import type { NodeOutputs, ResultCache } from '../../engine/result-cache';

const keyPattern = /^[0-9a-f]{64}$/;

type Manifest = Record<string, { image: { width: number; height: number; channels: number; file: string } } | { value: unknown }>;

/**
 * Node outputs on disk by cache key: a manifest plus one raw pixel file per
 * image output. Entries are written to a temp folder and renamed into place,
 * so readers never see half an entry. Unreadable entries count as misses.
 */
export class DiskResultCache implements ResultCache {
  constructor(readonly directory: string) {}

  private folder(key: string): string {
    return join(this.directory, key.slice(0, 2), key);
  }

  async get(key: string): Promise<NodeOutputs | undefined> {
    if (!keyPattern.test(key)) return undefined;
    const folder = this.folder(key);
    let manifest: Manifest;
    try {
      manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8'));
    } catch {
      return undefined;
    }
    const outputs: NodeOutputs = {};
    try {
      for (const [name, entry] of Object.entries(manifest)) {
        if ('image' in entry) {
          const { width, height, channels, file } = entry.image;
          if (!isChannels(channels)) return undefined;
          outputs[name] = createImage(width, height, channels, await readFile(join(folder, file)));
        } else {
          // Written by set() from a PortValue, in a folder only this cache writes.
          outputs[name] = entry.value as PortValue;
        }
      }
    } catch {
      return undefined;
    }
    return outputs;
  }

  async set(key: string, outputs: NodeOutputs): Promise<void> {
    if (!keyPattern.test(key)) return;
    const folder = this.folder(key);
    const tmp = `${folder}.${randomBytes(6).toString('hex')}.tmp`;
    await mkdir(tmp, { recursive: true });
    const manifest: Manifest = {};
    let index = 0;
    for (const [name, value] of Object.entries(outputs)) {
      if (isPixelImage(value)) {
        const file = `${index++}.raw`;
        await writeFile(join(tmp, file), value.data);
        manifest[name] = { image: { width: value.width, height: value.height, channels: value.channels, file } };
      } else {
        manifest[name] = { value };
      }
    }
    await writeFile(join(tmp, 'manifest.json'), JSON.stringify(manifest));
    try {
      await rename(tmp, folder);
    } catch {
      // Another writer stored the same key first: same content, keep theirs.
      await rm(tmp, { recursive: true, force: true });
    }
  }
}
