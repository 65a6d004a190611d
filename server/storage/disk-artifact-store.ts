import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactMeta, ArtifactStore } from '../../nodes/context';

const idPattern = /^[0-9a-f]{64}$/;

/**
 * Content-addressed artifact store on local disk: bytes under `ab/abcdef….bin`,
 * metadata beside them as JSON. Writes go to a temp file and are renamed, so a
 * crash never leaves a half-written artifact under its id.
 */
export class DiskArtifactStore implements ArtifactStore {
  constructor(readonly directory: string) {}

  static isArtifactId(id: string): boolean {
    return idPattern.test(id);
  }

  private base(id: string): string {
    if (!idPattern.test(id)) throw new RangeError(`not an artifact id: ${JSON.stringify(id).slice(0, 80)}`);
    return join(this.directory, id.slice(0, 2), id);
  }

  pathOf(id: string): string {
    return `${this.base(id)}.bin`;
  }

  async put(bytes: Buffer, meta: { mediaType: string; width?: number; height?: number }): Promise<ArtifactMeta> {
    const id = createHash('sha256').update(bytes).digest('hex');
    const full: ArtifactMeta = { id, mediaType: meta.mediaType, size: bytes.length, width: meta.width, height: meta.height };
    const base = this.base(id);
    if (await exists(`${base}.json`)) return full;
    await mkdir(join(this.directory, id.slice(0, 2)), { recursive: true });
    const tmp = `${base}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, `${base}.bin`);
    await writeFile(`${tmp}.json`, JSON.stringify(full));
    await rename(`${tmp}.json`, `${base}.json`);
    return full;
  }

  async get(id: string): Promise<{ bytes: Buffer; meta: ArtifactMeta } | undefined> {
    if (!idPattern.test(id)) return undefined;
    const base = this.base(id);
    try {
      const [bytes, metaText] = await Promise.all([readFile(`${base}.bin`), readFile(`${base}.json`, 'utf8')]);
      const meta: ArtifactMeta = JSON.parse(metaText);
      return { bytes, meta };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async has(id: string): Promise<boolean> {
    return idPattern.test(id) && exists(`${this.base(id)}.json`);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
