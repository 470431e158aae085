import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { postWebhook, WEBHOOK_DELIVERIES_QUEUE, WebhookDeliveryError, WebhookStore, type WebhookJob } from '@app/alerts';
import { alertView } from '@app/cases';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { AlertReadModel, LivePolicyRegistry } from '@app/persistence';
import { alertMessage } from './alert-message';
import { lockOptions, redisConnectionOptions } from './redis-connection';

/**
 * Delivers alerts to the organisations' webhook endpoints, at least once: BullMQ retries a failed
 * delivery with exponential backoff, and the last failure (or a refusal no retry can change, such
 * as 404) is written to the dead-letter list before the job is given up. Every attempt carries the
 * same delivery id, for the receiver to de-duplicate on.
 */
@Injectable()
export class WebhookDeliveryProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WebhookDelivery');
  private worker: Worker<WebhookJob> | null = null;

  constructor(
    @Inject(WebhookStore) private readonly webhooks: WebhookStore,
    @Inject(AlertReadModel) private readonly alerts: AlertReadModel,
    @Inject(LivePolicyRegistry) private readonly policies: LivePolicyRegistry,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = new Worker<WebhookJob>(WEBHOOK_DELIVERIES_QUEUE, (job) => this.process(job), {
      connection: redisConnectionOptions(this.config.redisUrl, 'pathway-worker-webhooks'),
      ...lockOptions(this.config.worker.lockDurationMs),
      concurrency: this.config.worker.concurrency,
    });
    this.worker.on('failed', (job, error) => this.logger.warn(`webhook delivery ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`));
    this.worker.on('error', (error) => this.logger.warn(`webhook worker: ${error.message}`));
  }

  async process(job: Job<WebhookJob>): Promise<string> {
    const d = job.data;
    const endpoint = await this.webhooks.endpoint(d.subscriptionId);
    if (!endpoint) return 'the subscription was deleted';
    const record = await this.alerts.find(d.caseId, d.alert);
    if (!record) throw new Error(`alert ${d.alert} of case ${d.caseId} is not in the read model`);
    const message = alertMessage(alertView(record, this.policies), d.round, d.deliveryId, this.config.publicBaseUrl);
    try {
      const { status } = await postWebhook(endpoint.url, message, endpoint.secret, { now: this.clock.now() });
      return `delivered: ${status}`;
    } catch (error) {
      const retryable = error instanceof WebhookDeliveryError ? error.retryable : true;
      const attempts = job.attemptsMade + 1;
      if (retryable && attempts < (job.opts.attempts ?? 1)) throw error;
      await this.webhooks.deadLetter({
        deliveryId: d.deliveryId, subscriptionId: endpoint.id, organisation: endpoint.organisation, url: endpoint.url, caseId: d.caseId, alert: d.alert, round: d.round,
        attempts, lastStatus: error instanceof WebhookDeliveryError ? error.status : null, lastError: error instanceof Error ? error.message : String(error),
        failedAt: this.clock.now().toISOString(),
      });
      throw new UnrecoverableError(`dead-lettered after ${attempts} attempt(s): ${error instanceof Error ? error.message : error}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}
