import type { Logger } from '@nestjs/common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { AppConfig, RedisOutages } from '@app/config';
import type { DatabaseAvailability } from '@app/persistence';
import { lockOptions, redisConnectionOptions } from './redis-connection';

/** What a queue worker needs besides its job: the process's view of PostgreSQL and Redis. */
export interface QueueWorkerDependencies {
  config: AppConfig;
  logger: Logger;
  database: DatabaseAvailability;
  redis: RedisOutages;
}

/**
 * Runs a job; while PostgreSQL cannot be reached it waits for it (the job keeps its lock, renewed in
 * Redis) and then runs it again, so that an outage of any length costs no attempt, dead-letters
 * nothing and logs nothing per job (DatabaseAvailability logs the outage once). Any other error is
 * the job's failure. At shutdown it stops waiting and the job fails (to be retried or reconciled).
 */
export function throughOutages<T, R>(
  process: (job: Job<T>) => Promise<R>,
  database: DatabaseAvailability,
): (job: Job<T>) => Promise<R> {
  return async (job) => {
    for (;;) {
      try {
        return await process(job);
      } catch (error) {
        if (database.isClosed || !database.failed(error)) throw error;
        await database.whenAvailable();
        if (database.isClosed) throw error;
      }
    }
  };
}

/**
 * A BullMQ worker on one of the service's queues: a connection of its own that waits through a
 * Redis restart, the job lock of JOB_LOCK_MS (a killed worker's jobs are taken over), jobs that
 * wait through a PostgreSQL outage (throughOutages), and its failures logged (a lost Redis once, by
 * RedisOutages).
 */
export function startQueueWorker<T>(
  queue: string,
  what: string,
  process: (job: Job<T>) => Promise<unknown>,
  { config, logger, database, redis }: QueueWorkerDependencies,
  concurrency = config.worker.concurrency,
): Worker<T> {
  const worker = new Worker<T>(queue, throughOutages(process, database), {
    connection: redisConnectionOptions(config.redisUrl, `pathway-worker-${queue}`),
    concurrency,
    ...lockOptions(config.worker.lockDurationMs),
  });
  worker.on('failed', (job, error) =>
    logger.warn(`${what} ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`),
  );
  // Without Redis the worker reports an error at every reconnect attempt: the outage is logged once.
  worker.on('error', (error) => {
    if (!redis.isDown) logger.warn(`${what} worker: ${error.message}`);
  });
  return worker;
}

/**
 * At-least-once delivery: a failure is retried while attempts remain and a retry could help; the
 * last failure is written to a dead-letter list (by `deadLetter`, given the attempts made) before
 * the job is given up for good.
 */
export async function retryOrDeadLetter(
  job: Job,
  error: unknown,
  retryable: boolean,
  deadLetter: (attempts: number, message: string) => Promise<void>,
): Promise<never> {
  const attempts = job.attemptsMade + 1;
  if (retryable && attempts < (job.opts.attempts ?? 1)) throw error;
  const message = error instanceof Error ? error.message : String(error);
  await deadLetter(attempts, message);
  throw new UnrecoverableError(`dead-lettered after ${attempts} attempt(s): ${message}`);
}
