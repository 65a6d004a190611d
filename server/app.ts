import { join, resolve } from 'node:path';
import type { AppContext } from './app-context';
import { serverConfigFromEnv, type ServerConfig } from './config';
import { createDatabase, type Database } from './db/client';
import { databaseConfigFromEnv, type DatabaseConfig } from './db/config';
import { applyMigrations } from './db/migrate';
import { InProcessRunQueue } from './runs/in-process-queue';
import type { RunQueue } from './runs/run-queue';
import { RunService } from './services/run-service';
import { createBlobStore } from './storage/blob-store-config';

export interface App extends AppContext {
  queue: RunQueue;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  config?: ServerConfig;
  database?: DatabaseConfig;
  /** Use this queue instead of the in-process worker pool (a later issue adds BullMQ). */
  queue?: RunQueue;
  /** Worker entry script; inside a Next.js bundle module URLs are rewritten, so getApp passes the path from the project root. */
  workerEntry?: string;
}

/**
 * Opens the database (migrating it), the artifact store and the run queue, and
 * marks runs that a previous process left active as interrupted.
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
  const queue = options.queue ?? new InProcessRunQueue({ dataDir: config.dataDir, concurrency: config.workers, workerEntry: options.workerEntry });
  const runs = new RunService(db.prisma, queue, config);
  await runs.markInterrupted();
  let closing: Promise<void> | undefined;
  return {
    db,
    artifacts,
    config,
    queue,
    runs,
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
