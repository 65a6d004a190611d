import type { RunError } from './wire-events';

/** Default wall-clock limit of a server run (PIXELWIRE_RUN_TIMEOUT_S). */
export const defaultRunTimeoutS = 3600;

/** The error a run that ran out of time ends with (status failed). */
export function runTimeoutError(timeoutMs: number): RunError {
  const seconds = Math.round(timeoutMs / 100) / 10;
  return { nodeId: null, code: 'run_timeout', message: `the run took longer than its limit of ${seconds} s (PIXELWIRE_RUN_TIMEOUT_S) and was stopped` };
}

export interface RunDeadline {
  /** Aborted by the caller's signal or when the time is up. */
  readonly signal: AbortSignal;
  /** The run_timeout error once the time is up (the run is then failed, not cancelled), else undefined. */
  error(): RunError | undefined;
  /** Stops the clock (always call it: the timer holds the job until it fires). */
  clear(): void;
}

/**
 * A wall-clock limit for one execution of a run: after timeoutMs the run's signal is aborted, as a cancel
 * would, and error() names the reason. No limit when timeoutMs is undefined.
 */
export function runDeadline(timeoutMs: number | undefined, outer?: AbortSignal): RunDeadline {
  const controller = new AbortController();
  const forward = () => controller.abort(outer?.reason);
  if (outer?.aborted) forward();
  else outer?.addEventListener('abort', forward, { once: true });
  let expired = false;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          if (controller.signal.aborted) return; // cancelled first: it stays a cancel
          expired = true;
          controller.abort(new Error('run_timeout'));
        }, timeoutMs);
  return {
    signal: controller.signal,
    error: () => (expired && timeoutMs !== undefined ? runTimeoutError(timeoutMs) : undefined),
    clear() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', forward);
    },
  };
}
