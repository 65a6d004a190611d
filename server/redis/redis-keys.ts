/**
 * Every Redis key Pixelwire uses, under one prefix (`PIXELWIRE_REDIS_PREFIX`,
 * default `pixelwire`). Per-run keys share the `{runId}` hash tag, so a run's
 * keys live on one Redis Cluster slot and the append script may touch them all.
 */
export function redisKeys(prefix = 'pixelwire') {
  const run = (runId: string) => `${prefix}:run:{${runId}}`;
  return {
    prefix,
    /** BullMQ queue name (BullMQ adds its own `bull:` prefix under ours). */
    queueName: 'runs',
    bullPrefix: `${prefix}:bull`,
    /** Stream of the run's events; entry ids are `<seq>-1`, the end marker has the field `end`. */
    events: (runId: string) => `${run(runId)}:events`,
    /** Highest attempt that has written events; older attempts' writes are refused. */
    attempt: (runId: string) => `${run(runId)}:attempt`,
    /** Last seq given out. */
    seq: (runId: string) => `${run(runId)}:seq`,
    /** Set once the log is persisted and ended. */
    ended: (runId: string) => `${run(runId)}:ended`,
    /** Set when a cancel was asked for, so a worker that picks the job up later stops at once. */
    cancel: (runId: string) => `${run(runId)}:cancel`,
    /** Pub/sub channel workers listen on for cancels (message: run id). */
    cancelChannel: `${prefix}:cancel`,
    /** Hash: worker id → JSON of its capabilities, state and last heartbeat. */
    workers: `${prefix}:workers`,
    /** Prefix of the shared result index. */
    results: `${prefix}:result:`,
  };
}
export type RedisKeys = ReturnType<typeof redisKeys>;
