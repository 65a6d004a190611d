import { z } from 'zod';
import type { RunEventType } from '../../engine/run-events';
import { zArtifactId } from './run-job';

/** A downscaled image for display, stored as an artifact. */
export const zPreviewRef = z.object({
  artifactId: zArtifactId,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  mediaType: z.enum(['image/webp', 'image/jpeg']),
});
export type PreviewRef = z.infer<typeof zPreviewRef>;

/** An image output: the full image as PNG in the artifact store, plus a preview. */
export const zImageSummary = z.object({
  kind: z.enum(['image', 'mask']),
  artifactId: zArtifactId,
  mediaType: z.literal('image/png'),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  channels: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  preview: zPreviewRef,
});
export type ImageSummary = z.infer<typeof zImageSummary>;

/** Any other output, carried as its JSON value. */
export const zValueSummary = z.object({
  kind: z.enum(['text', 'number', 'boolean', 'json', 'boxes']),
  value: z.json(),
});
export type ValueSummary = z.infer<typeof zValueSummary>;

export const zOutputSummary = z.union([zImageSummary, zValueSummary]);
export type OutputSummary = z.infer<typeof zOutputSummary>;
export const zOutputSummaries = z.record(z.string(), zOutputSummary);

/** A file a node saved (Save image's `artifact` output): its sha256 and the name it is written out under. */
export interface SavedFile {
  id: string;
  filename: string;
  mediaType: string;
}

/** The saved file an output value describes, if it is one (`{ id: sha256, filename, mediaType }`). */
export function savedFileOf(summary: OutputSummary): SavedFile | undefined {
  if (!('value' in summary) || typeof summary.value !== 'object' || summary.value === null || Array.isArray(summary.value)) return undefined;
  const { id, filename, mediaType } = summary.value as Record<string, unknown>;
  if (typeof id !== 'string' || !/^[0-9a-f]{64}$/.test(id) || typeof filename !== 'string' || typeof mediaType !== 'string') return undefined;
  return { id, filename, mediaType };
}

/** A node failure as the engine reports it. */
export const zNodeFailure = z.object({
  nodeId: z.string(),
  port: z.string().optional(),
  param: z.string().optional(),
  code: z.string(),
  message: z.string(),
});

/**
 * Anything that made a run fail: a node failure, a validation error (nodeId null
 * for graph-level problems), a bad graph input (`input` names it), or trouble
 * outside the graph (`worker_crashed`, `queue_closed`).
 */
export const zRunError = z.object({
  nodeId: z.string().nullable(),
  port: z.string().optional(),
  param: z.string().optional(),
  input: z.string().optional(),
  code: z.string(),
  message: z.string(),
});
export type RunError = z.infer<typeof zRunError>;

export const zRunStatus = z.enum(['succeeded', 'failed', 'cancelled']);

export const zNodeOutcome = z.object({
  status: z.enum(['finished', 'cached', 'failed', 'skipped', 'cancelled']),
  durationMs: z.number().optional(),
  cacheKey: z.string().optional(),
});

/** Which worker executes an attempt (set by remote workers; absent for the embedded pool). */
export const zWorkerRef = z.object({
  id: z.string().max(200),
  name: z.string().max(200).optional(),
  /** Execution providers its model sessions can use, best first (e.g. ["cuda", "cpu"]). */
  providers: z.array(z.string().max(40)).max(10).optional(),
});
export type WorkerRef = z.infer<typeof zWorkerRef>;

const base = {
  /** Which execution of the run this event belongs to (1, then 2 after a worker died). */
  attempt: z.number().int().min(1),
  /** Position in this attempt's stream, 1-based and gap-free; `run.restarted` alone has 0. */
  seq: z.number().int().min(0),
  /** Milliseconds since this attempt started, from the engine. */
  t: z.number().min(0),
  /** Wall-clock time (Unix ms, the worker's clock) when the engine emitted the event; for latency measurements. */
  at: z.number().optional(),
};

/**
 * The serialisable events of a run: the engine's RunEvent with every image
 * replaced by artifact references, plus `run.restarted` from the queue.
 * (attempt, seq) increases strictly through a run's stream.
 */
export const zWireEvent = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('run.started'), runId: z.string(), nodeIds: z.array(z.string()), worker: zWorkerRef.optional() }),
  z.object({ ...base, type: z.literal('node.queued'), nodeId: z.string() }),
  z.object({ ...base, type: z.literal('node.started'), nodeId: z.string() }),
  z.object({
    ...base,
    type: z.literal('node.progress'),
    nodeId: z.string(),
    fraction: z.number().min(0).max(1),
    message: z.string().optional(),
  }),
  z.object({ ...base, type: z.literal('node.preview'), nodeId: z.string(), preview: zPreviewRef, label: z.string().optional() }),
  z.object({ ...base, type: z.literal('node.cached'), nodeId: z.string(), cacheKey: z.string(), outputs: zOutputSummaries }),
  z.object({
    ...base,
    type: z.literal('node.finished'),
    nodeId: z.string(),
    cacheKey: z.string(),
    durationMs: z.number(),
    outputs: zOutputSummaries,
  }),
  z.object({ ...base, type: z.literal('node.failed'), nodeId: z.string(), error: zNodeFailure, durationMs: z.number() }),
  z.object({
    ...base,
    type: z.literal('node.skipped'),
    nodeId: z.string(),
    reason: z.enum(['upstream_failed', 'cancelled']),
    upstream: z.string().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('run.finished'),
    status: zRunStatus,
    durationMs: z.number(),
    outputs: zOutputSummaries,
    errors: z.array(zRunError),
  }),
  z.object({
    ...base,
    type: z.literal('run.restarted'),
    reason: z.literal('worker_crashed'),
    message: z.string(),
  }),
]);
export type WireEvent = z.infer<typeof zWireEvent>;
export type WireEventType = WireEvent['type'];

// Every engine event has a wire form: this line fails to compile when the engine gains one without it.
const everyEngineEventHasAWireForm: [Exclude<RunEventType, WireEventType>] extends [never] ? true : false = true;
void everyEngineEventHasAWireForm;
