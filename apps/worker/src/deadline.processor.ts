import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Worker, type Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { FireTimerCommand } from '@app/cases';
import { DEADLINES_QUEUE, type DeadlineJobData } from '@app/timers';
import { lockOptions, redisConnectionOptions } from './redis-connection';

/**
 * Processes the deadlines queue: each job only dispatches fire-timer; the handler re-reads the case
 * and decides what the timer still means. BullMQ locks a job to one worker; a worker that dies
 * mid-job loses its lock and another takes the job over (the decision is idempotent).
 */
@Injectable()
export class DeadlineProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeadlineProcessor');
  private worker: Worker<DeadlineJobData> | null = null;

  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { concurrency, lockDurationMs, testFireHoldMs } = this.config.worker;
    this.worker = new Worker<DeadlineJobData>(
      DEADLINES_QUEUE,
      async (job: Job<DeadlineJobData>) => {
        if (testFireHoldMs) await new Promise((r) => setTimeout(r, testFireHoldMs));
        const result = await this.commands.execute(new FireTimerCommand(job.data.caseId, job.data.timer, job.id ?? 'unknown'));
        return { appended: result.appended };
      },
      { connection: redisConnectionOptions(this.config.redisUrl), concurrency, ...lockOptions(lockDurationMs) },
    );
    this.worker.on('failed', (job, error) => this.logger.warn(`deadline job ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`));
    this.worker.on('error', (error) => this.logger.warn(`deadlines worker: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}
