import type Redis from 'ioredis';
import { evictionPolicyOf } from '@app/observability';

/**
 * Queues must never lose a job to memory pressure: the worker refuses a Redis whose
 * maxmemory-policy is anything but noeviction. Read from INFO, which managed Redis services allow
 * even where CONFIG GET is disabled.
 */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const info = await redis.info('memory');
  const policy = evictionPolicyOf(info);
  if (policy !== 'noeviction') {
    throw new Error(
      `Redis maxmemory-policy is "${policy ?? 'unknown'}"; Pathway's queues need "noeviction" (an evicted job is a lost deadline). ` +
        'Start Redis with --maxmemory-policy noeviction, or run CONFIG SET maxmemory-policy noeviction.',
    );
  }
}
