import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { zFromWorker, type FromWorker, type ToWorker } from './worker-protocol';

export interface WorkerSpawnOptions {
  /** Script the child runs (default: worker-bootstrap.js beside this file). */
  entry?: string;
  /** Node flags for the child (default none: the parent's are not inherited). */
  execArgv?: string[];
  /** The child's environment (default: this process's): where its data, files, blob store and Redis are. */
  env?: NodeJS.ProcessEnv;
  /** Sent first; the worker takes no job before it. */
  start: Extract<ToWorker, { type: 'start' }>;
}

export interface WorkerEvents {
  message(message: FromWorker): void;
  /** Once, after the process has exited and every message it sent has been delivered. */
  exit(code: number | null, signal: NodeJS.Signals | null): void;
}

export const defaultWorkerEntry = fileURLToPath(new URL('./worker-bootstrap.js', import.meta.url));

/**
 * The pool's side of one worker process: messages sent before the child is
 * ready wait in an outbox; malformed messages from it kill it (the pool treats
 * that like a crash).
 */
export class WorkerProcessHandle {
  private readonly child: ChildProcess;
  private readonly outbox: ToWorker[] = [];
  private ready = false;
  private exited = false;
  private stopRequested = false;
  private readonly closed: Promise<void>;

  constructor(options: WorkerSpawnOptions, events: WorkerEvents) {
    this.child = fork(options.entry ?? defaultWorkerEntry, [], {
      execArgv: options.execArgv ?? [],
      env: options.env ?? process.env,
      serialization: 'json',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.outbox.push(options.start);
    this.child.on('message', (raw: unknown) => {
      const parsed = zFromWorker.safeParse(raw);
      if (!parsed.success) {
        process.emitWarning(`run worker ${this.pid} sent a malformed message; killing it`);
        this.kill();
        return;
      }
      if (parsed.data.type === 'ready') {
        this.ready = true;
        for (const message of this.outbox.splice(0)) this.write(message);
        return;
      }
      events.message(parsed.data);
    });
    // 'error' covers failed spawns and failed sends; either way the process is no use.
    this.child.on('error', () => this.kill());
    // Reported once the process has exited and its channel is closed, so no message can follow.
    this.closed = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        const report = () => {
          this.exited = true;
          resolve();
          events.exit(code, signal);
        };
        if (this.child.connected) this.child.once('disconnect', report);
        else report();
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isReady(): boolean {
    return this.ready;
  }

  get isStopping(): boolean {
    return this.stopRequested;
  }

  send(message: ToWorker): void {
    if (this.ready) this.write(message);
    else this.outbox.push(message);
  }

  /** SIGKILL: for a worker that does not respond. */
  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  /** Asks the worker to exit by closing its channel; kills it after graceMs. Resolves once it is gone. */
  async stop(graceMs: number): Promise<void> {
    this.stopRequested = true;
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.closed;
    clearTimeout(timer);
  }

  private write(message: ToWorker): void {
    if (!this.child.connected) return;
    this.child.send(message, (error) => {
      if (error) this.kill();
    });
  }
}
