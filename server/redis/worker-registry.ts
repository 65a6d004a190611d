import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { RedisKeys } from './redis-keys';

/** What a worker can do, as it advertises itself. */
export const zWorkerCapabilities = z.object({
  /** Execution providers whose sessions actually load here, best first. */
  providers: z.array(z.string()),
  gpu: z.object({ name: z.string(), memoryMiB: z.number().optional() }).optional(),
  /** Installed models as `kind/name` with the sha256 of their weights. */
  models: z.array(z.object({ id: z.string(), sha256: z.string().optional(), bytes: z.number().optional() })),
  cores: z.number().int().positive(),
  memoryMiB: z.number().int().positive(),
});
export type WorkerCapabilities = z.infer<typeof zWorkerCapabilities>;

export const zWorkerInfo = z.object({
  id: z.string(),
  name: z.string(),
  host: z.string(),
  pid: z.number().int(),
  startedAt: z.number(),
  heartbeatAt: z.number(),
  state: z.enum(['starting', 'idle', 'busy', 'stopping']),
  /** Runs executing now. */
  runIds: z.array(z.string()),
  /** Runs it can execute at once. */
  concurrency: z.number().int().positive(),
  capabilities: zWorkerCapabilities,
});
export type WorkerInfo = z.infer<typeof zWorkerInfo>;

/** A worker is live while its last heartbeat is younger than this. */
export const workerStaleMs = 10_000;

/** The workers' heartbeats in one Redis hash: written by each worker, read by the web side. */
export class WorkerRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async beat(info: WorkerInfo): Promise<void> {
    await this.redis.hset(this.keys.workers, info.id, JSON.stringify({ ...info, heartbeatAt: Date.now() }));
  }

  async remove(workerId: string): Promise<void> {
    await this.redis.hdel(this.keys.workers, workerId);
  }

  /** Workers with a recent heartbeat; older entries are dropped from the hash. */
  async live(now = Date.now()): Promise<WorkerInfo[]> {
    const all = await this.redis.hgetall(this.keys.workers);
    const live: WorkerInfo[] = [];
    for (const [id, text] of Object.entries(all)) {
      const parsed = zWorkerInfo.safeParse(safeJson(text));
      if (parsed.success && now - parsed.data.heartbeatAt < workerStaleMs) live.push(parsed.data);
      else if (!parsed.success || now - parsed.data.heartbeatAt > 6 * workerStaleMs) await this.redis.hdel(this.keys.workers, id);
    }
    return live.sort((a, b) => a.startedAt - b.startedAt);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
