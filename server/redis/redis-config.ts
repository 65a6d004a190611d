import { z } from 'zod';
import { redisKeys, type RedisKeys } from './redis-keys';

const zRedisEnv = z.object({
  /** Scale-out mode: BullMQ queue, Redis event streams, shared result index. Unset: everything in this process. */
  REDIS_URL: z.string().trim().regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://').optional(),
  /** Prefix of every Redis key, so several installations can share one Redis. */
  PIXELWIRE_REDIS_PREFIX: z.string().trim().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, ".", "_" or "-"').default('pixelwire'),
});

export interface RedisConfig {
  url: string;
  keys: RedisKeys;
}

/** The Redis settings, or undefined when REDIS_URL is not set (embedded mode). A bad value stops start-up. */
export function redisConfigFromEnv(env: Record<string, string | undefined> = process.env): RedisConfig | undefined {
  const parsed = zRedisEnv.safeParse({ ...env, REDIS_URL: env.REDIS_URL || undefined });
  if (!parsed.success) throw new Error(`invalid settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  if (!parsed.data.REDIS_URL) return undefined;
  return { url: parsed.data.REDIS_URL, keys: redisKeys(parsed.data.PIXELWIRE_REDIS_PREFIX) };
}

/** A URL safe to print: the password replaced. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://…';
  }
}
