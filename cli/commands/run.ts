import { existsSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { encodeImage } from '../../nodes/_impl/encode-image';
import { GRAPH_PNG_KEYWORD } from '../../nodes/_impl/embedded-graph';
import { isPixelImage, type PortValue } from '../../nodes/ports';
import { builtinRegistry } from '../../nodes/registry';
import { planOf, startRun } from '../../engine/executor';
import { createLocalServices } from '../../server/local-services';
import type { BlobStore } from '../../server/ports/blob-store';
import { UsageError } from '../cli-error';
import { ProgressDisplay } from '../progress-display';
import { applyParamOverrides, parseGraphInputs } from '../parse-values';
import { FILES_ROOT_PNG_KEYWORD, readDocumentSource } from '../read-document';
import { expandBatchInputs } from '../batch-inputs';

export interface RunFlags {
  graph: string;
  inputs: string[];
  sets: string[];
  out: string;
  json: boolean;
  filesRoot?: string;
  dataDir: string;
  cache: boolean;
  maxPixels?: number;
  concurrency?: number;
}

const zSavedArtifact = z.object({ id: z.string().regex(/^[0-9a-f]{64}$/), filename: z.string().regex(/^[A-Za-z0-9_.-]+$/) });

/**
 * `pixelwire run`: returns the exit code. Invalid documents throw GraphValidationError (exit 2).
 * An image input naming several files (a quoted pattern or a folder) runs the graph once per
 * file, outputs in `<out>/<n>-<file>/`; the exit code is 0 only when every item succeeded.
 */
export async function runCommand(flags: RunFlags): Promise<number> {
  const source = await readDocumentSource(flags.graph);
  const raw = applyParamOverrides(source.document, flags.sets);
  const plan = planOf(raw, builtinRegistry);
  const limits = flags.maxPixels ? { maxPixels: flags.maxPixels } : {};
  // A PNG written by a CLI run names the folder that run read its files from: re-runs read the same files.
  const filesRoot = resolve(flags.filesRoot ?? (source.filesRoot && existsSync(source.filesRoot) ? source.filesRoot : dirname(resolve(flags.graph))));
  const local = createLocalServices({
    dataDir: flags.dataDir,
    filesRoot,
    limits,
    diskCache: flags.cache,
  });
  const { items, batched } = await expandBatchInputs(plan.document, flags.inputs);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const reports: ItemReport[] = [];
  try {
    for (const [index, item] of items.entries()) {
      if (controller.signal.aborted) break;
      if (batched && !flags.json) process.stderr.write(`item ${index + 1}/${items.length}: ${item.inputs.join(' ')}\n`);
      const inputs = await parseGraphInputs(plan.document, item.inputs, local.limits);
      const outDir = batched ? join(resolve(flags.out), item.label) : resolve(flags.out);
      reports.push(await runItem(plan, inputs, local, flags, outDir, controller.signal, filesRoot));
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  const succeeded = reports.filter((r) => r.status === 'succeeded').length;
  if (flags.json) {
    const body = batched ? { status: succeeded === items.length ? 'succeeded' : 'failed', total: items.length, succeeded, items: reports } : reports[0];
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    for (const report of reports) {
      for (const [name, summary] of Object.entries(report.outputs)) process.stdout.write(`${name}: ${JSON.stringify(summary)}\n`);
      for (const s of report.saved) process.stdout.write(`saved ${s.path}\n`);
      for (const e of report.errors) process.stderr.write(`error in ${e.nodeId}${e.port ? `.${e.port}` : ''}: ${e.code}: ${e.message}\n`);
      if (report.errors.some((e) => e.code === 'file_not_found') && !flags.filesRoot) {
        process.stderr.write(`files are read under ${filesRoot}; pass --files-root DIR with the folder the graph's paths are relative to\n`);
      }
    }
    if (batched) process.stdout.write(`${succeeded}/${items.length} items succeeded\n`);
  }
  return succeeded === items.length ? 0 : 1;
}

type ItemReport = Awaited<ReturnType<typeof runItem>>;

/** Runs the graph once with these inputs; outputs and saved images go to `outDir`. */
async function runItem(
  plan: ReturnType<typeof planOf>,
  inputs: Record<string, PortValue>,
  local: ReturnType<typeof createLocalServices>,
  flags: RunFlags,
  outDir: string,
  signal: AbortSignal,
  filesRoot: string,
) {
  const display = flags.json ? undefined : new ProgressDisplay(process.stderr);
  const handle = startRun({
    registry: builtinRegistry,
    document: plan,
    inputs,
    services: local.services,
    cache: flags.cache ? local.cache : undefined,
    signal,
    concurrency: flags.concurrency,
  });

  const saved: { nodeId: string; path: string; artifactId: string }[] = [];
  const cacheHits: string[] = [];
  // Graph outputs are written as NAME.png; saved images never take those names.
  const usedNames = new Set(plan.document.outputs.map((o) => `${o.name}.png`));
  const copies: Promise<void>[] = [];
  for await (const event of handle.events) {
    display?.handle(event);
    if (event.type === 'node.cached') cacheHits.push(event.nodeId);
    if (event.type === 'node.finished' || event.type === 'node.cached') {
      for (const value of Object.values(event.outputs)) {
        const artifact = zSavedArtifact.safeParse(value);
        if (!artifact.success) continue;
        const name = usedNames.has(artifact.data.filename) ? `${event.nodeId}-${artifact.data.filename}` : artifact.data.filename;
        usedNames.add(name);
        const path = join(outDir, name);
        saved.push({ nodeId: event.nodeId, path, artifactId: artifact.data.id });
        copies.push(mkdir(outDir, { recursive: true }).then(() => copyArtifact(local.artifacts, artifact.data.id, path)));
      }
    }
  }
  const result = await handle.result;
  await Promise.all(copies);
  const outputs: Record<string, unknown> = {};
  // Output PNGs carry the graph that made them and where it read its files, so `pixelwire run out/NAME.png` runs it again.
  const pngText = { [GRAPH_PNG_KEYWORD]: JSON.stringify(plan.document), [FILES_ROOT_PNG_KEYWORD]: filesRoot };
  for (const [name, value] of Object.entries(result.outputs)) outputs[name] = await writeOutput(outDir, name, value, pngText);
  const nodes = Object.fromEntries(Object.entries(result.nodes).map(([id, n]) => [id, { status: n.status, durationMs: round(n.durationMs) }]));
  return { status: result.status, runId: result.runId, durationMs: round(result.durationMs), outputs, saved, nodes, cacheHits, errors: result.errors };
}

/**
 * Copies a stored artifact to a file: from its local path when the store has one (the disk
 * store; a blob the S3 cache holds), else, or when that copy was evicted meanwhile, from its bytes.
 */
async function copyArtifact(store: BlobStore, id: string, path: string): Promise<void> {
  const local = store.pathOf?.(id);
  if (local) {
    const copied = await copyFile(local, path).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    if (copied) return;
  }
  const stored = await store.get(id);
  if (!stored) throw new Error(`artifact ${id} is missing from the store`);
  await writeFile(path, stored.bytes);
}

async function writeOutput(outDir: string, name: string, value: PortValue, pngText: Record<string, string>): Promise<unknown> {
  if (!isPixelImage(value)) return { value };
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, `${name}.png`);
  await writeFile(path, await encodeImage(value, { format: 'png', pngText }));
  return { kind: 'image', width: value.width, height: value.height, channels: value.channels, path };
}

function round(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.round(ms * 100) / 100;
}

export function assertGraphArg(graph: string | undefined): string {
  if (!graph) throw new UsageError('missing <graph.json>');
  return graph;
}
