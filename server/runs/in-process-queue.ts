import { resolve } from 'node:path';
import type { RunEventListener, RunQueue, RunQueueStats, RunSettledListener } from './run-queue';
import { zRunJob, type RunJob, type RunJobInput } from './run-job';
import { bareOutcome, type RunOutcome } from './run-outcome';
import { runTimeoutError } from './run-deadline';
import type { RunError, WireEvent } from './wire-events';
import { WorkerProcessHandle } from './worker-process-handle';
import type { FromWorker } from './worker-protocol';

export interface InProcessQueueOptions {
  /** Artifact store and disk result cache live under here (shared by all workers): the workers' PIXELWIRE_DATA_DIR. */
  dataDir: string;
  /** Folder image.load may read in the workers (their PIXELWIRE_FILES_ROOT); unset: this process's setting. */
  filesRoot?: string | null;
  /** Worker processes, i.e. runs executing at once (default 2). */
  concurrency?: number;
  /** Executions per run: 2 means a run whose worker died is retried once (default 2). */
  maxAttempts?: number;
  /**
   * How long a cancelled run's worker may take to stop before it is killed (default 2000 ms); also how long past
   * its job's runTimeoutMs a run's worker may take to stop it itself.
   */
  cancelGraceMs?: number;
  /** How long close() waits for an idle worker to exit before killing it (default 2000 ms). */
  shutdownGraceMs?: number;
  /** Each worker's in-memory result cache, in bytes (default 512 MiB). */
  memoryCacheBytes?: number;
  /** Keep node outputs on disk between runs (default true). */
  diskCache?: boolean;
  /** Most nodes of one run executing at once inside a worker. */
  nodeConcurrency?: number;
  /** Worker entry script and Node flags (defaults: worker-bootstrap.js, no flags). */
  workerEntry?: string;
  execArgv?: string[];
  /** Where listener exceptions go (default: console.error). */
  onListenerError?: (error: unknown) => void;
}

interface Run {
  job: RunJob;
  /** Executions started so far. */
  attempt: number;
  /** When the first execution started (performance.now()). */
  startedAt: number | undefined;
  worker: Worker | undefined;
  cancelRequested: boolean;
  closedByQueue: boolean;
  killTimer: NodeJS.Timeout | undefined;
  /** Kills the worker when the run is still on it past its time limit (the worker stops it itself first, unless stuck). */
  deadlineTimer: NodeJS.Timeout | undefined;
  /** The attempt deadlineTimer watches (armed at the attempt's first event: a worker's start-up does not count). */
  deadlineAttempt: number;
  timedOut: boolean;
  /** The seq of the last event forwarded for the current attempt. */
  lastSeq: number;
}

interface Worker {
  handle: WorkerProcessHandle;
  run: Run | undefined;
  /** Killed on purpose (it ignored a cancel): not counted as a death. */
  killedByPool: boolean;
}

/**
 * RunQueue over a pool of child processes, so runs never block the server's
 * event loop. Jobs wait FIFO for a free worker; a worker that dies mid-run is
 * replaced and its run retried (see RunQueue for the contract).
 */
export class InProcessRunQueue implements RunQueue {
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly pending: Run[] = [];
  private readonly runs = new Map<string, Run>();
  private readonly workers = new Set<Worker>();
  private readonly eventListeners = new Set<RunEventListener>();
  private readonly settledListeners = new Set<RunSettledListener>();
  private readonly idleWaiters = new Set<() => void>();
  private retries = 0;
  private workerDeaths = 0;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: InProcessQueueOptions) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 2));
    this.maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 2));
  }

  async enqueue(input: RunJobInput | RunJob): Promise<void> {
    if (this.closing) throw new Error('the run queue is closed');
    const job = zRunJob.parse(input);
    if (this.runs.has(job.runId)) return;
    const run: Run = {
      job,
      attempt: 0,
      startedAt: undefined,
      worker: undefined,
      cancelRequested: false,
      closedByQueue: false,
      killTimer: undefined,
      deadlineTimer: undefined,
      deadlineAttempt: 0,
      timedOut: false,
      lastSeq: 0,
    };
    this.runs.set(job.runId, run);
    this.pending.push(run);
    this.pump();
  }

  async cancel(runId: string): Promise<boolean> {
    const run = this.runs.get(runId);
    if (!run) return false;
    this.requestCancel(run);
    return true;
  }

  onEvent(listener: RunEventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onSettled(listener: RunSettledListener): () => void {
    this.settledListeners.add(listener);
    return () => this.settledListeners.delete(listener);
  }

  /** Nothing survives this process: every run it does not hold now is unknown. */
  async reconcile(runIds: string[]): Promise<string[]> {
    return runIds.filter((id) => !this.runs.has(id));
  }

  stats(): RunQueueStats {
    return {
      concurrency: this.concurrency,
      queued: this.pending.length,
      running: this.runs.size - this.pending.length,
      workers: [...this.workers].map(({ handle, run }) => ({
        pid: handle.pid,
        state: handle.isStopping ? 'stopping' : !handle.isReady ? 'starting' : run ? 'busy' : 'idle',
        ...(run ? { runId: run.job.runId } : {}),
      })),
      retries: this.retries,
      workerDeaths: this.workerDeaths,
    };
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const run of [...this.runs.values()]) {
        run.closedByQueue = true;
        this.requestCancel(run);
      }
      await this.until(() => this.runs.size === 0);
      await Promise.all([...this.workers].map((w) => w.handle.stop(this.options.shutdownGraceMs ?? 2000)));
      await this.until(() => this.workers.size === 0);
    })();
    return this.closing;
  }

  private requestCancel(run: Run): void {
    const worker = run.worker;
    if (!worker) {
      const at = this.pending.indexOf(run);
      if (at >= 0) this.pending.splice(at, 1);
      this.settleWithoutResult(run, this.outcomeWithoutResult(run, 'cancelled'));
      return;
    }
    if (run.cancelRequested) return;
    run.cancelRequested = true;
    worker.handle.send({ type: 'cancel', runId: run.job.runId });
    // A node stuck in synchronous work never sees the abort: stop it the hard way.
    run.killTimer = setTimeout(() => {
      worker.killedByPool = true;
      worker.handle.kill();
    }, this.options.cancelGraceMs ?? 2000);
  }

  private pump(): void {
    while (!this.closing && this.pending.length > 0) {
      const worker = this.idleWorker() ?? (this.workers.size < this.concurrency ? this.spawn() : undefined);
      if (!worker) return;
      const run = this.pending.shift()!;
      run.attempt++;
      run.lastSeq = 0;
      run.startedAt ??= performance.now();
      run.worker = worker;
      worker.run = run;
      worker.handle.send({ type: 'job', job: run.job, attempt: run.attempt });
    }
  }

  /**
   * The worker stops a run at its runTimeoutMs itself (executeJob, counting from when it got the job); a node
   * stuck in synchronous work keeps it from doing so, so past the limit and the grace, counted from the attempt's
   * first event, the worker is killed and the run fails with run_timeout.
   */
  private watchDeadline(run: Run, worker: Worker): void {
    const limit = run.job.limits?.runTimeoutMs;
    if (limit === undefined || run.deadlineAttempt === run.attempt) return;
    run.deadlineAttempt = run.attempt;
    clearTimeout(run.deadlineTimer);
    run.deadlineTimer = setTimeout(() => {
      if (run.worker !== worker) return;
      run.timedOut = true;
      worker.killedByPool = true;
      worker.handle.kill();
    }, limit + (this.options.cancelGraceMs ?? 2000));
  }

  private idleWorker(): Worker | undefined {
    for (const worker of this.workers) if (!worker.run && !worker.handle.isStopping) return worker;
    return undefined;
  }

  private spawn(): Worker {
    const handle = new WorkerProcessHandle(
      {
        entry: this.options.workerEntry,
        execArgv: this.options.execArgv,
        env: this.workerEnv(),
        start: {
          type: 'start',
          diskCache: this.options.diskCache,
          memoryCacheBytes: this.options.memoryCacheBytes ?? 512 * 1024 * 1024,
          nodeConcurrency: this.options.nodeConcurrency,
        },
      },
      {
        message: (message) => this.onWorkerMessage(worker, message),
        exit: (code, signal) => this.onWorkerExit(worker, code, signal),
      },
    );
    const worker: Worker = { handle, run: undefined, killedByPool: false };
    this.workers.add(worker);
    return worker;
  }

  /** Workers read their settings from the environment, as remote workers do: nothing about this machine travels in jobs. */
  private workerEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, PIXELWIRE_DATA_DIR: resolve(this.options.dataDir) };
    if (this.options.filesRoot === null) delete env.PIXELWIRE_FILES_ROOT;
    else if (this.options.filesRoot !== undefined) env.PIXELWIRE_FILES_ROOT = resolve(this.options.filesRoot);
    return env;
  }

  private onWorkerMessage(worker: Worker, message: FromWorker): void {
    const run = worker.run;
    if (!run || message.type === 'ready' || message.runId !== run.job.runId) return;
    if (message.type === 'event') {
      if (message.event.attempt === run.attempt) {
        this.watchDeadline(run, worker);
        run.lastSeq = message.event.seq;
        this.emit(run.job.runId, message.event);
      }
      return;
    }
    worker.run = undefined;
    run.worker = undefined;
    this.settle(run, { ...message.outcome, attempts: run.attempt });
    this.pump();
  }

  private onWorkerExit(worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    this.workers.delete(worker);
    if (!worker.handle.isStopping && !worker.killedByPool) this.workerDeaths++;
    const run = worker.run;
    if (run) {
      worker.run = undefined;
      run.worker = undefined;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      clearTimeout(run.deadlineTimer);
      if (run.timedOut) {
        this.settleWithoutResult(run, this.outcomeWithoutResult(run, 'failed', [runTimeoutError(run.job.limits?.runTimeoutMs ?? 0)]));
      } else if (run.cancelRequested) {
        this.settleWithoutResult(run, this.outcomeWithoutResult(run, 'cancelled'));
      } else if (run.attempt < this.maxAttempts && !this.closing) {
        this.retries++;
        this.emit(run.job.runId, {
          type: 'run.restarted',
          attempt: run.attempt + 1,
          seq: 0,
          t: 0,
          reason: 'worker_crashed',
          message: `the worker running attempt ${run.attempt} exited (${how}); starting attempt ${run.attempt + 1}`,
        });
        this.pending.unshift(run);
      } else {
        this.settleWithoutResult(
          run,
          this.outcomeWithoutResult(run, 'failed', [
            { nodeId: null, code: 'worker_crashed', message: `the worker exited (${how}) on attempt ${run.attempt} of ${this.maxAttempts}` },
          ]),
        );
      }
    }
    this.pump();
    this.notifyIdle();
  }

  /** For runs that end without a worker's result: cancelled while queued, killed, crashed. */
  private outcomeWithoutResult(run: Run, status: RunOutcome['status'], errors: RunError[] = []): RunOutcome {
    const durationMs = run.startedAt === undefined ? 0 : performance.now() - run.startedAt;
    return bareOutcome(run.job.runId, status, run.attempt, errors, durationMs);
  }

  /**
   * Settles a run no worker finished (cancelled while queued, killed, crashed): its event
   * stream still ends with run.finished, as every run's does.
   */
  private settleWithoutResult(run: Run, outcome: RunOutcome): void {
    if (!this.runs.has(run.job.runId)) return;
    const final = this.withQueueClosed(run, outcome);
    this.emit(run.job.runId, {
      type: 'run.finished',
      attempt: Math.max(1, run.attempt),
      seq: run.lastSeq + 1,
      t: final.durationMs,
      status: final.status,
      durationMs: final.durationMs,
      outputs: {},
      errors: final.errors,
    });
    this.settle(run, final);
  }

  private settle(run: Run, outcome: RunOutcome): void {
    clearTimeout(run.killTimer);
    clearTimeout(run.deadlineTimer);
    if (!this.runs.delete(run.job.runId)) return;
    const final = this.withQueueClosed(run, outcome);
    for (const listener of this.settledListeners) this.call(() => listener(run.job.runId, final));
    this.notifyIdle();
  }

  private withQueueClosed(run: Run, outcome: RunOutcome): RunOutcome {
    if (!run.closedByQueue || outcome.status !== 'cancelled' || outcome.errors.some((e) => e.code === 'queue_closed')) return outcome;
    return { ...outcome, errors: [...outcome.errors, { nodeId: null, code: 'queue_closed', message: 'the run queue was closed' }] };
  }

  private emit(runId: string, event: WireEvent): void {
    for (const listener of this.eventListeners) this.call(() => listener(runId, event));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      (this.options.onListenerError ?? console.error)(error);
    }
  }

  private until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((done) => {
      const check = () => {
        if (!condition()) return;
        this.idleWaiters.delete(check);
        done();
      };
      this.idleWaiters.add(check);
    });
  }

  private notifyIdle(): void {
    for (const check of [...this.idleWaiters]) check();
  }
}
