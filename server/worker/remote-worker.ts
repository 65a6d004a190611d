import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueuedRun } from '../redis/bullmq-run-queue';
import { connectRedis } from '../redis/redis-connection';
import { RedisEventWriter } from '../redis/redis-event-writer';
import type { RedisKeys } from '../redis/redis-keys';
import { WorkerRegistry, type WorkerCapabilities, type WorkerInfo } from '../redis/worker-registry';
import { InProcessRunQueue } from '../runs/in-process-queue';
import { bareOutcome, type RunOutcome } from '../runs/run-outcome';
import type { WireEvent } from '../runs/wire-events';
import { shouldDefer, workerCanTake } from '../runs/worker-routing';

export interface RemoteWorkerOptions {
  redisUrl: string;
  keys: RedisKeys;
  /** This machine's data folder: result cache and blob cache (the blob store itself comes from the environment). */
  dataDir: string;
  capabilities: WorkerCapabilities;
  /** Runs executing at once (each in its own child process). */
  concurrency?: number;
  name?: string;
  /** How long a job's lock lasts without renewal; a dead worker's run moves on after about this plus the stalled check. */
  lockMs?: number;
  stalledCheckMs?: number;
  heartbeatMs?: number;
  /** Child process entry and flags (tests run TypeScript through tsx). */
  workerEntry?: string;
  execArgv?: string[];
  log?: (line: string) => void;
}

/**
 * `pixelwire worker`: takes runs from the BullMQ queue and executes them in
 * child processes (the in-process pool, so a node busy in synchronous work never
 * stops this process renewing its job locks or heartbeats). Events go to the
 * run's Redis stream as they come; the outcome is the job's return value.
 * Listens for cancels, advertises its capabilities and state every heartbeat,
 * and takes only runs it has the models for.
 */
export class RemoteWorker {
  readonly id: string;
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly writer: RedisEventWriter;
  private readonly registry: WorkerRegistry;
  private readonly pool: InProcessRunQueue;
  private readonly bull: Worker<QueuedRun, RunOutcome>;
  private readonly running = new Set<string>();
  private readonly startedAt = Date.now();
  private state: WorkerInfo['state'] = 'starting';
  private heartbeat: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: RemoteWorkerOptions) {
    this.id = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.redis = connectRedis(options.redisUrl);
    this.subscriber = connectRedis(options.redisUrl);
    this.writer = new RedisEventWriter(this.redis, options.keys);
    this.registry = new WorkerRegistry(this.redis, options.keys);
    const concurrency = Math.max(1, options.concurrency ?? 1);
    this.pool = new InProcessRunQueue({
      dataDir: options.dataDir,
      concurrency,
      workerEntry: options.workerEntry,
      execArgv: options.execArgv,
    });
    const lockDuration = options.lockMs ?? 5000;
    this.bull = new Worker<QueuedRun, RunOutcome>(options.keys.queueName, (job, token) => this.process(job, token), {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      prefix: options.keys.bullPrefix,
      concurrency,
      lockDuration,
      stalledInterval: options.stalledCheckMs ?? lockDuration,
      maxStalledCount: 1,
      autorun: false,
    });
    this.bull.on('error', (error) => this.log(`queue error: ${error.message}`));
  }

  get info(): WorkerInfo {
    return {
      id: this.id,
      name: this.options.name ?? hostname(),
      host: hostname(),
      pid: process.pid,
      startedAt: this.startedAt,
      heartbeatAt: Date.now(),
      state: this.state,
      runIds: [...this.running],
      concurrency: Math.max(1, this.options.concurrency ?? 1),
      capabilities: this.options.capabilities,
    };
  }

  /** Registers, listens for cancels and starts taking jobs. */
  async start(): Promise<void> {
    await this.subscriber.subscribe(this.options.keys.cancelChannel);
    this.subscriber.on('message', (_channel: string, runId: string) => void this.pool.cancel(runId));
    this.state = 'idle';
    await this.beat();
    this.heartbeat = setInterval(() => void this.beat(), this.options.heartbeatMs ?? 2000);
    void this.bull.run().catch((error: unknown) => this.log(`worker stopped: ${error instanceof Error ? error.message : String(error)}`));
    await this.bull.waitUntilReady();
    this.log(`worker ${this.id} ready: ${this.options.capabilities.providers.join(', ')}; ${this.options.capabilities.models.length} model(s)`);
  }

  private async beat(): Promise<void> {
    try {
      await this.registry.beat(this.info);
    } catch (error) {
      this.log(`heartbeat failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async process(job: Job<QueuedRun, RunOutcome>, token: string | undefined): Promise<RunOutcome> {
    const { job: runJob, requires } = job.data;
    const runId = runJob.runId;
    const me = this.info;
    if (!workerCanTake(me, requires) || shouldDefer(me, requires, await this.registry.live())) {
      // Leave it to a worker that has what it needs (the server refused runs no connected worker can take).
      await job.moveToDelayed(Date.now() + 250, token);
      throw new DelayedError();
    }
    this.running.add(runId);
    this.state = 'busy';
    void this.beat();
    try {
      return await this.execute(runId, runJob, me);
    } finally {
      this.running.delete(runId);
      if (this.running.size === 0 && this.state === 'busy') this.state = 'idle';
      void this.beat();
    }
  }

  private async execute(runId: string, runJob: QueuedRun['job'], me: WorkerInfo): Promise<RunOutcome> {
    // Attempts already written by workers before this one (a worker that died mid-run).
    const base = await this.writer.currentAttempt(runId);
    const worker = { id: me.id, name: me.name, providers: me.capabilities.providers };
    let chain: Promise<unknown> = Promise.resolve();
    const forward = (event: WireEvent) => {
      chain = chain.then(() => this.writer.append(runId, event)).catch((error: unknown) => this.log(`could not append an event of ${runId}: ${String(error)}`));
    };
    if (base > 0) {
      forward({
        type: 'run.restarted',
        attempt: base + 1,
        seq: 0,
        t: 0,
        reason: 'worker_crashed',
        message: `the worker running attempt ${base} stopped answering; ${me.name} runs attempt ${base + 1}`,
      });
    }
    if (await this.redis.exists(this.options.keys.cancel(runId))) {
      forward({ type: 'run.finished', attempt: base + 1, seq: 1, t: 0, status: 'cancelled', durationMs: 0, outputs: {}, errors: [] });
      await chain;
      return bareOutcome(runId, 'cancelled', base);
    }
    const settled = new Promise<RunOutcome>((resolve) => {
      const offSettled = this.pool.onSettled((id, outcome) => {
        if (id !== runId) return;
        offSettled();
        offEvent();
        resolve(outcome);
      });
      const offEvent = this.pool.onEvent((id, event) => {
        if (id !== runId) return;
        const attempt = base + event.attempt;
        forward(event.type === 'run.started' ? { ...event, attempt, worker } : { ...event, attempt });
      });
    });
    await this.pool.enqueue(runJob);
    // A cancel that came between the check above and the enqueue.
    if (await this.redis.exists(this.options.keys.cancel(runId))) await this.pool.cancel(runId);
    const outcome = await settled;
    await chain;
    return { ...outcome, attempts: base + outcome.attempts };
  }

  /** Stops taking jobs, lets running ones finish (BullMQ waits for them), then leaves the registry. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.state = 'stopping';
      clearInterval(this.heartbeat);
      await this.beat();
      await this.bull.close();
      await this.pool.close();
      await this.registry.remove(this.id).catch(() => undefined);
      this.subscriber.disconnect();
      this.redis.disconnect();
    })();
    return this.closing;
  }

  private log(line: string): void {
    (this.options.log ?? ((l: string) => console.log(`[pixelwire worker] ${l}`)))(line);
  }
}
