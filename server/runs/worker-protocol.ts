import { z } from 'zod';
import { zRunJob } from './run-job';
import { zRunOutcome } from './run-outcome';
import { zWireEvent } from './wire-events';

/** What the pool tells a worker process. Plain JSON over the IPC channel. */
export const zToWorker = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    diskCache: z.boolean().optional(),
    memoryCacheBytes: z.number().int().positive().optional(),
    /** Most nodes of one run executing at once. */
    nodeConcurrency: z.number().int().positive().optional(),
  }),
  z.object({ type: z.literal('job'), job: zRunJob, attempt: z.number().int().min(1) }),
  z.object({ type: z.literal('cancel'), runId: z.string() }),
]);
export type ToWorker = z.infer<typeof zToWorker>;

/** What a worker process tells the pool. */
export const zFromWorker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('event'), runId: z.string(), event: zWireEvent }),
  z.object({ type: z.literal('settled'), runId: z.string(), outcome: zRunOutcome }),
]);
export type FromWorker = z.infer<typeof zFromWorker>;
