/**
 * Entry of a run worker process (started by the in-process queue through
 * worker-bootstrap.js). It executes jobs sent over IPC with a result cache of
 * its own and reports events and outcomes back. It opens no database. Its
 * settings come from its environment, like any worker's: PIXELWIRE_DATA_DIR
 * (result cache, local blobs), PIXELWIRE_FILES_ROOT (what image.load may read),
 * the blob store's PIXELWIRE_S3_* and REDIS_URL (the shared result index).
 */
import { createLocalServices } from '../local-services';
import { redisConfigFromEnv } from '../redis/redis-config';
import { createResultIndex } from '../storage/result-index-config';
import { executeJob } from './execute-job';
import { bareOutcome } from './run-outcome';
import { zToWorker, type FromWorker, type ToWorker } from './worker-protocol';

type Services = ReturnType<typeof createLocalServices> & { nodeConcurrency?: number; resultIndex?: ReturnType<typeof createResultIndex> };

let services: Services | undefined;

function createWorkerServices(message: Extract<ToWorker, { type: 'start' }>): Services {
  const dataDir = process.env.PIXELWIRE_DATA_DIR ?? 'data';
  const redis = redisConfigFromEnv();
  return {
    ...createLocalServices({ dataDir, filesRoot: process.env.PIXELWIRE_FILES_ROOT || undefined, diskCache: message.diskCache, memoryCacheBytes: message.memoryCacheBytes }),
    nodeConcurrency: message.nodeConcurrency,
    // Without the disk cache nothing about results is kept between runs: no index either.
    resultIndex: message.diskCache === false ? undefined : createResultIndex({ dataDir, redisUrl: redis?.url, prefix: redis?.keys.results }),
  };
}
const running = new Map<string, AbortController>();

function send(message: FromWorker): void {
  if (process.connected) process.send?.(message);
}

async function runJob(message: Extract<ToWorker, { type: 'job' }>): Promise<void> {
  const { job, attempt } = message;
  if (!services) throw new Error('job before start');
  if (running.has(job.runId)) return;
  const controller = new AbortController();
  running.set(job.runId, controller);
  try {
    const outcome = await executeJob(job, {
      artifacts: services.artifacts,
      files: services.services.files,
      cache: services.cache,
      resultIndex: services.resultIndex,
      signal: controller.signal,
      attempt,
      concurrency: services.nodeConcurrency,
      onEvent: (event) => send({ type: 'event', runId: job.runId, event }),
    });
    send({ type: 'settled', runId: job.runId, outcome });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    send({
      type: 'settled',
      runId: job.runId,
      outcome: bareOutcome(job.runId, 'failed', attempt, [{ nodeId: null, code: 'worker_error', message: text.slice(0, 500) }]),
    });
  } finally {
    running.delete(job.runId);
  }
}

process.on('message', (raw: unknown) => {
  const parsed = zToWorker.safeParse(raw);
  if (!parsed.success) {
    // The parent speaks this protocol only; anything else is a bug worth dying for (the pool retries).
    throw new Error(`worker: malformed message: ${parsed.error.message}`);
  }
  const message = parsed.data;
  switch (message.type) {
    case 'start':
      services = createWorkerServices(message);
      return;
    case 'job':
      void runJob(message);
      return;
    case 'cancel':
      running.get(message.runId)?.abort();
      return;
  }
});

// The pool closes the channel to stop a worker, and a dead parent closes it too: never outlive it.
process.on('disconnect', () => {
  for (const controller of running.values()) controller.abort();
  process.exit(0);
});

send({ type: 'ready' });
