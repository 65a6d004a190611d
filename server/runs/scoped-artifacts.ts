import type { ArtifactMeta, ArtifactStore } from '../../nodes/context';

/**
 * The artifact store as one run sees it: it reads only the artifacts the server
 * checked for the run's caller (the job's `artifacts` list) and what the run
 * stored itself. Everything else is "not found", whatever a node or an input
 * asks for, so no value that reaches a worker can widen what the run may read.
 */
export function scopedArtifactStore(store: ArtifactStore, allowed: readonly string[]): ArtifactStore {
  const readable = new Set(allowed);
  return {
    async put(bytes, meta): Promise<ArtifactMeta> {
      const stored = await store.put(bytes, meta);
      readable.add(stored.id);
      return stored;
    },
    async get(id) {
      return readable.has(id) ? store.get(id) : undefined;
    },
    async has(id) {
      return readable.has(id) && (await store.has(id));
    },
    ...(store.pathOf ? { pathOf: (id: string) => (readable.has(id) ? store.pathOf!(id) : undefined) } : {}),
  };
}
