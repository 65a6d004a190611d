import type { Database } from './db/client';
import type { ServerConfig } from './config';
import type { RunService } from './services/run-service';
import type { BlobStore } from './ports/blob-store';
import type { Cluster } from './app';
import type { ClusterService } from './services/cluster-service';
import type { ShareService } from './services/share-service';
import type { BatchService } from './services/batch-service';

/** Everything a request handler may use, created once per process (see ./app.ts). */
export interface AppContext {
  db: Database;
  artifacts: BlobStore;
  config: ServerConfig;
  runs: RunService;
  /** Batches: one pipeline over many inputs. */
  batches: BatchService;
  /** Share links (view and run). */
  shares: ShareService;
  /** Workers, queue and models as the operator pages see them (either mode). */
  fleet: ClusterService;
  /** Present in scale-out mode (REDIS_URL): the BullMQ queue and the workers' registry. */
  cluster?: Cluster;
}
