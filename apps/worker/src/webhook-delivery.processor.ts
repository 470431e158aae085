import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import {
  postWebhook,
  WEBHOOK_DELIVERIES_QUEUE,
  WebhookDeliveryError,
  WebhookStore,
  WebhookTargetGuard,
  type WebhookJob,
} from '@app/alerts';
import { DatabaseAvailability } from '@app/persistence';
import { APP_CONFIG, Clock, RedisOutages, type AppConfig } from '@app/config';
import { metrics } from '@app/observability';
import { AlertMessages } from './alert-message';
import { retryOrDeadLetter, startQueueWorker } from './queue-worker';

/**
 * Delivers alerts to the organisations' webhook endpoints, at least once: BullMQ retries a failed
 * delivery with exponential backoff, and the last failure (or a refusal no retry can change, such
 * as 404) is written to the dead-letter list before the job is given up. Every attempt carries the
 * same delivery id, for the receiver to de-duplicate on. The guard refuses (without retry, straight
 * to the dead-letter list) a host that is or now resolves to an address webhooks may not reach.
 */
@Injectable()
export class WebhookDeliveryProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WebhookDelivery');
  private worker: Worker<WebhookJob> | null = null;

  constructor(
    @Inject(WebhookStore) private readonly webhooks: WebhookStore,
    @Inject(AlertMessages) private readonly messages: AlertMessages,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DatabaseAvailability) private readonly database: DatabaseAvailability,
    @Inject(RedisOutages) private readonly redisOutages: RedisOutages,
    @Inject(WebhookTargetGuard) private readonly guard: WebhookTargetGuard,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = startQueueWorker<WebhookJob>(
      WEBHOOK_DELIVERIES_QUEUE,
      'webhook delivery',
      (job) => this.process(job),
      { config: this.config, logger: this.logger, database: this.database, redis: this.redisOutages },
    );
  }

  async process(job: Job<WebhookJob>): Promise<string> {
    const d = job.data;
    const endpoint = await this.webhooks.endpoint(d.subscriptionId);
    if (!endpoint) return 'the subscription was deleted';
    const message = await this.messages.of(d);
    try {
      const { status } = await postWebhook(endpoint.url, message, endpoint.secret, {
        now: this.clock.now(),
        guard: this.guard,
        correlationId: d.correlationId,
      });
      metrics.alertsDelivered.inc({ channel: 'webhook' });
      return `delivered: ${status}`;
    } catch (error) {
      return retryOrDeadLetter(
        job,
        error,
        error instanceof WebhookDeliveryError ? error.retryable : true,
        async (attempts, lastError) => {
          await this.webhooks.deadLetter({
            deliveryId: d.deliveryId,
            subscriptionId: endpoint.id,
            organisation: endpoint.organisation,
            url: endpoint.url,
            caseId: d.caseId,
            alert: d.alert,
            round: d.round,
            attempts,
            lastStatus: error instanceof WebhookDeliveryError ? error.status : null,
            lastError,
            failedAt: this.clock.now().toISOString(),
          });
          metrics.alertsDeadLettered.inc({ channel: 'webhook' });
        },
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.guard.close();
  }
}
