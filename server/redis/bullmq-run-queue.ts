import { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunEventListener, RunQueue, RunQueueStats, RunSettledListener } from '../runs/run-queue';
import { zRunJob, type RunJob, type RunJobInput } from '../runs/run-job';
import type { RunRequirements } from '../runs/run-requirements';
import { bareOutcome, zRunOutcome, type RunOutcome } from '../runs/run-outcome';
import type { RunError } from '../runs/wire-events';
import { connectRedis } from './redis-connection';
import { RedisEventWriter } from './redis-event-writer';
import type { RedisKeys } from './redis-keys';
import { WorkerRegistry } from './worker-registry';

export interface BullRunQueueOptions {
  redisUrl: string;
  keys: RedisKeys;
  /** Keep finished jobs this long (seconds) so a restarted server can still read their outcome (default 1 day). */
  keepFinishedSeconds?: number;
  onListenerError?: (error: unknown) => void;
}

/** A job's data: the run job and what it needs of a worker. */
export interface QueuedRun {
  job: RunJob;
  requires: RunRequirements;
}

/**
 * RunQueue on BullMQ: jobs wait in Redis (job id = run id, so enqueue is
 * idempotent) for `pixelwire worker` processes on any machine; their events go
 * into the run's Redis stream, their outcome comes back as the job's return
 * value. Cancels go through a pub/sub channel (and a flag key for jobs not yet
 * picked up). A worker that dies loses its lock; BullMQ's stalled check gives
 * the job to another worker, once, then fails it (`worker_crashed`).
 */
export class BullRunQueue implements RunQueue {
  readonly durable = true;
  private readonly redis: Redis;
  private readonly queue: Queue;
  private readonly queueEvents: QueueEvents;
  private readonly writer: RedisEventWriter;
  readonly workers: WorkerRegistry;
  private readonly settledListeners = new Set<RunSettledListener>();
  private readonly startedListeners = new Set<(runId: string) => void>();
  private readonly keep: number;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: BullRunQueueOptions) {
    this.redis = connectRedis(options.redisUrl);
    const connection = { url: options.redisUrl, maxRetriesPerRequest: null };
    this.queue = new Queue(options.keys.queueName, { connection, prefix: options.keys.bullPrefix });
    this.queueEvents = new QueueEvents(options.keys.queueName, { connection, prefix: options.keys.bullPrefix });
    this.writer = new RedisEventWriter(this.redis, options.keys);
    this.workers = new WorkerRegistry(this.redis, options.keys);
    this.keep = options.keepFinishedSeconds ?? 24 * 3600;
    this.queueEvents.on('completed', ({ jobId, returnvalue }) => void this.onCompleted(jobId, returnvalue));
    this.queueEvents.on('active', ({ jobId }) => {
      for (const listener of this.startedListeners) listener(jobId);
    });
    this.queueEvents.on('failed', ({ jobId, failedReason }) => void this.onFailed(jobId, failedReason));
  }

  /** Resolves once the queue's connections are ready (events are not missed after this). */
  async ready(): Promise<void> {
    await Promise.all([this.queue.waitUntilReady(), this.queueEvents.waitUntilReady()]);
  }

  async enqueue(input: RunJobInput | RunJob, requires: QueuedRun['requires'] = { models: [] }): Promise<void> {
    if (this.closing) throw new Error('the run queue is closed');
    const job = zRunJob.parse(input);
    const data: QueuedRun = { job, requires };
    await this.queue.add('run', data, {
      jobId: job.runId,
      attempts: 1,
      removeOnComplete: { age: this.keep },
      removeOnFail: { age: this.keep },
    });
  }

  async cancel(runId: string): Promise<boolean> {
    const job = await Job.fromId<QueuedRun>(this.queue, runId);
    if (!job) return false;
    const state = await job.getState();
    if (state === 'completed' || state === 'failed' || state === 'unknown') return false;
    await this.redis.set(this.options.keys.cancel(runId), '1', 'EX', this.keep);
    await this.redis.publish(this.options.keys.cancelChannel, runId);
    if (state !== 'active') {
      const removed = await job.remove().then(
        () => true,
        () => false, // a worker took it meanwhile: it sees the flag and stops at once
      );
      if (removed) await this.settleWithoutResult(runId, bareOutcome(runId, 'cancelled', 0));
    }
    return true;
  }

  onEvent(_listener: RunEventListener): () => void {
    // Remote workers write events to the run's Redis stream; nothing passes through here.
    return () => undefined;
  }

  /** A worker took the run (BullMQ's `active`). */
  onStarted(listener: (runId: string) => void): () => void {
    this.startedListeners.add(listener);
    return () => this.startedListeners.delete(listener);
  }

  onSettled(listener: RunSettledListener): () => void {
    this.settledListeners.add(listener);
    return () => this.settledListeners.delete(listener);
  }

  async stats(): Promise<RunQueueStats> {
    const counts = await this.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
    const workers = await this.workers.live();
    return {
      concurrency: workers.reduce((sum, w) => sum + w.concurrency, 0),
      queued: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0),
      running: counts.active ?? 0,
      workers: workers.map((w) => ({ id: w.id, state: w.state, ...(w.runIds[0] ? { runId: w.runIds[0] } : {}) })),
      retries: 0,
      workerDeaths: 0,
    };
  }

  /** Waiting and running runs, oldest first, with their position: for the queue view. */
  async jobs(limit = 200): Promise<{ runId: string; state: 'waiting' | 'running'; position?: number; addedAt: number }[]> {
    const active = await this.queue.getJobs(['active'], 0, limit - 1, true);
    const waiting = await this.queue.getJobs(['waiting', 'prioritized', 'delayed'], 0, limit - 1, true);
    return [
      ...active.map((j) => ({ runId: j.id!, state: 'running' as const, addedAt: j.timestamp })),
      ...waiting.map((j, i) => ({ runId: j.id!, state: 'waiting' as const, position: i + 1, addedAt: j.timestamp })),
    ];
  }

  async reconcile(runIds: string[]): Promise<string[]> {
    const unknown: string[] = [];
    for (const runId of runIds) {
      const job = await Job.fromId<QueuedRun>(this.queue, runId);
      if (!job) {
        unknown.push(runId);
        continue;
      }
      const state = await job.getState();
      if (state === 'completed') await this.onCompleted(runId, job.returnvalue);
      else if (state === 'failed') await this.onFailed(runId, job.failedReason);
      else if (state === 'unknown') unknown.push(runId);
    }
    return unknown;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.queueEvents.close();
      await this.queue.close();
      this.redis.disconnect();
    })();
    return this.closing;
  }

  private async onCompleted(runId: string, returnvalue: unknown): Promise<void> {
    const parsed = zRunOutcome.safeParse(typeof returnvalue === 'string' ? safeJson(returnvalue) : returnvalue);
    if (parsed.success) return this.emitSettled(runId, parsed.data);
    await this.settleWithoutResult(runId, bareOutcome(runId, 'failed', 1, [{ nodeId: null, code: 'worker_error', message: 'the worker returned no readable outcome' }]));
  }

  private async onFailed(runId: string, reason: string | undefined): Promise<void> {
    const stalled = /stalled/i.test(reason ?? '');
    const error: RunError = stalled
      ? { nodeId: null, code: 'worker_crashed', message: 'the workers running this run stopped answering twice; it was given up' }
      : { nodeId: null, code: 'worker_error', message: (reason ?? 'the worker failed').slice(0, 500) };
    const attempts = Math.max(1, await this.writer.currentAttempt(runId));
    await this.settleWithoutResult(runId, bareOutcome(runId, 'failed', attempts, [error]));
  }

  /** A run no worker finished still ends its stream with run.finished, written here. */
  private async settleWithoutResult(runId: string, outcome: RunOutcome): Promise<void> {
    const last = await this.writer.lastEvent(runId);
    const attempt = Math.max(1, last?.attempt ?? 0);
    await this.writer.append(runId, {
      type: 'run.finished',
      attempt,
      seq: last?.attempt === attempt ? last.seq + 1 : 1,
      t: outcome.durationMs,
      status: outcome.status,
      durationMs: outcome.durationMs,
      outputs: {},
      errors: outcome.errors,
    });
    this.emitSettled(runId, outcome);
  }

  private emitSettled(runId: string, outcome: RunOutcome): void {
    for (const listener of this.settledListeners) {
      try {
        listener(runId, outcome);
      } catch (error) {
        (this.options.onListenerError ?? console.error)(error);
      }
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
