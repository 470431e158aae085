import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Worker } from 'bullmq';
import { DatabaseAvailability } from '@app/persistence';
import { APP_CONFIG, Clock, RedisOutages, type AppConfig } from '@app/config';
import { FireTimerCommand, FireTimersCommand } from '@app/cases';
import { metrics } from '@app/observability';
import { DEADLINES_QUEUE, type DeadlineJobData } from '@app/timers';
import { FiringBatches } from './firing-batches';
import { startQueueWorker } from './queue-worker';

/**
 * Processes the deadlines queue: each job only dispatches fire-timer, in a batch with the other jobs
 * the worker holds (FiringBatches); the handler re-reads the case and decides what the timer still
 * means. BullMQ locks a job to one worker; a worker that dies mid-job loses its lock and another
 * takes the job over (the decision is idempotent).
 */
@Injectable()
export class DeadlineProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeadlineProcessor');
  private worker: Worker<DeadlineJobData> | null = null;
  /** The jobs held at the same moment fire together: one read of their streams, one commit. */
  private readonly batches = new FiringBatches((timers) => this.commands.execute(new FireTimersCommand(timers)));

  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DatabaseAvailability) private readonly database: DatabaseAvailability,
    @Inject(RedisOutages) private readonly redisOutages: RedisOutages,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const { testFireHoldMs } = this.config.worker;
    this.worker = startQueueWorker<DeadlineJobData>(
      DEADLINES_QUEUE,
      'deadline job',
      async (job) => {
        if (testFireHoldMs) await new Promise((r) => setTimeout(r, testFireHoldMs));
        const result = await this.batches.submit(
          new FireTimerCommand(job.data.caseId, job.data.timer, job.id ?? 'unknown', job.data.correlationId),
        );
        countFiring(result.appended, Date.parse(job.data.fireAt), this.clock.now().getTime());
        return { appended: result.appended };
      },
      { config: this.config, logger: this.logger, database: this.database, redis: this.redisOutages },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}

/**
 * A job that appended events fired its timer: how late (now minus due) goes to the lateness
 * histogram. One that appended none was a duplicate, or had nothing left to do.
 */
function countFiring(appended: number, dueMs: number, nowMs: number): void {
  metrics.timerJobs.inc({ outcome: appended > 0 ? 'fired' : 'skipped' });
  if (appended > 0 && Number.isFinite(dueMs)) metrics.firingLateness.observe(Math.max(0, nowMs - dueMs) / 1000);
}
