import type { Logger } from '@nestjs/common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import {
  redisConnectionOptions,
  withLogContext,
  type AppConfig,
  type LogContext,
  type RedisOutages,
} from '@app/config';
import { maskCprs } from '@app/pathway';
import type { DatabaseAvailability } from '@app/persistence';

/**
 * How long a worker holds a job (JOB_LOCK_MS) and how often stalled jobs are looked for: a worker
 * killed mid-job loses its jobs to another worker after about this long.
 */
export function lockOptions(lockDurationMs: number): { lockDuration: number; stalledInterval: number } {
  return { lockDuration: lockDurationMs, stalledInterval: Math.max(1_000, lockDurationMs / 2) };
}

/** An email address: name@domain.tld (not a Message-ID's `<id@pathway>`, whose domain has no dot). */
const EMAIL_ADDRESS = /[^\s<>()[\]"',;:@]+@[^\s<>()[\]"',;:@]+\.[^\s<>()[\]"',;:@]+/g;

/** The text with no email address or CPR number in it. */
export function withoutPersonalData(text: string): string {
  return maskCprs(text.replace(EMAIL_ADDRESS, '[email]'));
}

/**
 * A job's error as BullMQ keeps it (its failedReason and stacktrace, which the queue view shows)
 * and the worker logs it: without an email address (an SMTP relay's refusal names the recipient)
 * or a CPR number in its message or stack. Changed in place, so that its class still counts
 * (UnrecoverableError: no retry).
 */
export function scrubbed(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(withoutPersonalData(String(error)));
  error.message = withoutPersonalData(error.message);
  if (error.stack) error.stack = withoutPersonalData(error.stack);
  return error;
}

/** A job's log fields: its id, and the correlation id of the command it follows from when it carries one. */
function jobContext(job: Job | undefined): LogContext {
  const correlationId = (job?.data as { correlationId?: unknown } | undefined)?.correlationId;
  return { jobId: job?.id, ...(typeof correlationId === 'string' && { correlationId }) };
}

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
 * RedisOutages) and kept without personal data (`scrubbed`). Every line logged while a job is handled
 * carries its id and correlation id (`jobContext`); each job done is logged once, with how long it took
 * and what it returned.
 */
export function startQueueWorker<T>(
  queue: string,
  what: string,
  process: (job: Job<T>) => Promise<unknown>,
  { config, logger, database, redis }: QueueWorkerDependencies,
  concurrency = config.worker.concurrency,
): Worker<T> {
  const run = throughOutages(process, database);
  const handle = (job: Job<T>) =>
    withLogContext(jobContext(job), async () => {
      const started = performance.now();
      const result = await run(job).catch((error: unknown) => Promise.reject(scrubbed(error)));
      logger.log({
        msg: `${what} ${job.id} done`,
        queue,
        durationMs: Math.round(performance.now() - started),
        ...(result !== undefined && { result }),
      });
      return result;
    });
  const worker = new Worker<T>(queue, handle, {
    connection: redisConnectionOptions(config.redisUrl, `pathway-worker-${queue}`),
    concurrency,
    ...lockOptions(config.worker.lockDurationMs),
  });
  worker.on('failed', (job, error) =>
    withLogContext(jobContext(job), () =>
      logger.warn(`${what} ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`),
    ),
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
