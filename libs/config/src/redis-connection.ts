import type { ConnectionOptions } from 'bullmq';

/**
 * Connection options for the Redis clients of BullMQ queues and workers (the worker's, the API's
 * queue view): commands wait through a Redis restart (maxRetriesPerRequest: null) and the client
 * reconnects by itself, so no process restart is needed. Give the client an 'error' listener.
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
