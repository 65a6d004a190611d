import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface ClusterProcess {
  child: ChildProcess;
  /** The JSON line the process printed when ready. */
  ready: Record<string, unknown>;
  output: string[];
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts a process and waits for its first JSON line on stdout (its "ready" line). */
async function startProcess(args: string[], env: Record<string, string>, isReady: (line: Record<string, unknown>) => boolean): Promise<ClusterProcess> {
  const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      output.push(line);
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (isReady(parsed)) resolve(parsed);
      } catch {
        // not a JSON line
      }
    });
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before it was ready:\n${output.join('')}`)));
  });
  return {
    child,
    ready,
    output,
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** `pixelwire worker --json` as an operator starts it. */
export function startWorker(env: Record<string, string>, name: string): Promise<ClusterProcess> {
  return startProcess(['bin/pixelwire.js', 'worker', '--json', '--name', name], env, (line) => line.event === 'worker.ready');
}

/**
 * The web app (API) in a process of its own, so a test can kill it. TypeScript loads through tsx's
 * loader inside that one process (tsx's CLI would run the server in a child that a kill leaves behind).
 */
export function startWebServer(env: Record<string, string>): Promise<ClusterProcess> {
  return startProcess(['--import', 'tsx', 'test/cluster/serve-app.ts'], env, (line) => typeof line.url === 'string');
}
