import { resolve } from 'node:path';
import { redactedUrl, redisConfigFromEnv } from '../../server/redis/redis-config';
import { detectCapabilities } from '../../server/worker/capabilities';
import { RemoteWorker } from '../../server/worker/remote-worker';
import { UsageError } from '../cli-error';

export interface WorkerCommandOptions {
  dataDir: string;
  concurrency?: number;
  name?: string;
  json: boolean;
}

/**
 * `pixelwire worker`: joins the cluster named by REDIS_URL and runs graphs until
 * SIGINT/SIGTERM, then finishes the runs it has and leaves. Resolves with the exit code.
 */
export async function workerCommand(options: WorkerCommandOptions): Promise<number> {
  const redis = redisConfigFromEnv();
  if (!redis) throw new UsageError('pixelwire worker needs REDIS_URL (the Redis the web app uses), e.g. REDIS_URL=redis://127.0.0.1:6379');
  const capabilities = await detectCapabilities();
  const worker = new RemoteWorker({
    redisUrl: redis.url,
    keys: redis.keys,
    dataDir: resolve(options.dataDir),
    capabilities,
    concurrency: options.concurrency ?? positive(process.env.PIXELWIRE_WORKERS) ?? 1,
    name: options.name ?? process.env.PIXELWIRE_WORKER_NAME,
  });
  await worker.start();
  const summary = { event: 'worker.ready', id: worker.id, redis: redactedUrl(redis.url), capabilities };
  process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : `pixelwire worker ${worker.id} on ${summary.redis}\n`);
  return new Promise((done) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(options.json ? `${JSON.stringify({ event: 'worker.stopping', signal })}\n` : `stopping (${signal}): finishing running runs…\n`);
      void worker.close().then(() => done(0), () => done(1));
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

function positive(text: string | undefined): number | undefined {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
