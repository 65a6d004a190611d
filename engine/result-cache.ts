import type { PortValue } from '../nodes/ports';
import { isPixelImage } from '../nodes/ports';

export type NodeOutputs = Record<string, PortValue>;

/** Where node outputs are kept by cache key. Implementations may be memory, disk, or tiers of both. */
export interface ResultCache {
  get(key: string): Promise<NodeOutputs | undefined> | NodeOutputs | undefined;
  set(key: string, outputs: NodeOutputs): Promise<void> | void;
}

/** Approximate bytes held by a set of outputs (pixel buffers dominate). */
export function outputBytes(outputs: NodeOutputs): number {
  let total = 64;
  for (const value of Object.values(outputs)) {
    if (isPixelImage(value)) total += value.data.length + 64;
    else if (typeof value === 'string') total += value.length * 2;
    else if (typeof value === 'object' && value !== null) total += JSON.stringify(value).length * 2;
    else total += 16;
  }
  return total;
}

/** In-memory LRU bounded by bytes. Map insertion order is the recency order. */
export class MemoryResultCache implements ResultCache {
  private readonly entries = new Map<string, { outputs: NodeOutputs; bytes: number }>();
  private bytes = 0;

  constructor(readonly maxBytes = 1024 * 1024 * 1024) {}

  get(key: string): NodeOutputs | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.outputs;
  }

  set(key: string, outputs: NodeOutputs): void {
    const bytes = outputBytes(outputs);
    if (bytes > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, { outputs, bytes });
    this.bytes += bytes;
    for (const [k, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= entry.bytes;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get heldBytes(): number {
    return this.bytes;
  }
}

/** Memory first, then a slower tier (disk); hits from the slower tier are promoted. */
export class TieredResultCache implements ResultCache {
  constructor(
    private readonly fast: ResultCache,
    private readonly slow: ResultCache,
  ) {}

  async get(key: string): Promise<NodeOutputs | undefined> {
    const hit = await this.fast.get(key);
    if (hit) return hit;
    const slow = await this.slow.get(key);
    if (slow) await this.fast.set(key, slow);
    return slow;
  }

  async set(key: string, outputs: NodeOutputs): Promise<void> {
    await this.fast.set(key, outputs);
    await this.slow.set(key, outputs);
  }
}
