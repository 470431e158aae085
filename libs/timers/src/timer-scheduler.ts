import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import type { Clock } from '@app/config';
import type { DeadlineJobData, ScheduledTimer } from './deadline-jobs';

/** Where timers live while they wait: a port, so that the reconciler and relay do not know BullMQ. */
export interface TimerScheduler {
  /** Adds the jobs; a job id that already exists is left as it is. */
  schedule(timers: readonly ScheduledTimer[]): Promise<void>;
  /** Removes the jobs that are still waiting; a running or missing job is left alone. */
  cancel(jobIds: readonly string[]): Promise<void>;
  /** The job ids among these that have no job. */
  missing(jobIds: readonly string[]): Promise<string[]>;
}

/** Attempts of a deadline job before it is dropped (the reconciler then schedules it again). */
const ATTEMPTS = 8;

/** Job ids counted by one EXISTS. */
const EXISTS_CHUNK = 500;

function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * TimerScheduler on a BullMQ queue: one delayed job per timer, delay from the injected clock.
 * Existence is checked on the jobs' own keys with a plain Redis connection (BullMQ 6 no longer
 * exposes the queue's client), counted a chunk at a time: one round trip for thousands of timers.
 */
export class BullMqTimerScheduler implements TimerScheduler {
  constructor(
    private readonly queue: Queue<DeadlineJobData>,
    private readonly redis: Redis,
    private readonly clock: Clock,
  ) {}

  async schedule(timers: readonly ScheduledTimer[]): Promise<void> {
    if (timers.length === 0) return;
    // A delayed job falls due at its timestamp plus its delay, so both are read at one instant for
    // the whole batch: left to BullMQ, each job's timestamp is read as it is built, and the last jobs
    // of a large batch would fall due late by the time it took to build the ones before them.
    const now = this.clock.now().getTime();
    const timestamp = Date.now();
    await this.queue.addBulk(
      timers.map(({ jobId, caseId, timer, fireAt, correlationId }) => ({
        name: 'fire',
        data: { caseId, timer, fireAt, ...(correlationId !== undefined && { correlationId }) },
        opts: {
          jobId,
          timestamp,
          delay: Math.max(0, Date.parse(fireAt) - now),
          attempts: ATTEMPTS,
          backoff: { type: 'exponential', delay: 500 },
          // Gone when done or finally failed: a pending timer without a job is what the reconciler restores.
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
    );
  }

  async cancel(jobIds: readonly string[]): Promise<void> {
    // Sent together: one round trip's wait for the batch, not one per job.
    await Promise.all(jobIds.map((jobId) => this.queue.remove(jobId)));
  }

  async missing(jobIds: readonly string[]): Promise<string[]> {
    // The reconciler asks about every timer within the horizon every interval, and nearly all of them
    // have their job: one EXISTS per chunk counts a chunk's jobs (one command, not one per job, which
    // would keep the worker's event loop busy for tens of milliseconds a page and make firings late);
    // only a chunk that counts short is asked job by job.
    const chunks = chunked(jobIds, EXISTS_CHUNK);
    const counts = await this.replies(chunks.map((chunk) => ['exists', ...chunk.map((id) => this.queue.toKey(id))]));
    const short = chunks.filter((chunk, i) => counts[i] !== chunk.length).flat();
    const exists = await this.replies(short.map((id) => ['exists', this.queue.toKey(id)]));
    return short.filter((_, i) => exists[i] === 0);
  }

  /** The replies of these commands, sent as one pipeline; the first error is thrown. */
  private async replies(commands: string[][]): Promise<unknown[]> {
    if (commands.length === 0) return [];
    const results = (await this.redis.pipeline(commands).exec()) ?? [];
    return commands.map((_, i) => {
      const [error, reply] = results[i] ?? [new Error('no reply')];
      if (error) throw error;
      return reply;
    });
  }
}
