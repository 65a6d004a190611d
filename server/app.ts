import { resolve } from 'node:path';
import type { AppContext } from './app-context';
import { serverConfigFromEnv, type ServerConfig } from './config';
import { createDatabase, type Database } from './db/client';
import { databaseConfigFromEnv, type DatabaseConfig } from './db/config';
import { applyMigrations } from './db/migrate';
import { InProcessRunQueue } from './runs/in-process-queue';
import type { RunQueue } from './runs/run-queue';
import { RunService } from './services/run-service';
import { createBlobStore } from './storage/blob-store-config';
import { BullRunQueue } from './redis/bullmq-run-queue';
import { connectRedis } from './redis/redis-connection';
import { redisConfigFromEnv, type RedisConfig } from './redis/redis-config';
import { RedisRunEventStream } from './redis/redis-run-event-stream';
import type { WorkerRegistry } from './redis/worker-registry';
import { routeRun } from './runs/worker-routing';
import { AppError } from './services/app-error';
import { ClusterService } from './services/cluster-service';
import { ShareService } from './services/share-service';
import { BatchService } from './services/batch-service';

export interface App extends AppContext {
  queue: RunQueue;
  close(): Promise<void>;
}

/** What a server in scale-out mode (REDIS_URL) has besides the embedded parts. */
export interface Cluster {
  queue: BullRunQueue;
  workers: WorkerRegistry;
}

export interface CreateAppOptions {
  config?: ServerConfig;
  database?: DatabaseConfig;
  /** Use this queue instead of the one the settings choose. */
  queue?: RunQueue;
  /** Scale-out settings (default: from REDIS_URL; null forces the embedded mode). */
  redis?: RedisConfig | null;
  /** Worker entry script; inside a Next.js bundle module URLs are rewritten, so getApp passes the path from the project root. */
  workerEntry?: string;
}

/**
 * Opens the database (migrating it), the blob store and the run queue — the
 * in-process worker pool, or with REDIS_URL the BullMQ queue that remote
 * workers take runs from — and recovers runs a previous process left active.
 */
export async function createApp(options: CreateAppOptions = {}): Promise<App> {
  const config = options.config ?? serverConfigFromEnv();
  // Before the database opens, so a bad blob store setting stops start-up with nothing to close.
  const artifacts = createBlobStore({ dataDir: config.dataDir, env: process.env });
  const db: Database = await createDatabase(options.database ?? databaseConfigFromEnv());
  try {
    await applyMigrations(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  const redis = options.redis === undefined ? redisConfigFromEnv() : (options.redis ?? undefined);
  let cluster: Cluster | undefined;
  let runs: RunService;
  let queue: RunQueue;
  try {
    if (!options.queue && redis) {
      const bull = new BullRunQueue({ redisUrl: redis.url, keys: redis.keys });
      await bull.ready();
      cluster = { queue: bull, workers: bull.workers };
      queue = bull;
      const events = new RedisRunEventStream(connectRedis(redis.url), redis.keys, db.prisma);
      runs = new RunService(db.prisma, queue, config, {
        events,
        onStarted: (listener) => bull.onStarted(listener),
        route: async (requires) => {
          const routed = routeRun(requires, await bull.workers.live());
          if (!routed.ok) throw new AppError('PRECONDITION_FAILED', routed.problem.message, { routing: routed.problem });
        },
      });
    } else {
      queue = options.queue ?? new InProcessRunQueue({ dataDir: config.dataDir, filesRoot: config.filesRoot ?? null, concurrency: config.workers, workerEntry: options.workerEntry });
      runs = new RunService(db.prisma, queue, config);
    }
    await runs.recover();
  } catch (error) {
    await db.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    db,
    artifacts,
    config,
    queue,
    runs,
    cluster,
    fleet: new ClusterService(db.prisma, queue, cluster),
    shares: new ShareService(db.prisma, runs),
    batches: new BatchService(db.prisma, runs, artifacts),
    close: () =>
      (closing ??= (async () => {
        await queue.close();
        await runs.close();
        await db.close();
      })()),
  };
}

const holder = globalThis as typeof globalThis & { __pixelwireApp?: Promise<App> };

/** The process's one app (Next.js route handlers share it); created on first use. */
export function getApp(): Promise<App> {
  holder.__pixelwireApp ??= createApp({ workerEntry: resolve(process.cwd(), 'server/runs/worker-bootstrap.js') }).catch((error) => {
    holder.__pixelwireApp = undefined;
    throw error;
  });
  return holder.__pixelwireApp;
}
