import { z } from 'zod';

/** Id of an artifact in the content-addressed store (sha256, hex). */
export const zArtifactId = z.string().regex(/^[0-9a-f]{64}$/, 'an artifact id is 64 hex digits');

export const zRunId = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'run ids are 1–128 letters, digits, ".", ":", "_" or "-"');

/** A graph input value: an uploaded image (decoded by the worker) or a plain JSON value. */
export const zJobInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('artifact'), artifactId: zArtifactId }).strict(),
  z.object({ kind: z.literal('value'), value: z.json() }).strict(),
]);
export type JobInput = z.infer<typeof zJobInput>;

export const previewFormats = ['webp', 'jpeg'] as const;
export const zPreviewFormat = z.enum(previewFormats);
export type PreviewFormat = z.infer<typeof zPreviewFormat>;

/**
 * Everything a worker needs to execute a run, and nothing it would have to look
 * up elsewhere: plain JSON, so it can cross a process boundary or sit in Redis.
 * The document is checked by the engine on the worker (an invalid one is a
 * failed run with structured errors, not a rejected job).
 */
export const zRunJob = z
  .object({
    runId: zRunId,
    document: z.unknown().refine(isPlainJson, 'the document must be plain JSON').describe('Graph document, any known version'),
    inputs: z.record(z.string(), zJobInput).default({}),
    artifacts: z
      .array(zArtifactId)
      .max(100_000)
      .optional()
      .describe('The only stored artifacts the run may read, checked by the server for its caller; absent only for trusted local runs'),
    limits: z
      .object({
        maxPixels: z.number().int().positive().optional(),
        maxInputBytes: z.number().int().positive().optional(),
        /** Wall-clock limit of one execution; past it the run is stopped and fails with run_timeout. */
        runTimeoutMs: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    provenance: z
      .object({ graphId: z.string().max(64).optional(), version: z.number().int().min(1).optional(), edited: z.boolean().optional() })
      .strict()
      .optional()
      .describe('The graph and version the run comes from, recorded in the files it saves'),
    previewMaxSide: z.number().int().min(16).max(4096).default(512),
    previewFormat: zPreviewFormat.default('webp'),
  })
  .strict();
export type RunJob = z.infer<typeof zRunJob>;
/** A job as callers write it, before defaults are applied. */
export type RunJobInput = z.input<typeof zRunJob>;

/** Whether a value survives JSON.stringify/parse unchanged (undefined object members aside, which JSON drops). */
function isPlainJson(value: unknown, depth = 0): boolean {
  if (depth > 200) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isPlainJson(item, depth + 1));
  if (typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((item) => item === undefined || isPlainJson(item, depth + 1));
}
