import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultImageLimits, type ImageLimits, type NodeContext } from '../../nodes/context';
import type { AnyNodeDefinition } from '../../nodes/define';
import type { PixelImage } from '../../nodes/_impl/pixel-image';
import type { PortValue } from '../../nodes/ports';
import { invokeNode } from '../../engine/invoke-node';
import { DiskArtifactStore } from '../../server/storage/disk-artifact-store';
import { createFileRoot } from '../../server/storage/file-root';

const tempDirs: string[] = [];
// Each harness writes artifacts to its own temp folder; remove them when the test process ends.
process.once('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

export interface Harness {
  ctx: NodeContext;
  artifacts: DiskArtifactStore;
  progress: { fraction: number; message?: string }[];
  previews: { image: PixelImage; label?: string }[];
}

/** A real node context over a temp artifact store, recording progress and previews. */
export function createHarness(options: { fileRoot?: string; limits?: Partial<ImageLimits>; signal?: AbortSignal } = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'pw-artifacts-'));
  tempDirs.push(dir);
  const artifacts = new DiskArtifactStore(dir);
  const progress: Harness['progress'] = [];
  const previews: Harness['previews'] = [];
  const ctx: NodeContext = {
    runId: 'test-run',
    nodeId: 'node',
    signal: options.signal ?? new AbortController().signal,
    progress: (fraction, message) => progress.push({ fraction, message }),
    preview: (image, label) => previews.push({ image, label }),
    artifacts,
    files: options.fileRoot ? createFileRoot(options.fileRoot) : undefined,
    limits: { ...defaultImageLimits, ...options.limits },
    document: { format: 'pixelwire.graph', version: 1, nodes: [], edges: [] },
  };
  return { ctx, artifacts, progress, previews };
}

/** Runs a node definition once through the engine's own invoke path (params parsed, outputs checked). */
export async function runNode(
  def: AnyNodeDefinition,
  inputs: Record<string, PortValue | undefined>,
  params: Record<string, unknown> = {},
  harness: Harness = createHarness(),
): Promise<Record<string, PortValue>> {
  return invokeNode(def, inputs, params, harness.ctx);
}
