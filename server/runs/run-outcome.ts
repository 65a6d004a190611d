import { z } from 'zod';
import { zNodeOutcome, zOutputSummaries, zRunError, zRunStatus, type RunError } from './wire-events';

/**
 * How a run ended, as the queue reports it once: the authoritative end of a run
 * (its event stream may stop early, e.g. when a worker dies or a queued run is cancelled).
 */
export const zRunOutcome = z.object({
  runId: z.string(),
  status: zRunStatus,
  /** Executions started: 0 when cancelled while queued, 2 after a retry. */
  attempts: z.number().int().min(0),
  durationMs: z.number().min(0),
  outputs: zOutputSummaries,
  nodes: z.record(z.string(), zNodeOutcome),
  errors: z.array(zRunError),
  /** Models the run loaded, `kind/name` → sha256 of their weights, as installed on its worker. */
  models: z.record(z.string(), z.string()).optional(),
});
export type RunOutcome = z.infer<typeof zRunOutcome>;

/** An outcome for a run that ended without (or outside) an engine result. */
export function bareOutcome(runId: string, status: RunOutcome['status'], attempts: number, errors: RunError[] = [], durationMs = 0): RunOutcome {
  return { runId, status, attempts, durationMs, outputs: {}, nodes: {}, errors };
}
