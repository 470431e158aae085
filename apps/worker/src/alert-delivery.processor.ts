import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Worker, type Job } from 'bullmq';
import Redis from 'ioredis';
import { ALERT_DELIVERIES_QUEUE, ALERT_STREAM_CHANNEL, type AlertOp } from '@app/alerts';
import { alertView } from '@app/cases';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AlertReadModel, LivePolicyRegistry } from '@app/persistence';
import { redisConnectionOptions } from './redis-connection';
import { WORKER_REDIS } from './worker.tokens';

/**
 * Processes the alert-deliveries queue: reads the alert from PostgreSQL (the source of truth, in
 * whatever state it has reached by now) and publishes it to the live stream, which every API
 * instance relays to its SSE clients. A job fails, and is retried, until the publish succeeds.
 */
@Injectable()
export class AlertDeliveryProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AlertDelivery');
  private worker: Worker<AlertOp> | null = null;

  constructor(
    @Inject(AlertReadModel) private readonly alerts: AlertReadModel,
    @Inject(LivePolicyRegistry) private readonly policies: LivePolicyRegistry,
    @Inject(WORKER_REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new Worker<AlertOp>(ALERT_DELIVERIES_QUEUE, (job: Job<AlertOp>) => this.process(job.data), {
      connection: redisConnectionOptions(this.config.redisUrl, 'pathway-worker-alerts'),
      concurrency: this.config.worker.concurrency,
    });
    this.worker.on('failed', (job, error) => this.logger.warn(`alert job ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`));
    this.worker.on('error', (error) => this.logger.warn(`alert worker: ${error.message}`));
  }

  async process(op: AlertOp): Promise<void> {
    const record = await this.alerts.find(op.caseId, op.alert);
    // Written in the same transaction as the outbox row that led here: absent means not yet visible, so retry.
    if (!record) throw new Error(`alert ${op.alert} of case ${op.caseId} is not in the read model`);
    const event = op.op === 'deliver' ? (op.round === 0 ? 'raised' : 'resent') : op.status === 'resolved' ? 'resolved' : 'acknowledged';
    await this.redis.publish(ALERT_STREAM_CHANNEL, JSON.stringify({ event, alert: alertView(record, this.policies) }));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}
