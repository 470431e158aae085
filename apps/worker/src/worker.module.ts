import {
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import {
  ALERT_DELIVERIES_QUEUE,
  AlertsModule,
  EMAIL_DELIVERIES_QUEUE,
  WEBHOOK_DELIVERIES_QUEUE,
  type AlertOp,
  type EmailJob,
  type WebhookJob,
} from '@app/alerts';
import { CasesModule } from '@app/cases';
import { APP_CONFIG, Clock, ConfigModule, RedisOutages, redisConnectionOptions, type AppConfig } from '@app/config';
import { MetricsModule } from '@app/observability';
import {
  assertNoEviction,
  clockProblem,
  redisClockHz,
  BullMqTimerScheduler,
  DEADLINES_QUEUE,
  Reconciler,
  type DeadlineJobData,
  type TimerScheduler,
} from '@app/timers';
import { DataSource } from 'typeorm';
import { AlertDeliveryProcessor } from './alert-delivery.processor';
import { AlertMessages } from './alert-message';
import { DeadlineProcessor } from './deadline.processor';
import { EmailDeliveryProcessor } from './email-delivery.processor';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import { OutboxRelay } from './outbox-relay';
import { ReconcilerRunner } from './reconciler.runner';
import { CprIndexBackfill } from './cpr-index-backfill';
import { WorkerHttpServer } from './worker-http.server';
import { WorkerHealth } from './worker-health';
import { WorkerMetrics } from './worker-metrics';
import {
  ALERT_DELIVERIES,
  DEADLINES,
  EMAIL_DELIVERIES,
  TIMER_SCHEDULER,
  WEBHOOK_DELIVERIES,
  WORKER_REDIS,
} from './worker.tokens';

/**
 * The worker: the outbox relay, the deadline processor, the alert delivery processor and the
 * reconciler, on PostgreSQL (migrated
 * at start) and a Redis that never evicts.
 */
@Module({})
export class WorkerModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');

  constructor(
    @Inject(WORKER_REDIS) private readonly redis: Redis,
    @Inject(DEADLINES) private readonly queue: Queue<DeadlineJobData>,
    @Inject(ALERT_DELIVERIES) private readonly alertQueue: Queue<AlertOp>,
    @Inject(WEBHOOK_DELIVERIES) private readonly webhookQueue: Queue<WebhookJob>,
    @Inject(EMAIL_DELIVERIES) private readonly emailQueue: Queue<EmailJob>,
    @Inject(RedisOutages) private readonly redisOutages: RedisOutages,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), CasesModule, AlertsModule, MetricsModule],
      providers: [
        // Redis lost and back: one line each for the whole process, however many connections notice.
        { provide: RedisOutages, useFactory: () => new RedisOutages() },
        {
          provide: WORKER_REDIS,
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) => new Redis(redisConnectionOptions(c.redisUrl)),
        },
        {
          provide: DEADLINES,
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) =>
            new Queue<DeadlineJobData>(DEADLINES_QUEUE, {
              connection: redisConnectionOptions(c.redisUrl, 'pathway-worker-queue'),
            }),
        },
        {
          provide: ALERT_DELIVERIES,
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) =>
            new Queue<AlertOp>(ALERT_DELIVERIES_QUEUE, {
              connection: redisConnectionOptions(c.redisUrl, 'pathway-worker-alert-queue'),
            }),
        },
        {
          provide: WEBHOOK_DELIVERIES,
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) =>
            new Queue<WebhookJob>(WEBHOOK_DELIVERIES_QUEUE, {
              connection: redisConnectionOptions(c.redisUrl, 'pathway-worker-webhook-queue'),
            }),
        },
        {
          provide: EMAIL_DELIVERIES,
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) =>
            new Queue<EmailJob>(EMAIL_DELIVERIES_QUEUE, {
              connection: redisConnectionOptions(c.redisUrl, 'pathway-worker-email-queue'),
            }),
        },
        {
          provide: TIMER_SCHEDULER,
          inject: [DEADLINES, WORKER_REDIS, Clock],
          useFactory: (queue: Queue<DeadlineJobData>, redis: Redis, clock: Clock): TimerScheduler =>
            new BullMqTimerScheduler(queue, redis, clock),
        },
        {
          provide: Reconciler,
          inject: [DataSource, TIMER_SCHEDULER, Clock, APP_CONFIG],
          useFactory: (ds: DataSource, scheduler: TimerScheduler, clock: Clock, c: AppConfig) =>
            new Reconciler(ds, scheduler, () => clock.now(), c.timerHorizonMs),
        },
        OutboxRelay,
        DeadlineProcessor,
        AlertDeliveryProcessor,
        AlertMessages,
        WebhookDeliveryProcessor,
        EmailDeliveryProcessor,
        ReconcilerRunner,
        CprIndexBackfill,
        WorkerHttpServer,
        WorkerHealth,
        WorkerMetrics,
      ],
    };
  }

  async onModuleInit(): Promise<void> {
    // Every Redis client has its errors handled: a lost Redis is logged once, not at every reconnect attempt.
    this.redisOutages.watch(this.redis);
    for (const queue of [this.queue, this.alertQueue, this.webhookQueue, this.emailQueue])
      queue.on('error', (error) => {
        if (!this.redisOutages.isDown) this.logger.warn(`queue ${queue.name}: ${error.message}`);
      });
    await assertNoEviction(this.redis);
    // A slow Redis clock makes deadlines late, never lost: said at start, not refused.
    const hz = await redisClockHz(this.redis);
    const late = clockProblem(hz);
    if (late) this.logger.warn(late);
    this.logger.log(`Redis checked: maxmemory-policy noeviction, hz ${hz ?? 'unknown'}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    await this.alertQueue.close();
    await this.webhookQueue.close();
    await this.emailQueue.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
