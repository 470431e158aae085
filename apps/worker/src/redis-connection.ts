import type { ConnectionOptions } from 'bullmq';

/**
 * Connection options for every Redis client of the worker: commands wait through a Redis restart
 * (maxRetriesPerRequest: null) and the client reconnects by itself, so no process restart is needed.
 */
export function redisConnectionOptions(
  url: string,
  name = 'pathway-worker',
): ConnectionOptions & { host: string; port: number } {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (attempt: number) => Math.min(2_000, 50 * attempt),
    connectionName: name,
  };
}

/**
 * How long a worker holds a job (JOB_LOCK_MS) and how often stalled jobs are looked for: a worker
 * killed mid-job loses its jobs to another worker after about this long.
 */
export function lockOptions(lockDurationMs: number): { lockDuration: number; stalledInterval: number } {
  return { lockDuration: lockDurationMs, stalledInterval: Math.max(1_000, lockDurationMs / 2) };
}
