import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, type Worker } from 'bullmq';
import Redis from 'ioredis';
import {
  ALERT_DELIVERIES_QUEUE,
  ALERT_STREAM_CHANNEL,
  ContactStore,
  deliveryJobOptions,
  emailDeliveryId,
  WebhookStore,
  webhookDeliveryId,
  type AlertOp,
  type EmailJob,
  type WebhookJob,
} from '@app/alerts';
import { audienceOf, findMunicipality } from '@app/pathway';
import { alertView } from '@app/cases';
import { APP_CONFIG, RedisOutages, type AppConfig } from '@app/config';
import { metrics } from '@app/observability';
import { DatabaseAvailability, AlertReadModel, LivePolicyRegistry } from '@app/persistence';
import { startQueueWorker } from './queue-worker';
import { EMAIL_DELIVERIES, WEBHOOK_DELIVERIES, WORKER_REDIS } from './worker.tokens';

/**
 * Processes the alert-deliveries queue: reads the alert from PostgreSQL (the source of truth, in
 * whatever state it has reached by now), publishes it to the live stream, which every API instance
 * relays to its SSE clients, and queues one webhook delivery per endpoint of the owning
 * organisation and, with SMTP configured, one email per contact of the tiers the alert reaches,
 * with the region's management at escalation 2 (not for an alert already resolved). A job fails, and is retried, until both are done.
 */
@Injectable()
export class AlertDeliveryProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AlertDelivery');
  private worker: Worker<AlertOp> | null = null;

  constructor(
    @Inject(AlertReadModel) private readonly alerts: AlertReadModel,
    @Inject(LivePolicyRegistry) private readonly policies: LivePolicyRegistry,
    @Inject(WORKER_REDIS) private readonly redis: Redis,
    @Inject(WebhookStore) private readonly webhooks: WebhookStore,
    @Inject(WEBHOOK_DELIVERIES) private readonly webhookQueue: Queue<WebhookJob>,
    @Inject(ContactStore) private readonly contacts: ContactStore,
    @Inject(EMAIL_DELIVERIES) private readonly emailQueue: Queue<EmailJob>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DatabaseAvailability) private readonly database: DatabaseAvailability,
    @Inject(RedisOutages) private readonly redisOutages: RedisOutages,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = startQueueWorker<AlertOp>(ALERT_DELIVERIES_QUEUE, 'alert job', (job) => this.process(job.data), {
      config: this.config,
      logger: this.logger,
      database: this.database,
      redis: this.redisOutages,
    });
  }

  async process(op: AlertOp): Promise<void> {
    const record = await this.alerts.find(op.caseId, op.alert);
    // Written in the same transaction as the outbox row that led here: absent means not yet visible, so retry.
    if (!record) throw new Error(`alert ${op.alert} of case ${op.caseId} is not in the read model`);
    const event =
      op.op === 'deliver'
        ? op.round === 0
          ? 'raised'
          : 'resent'
        : op.status === 'resolved'
          ? 'resolved'
          : 'acknowledged';
    await this.redis.publish(ALERT_STREAM_CHANNEL, JSON.stringify({ event, alert: alertView(record, this.policies) }));
    metrics.alertsDelivered.inc({ channel: 'stream' });
    if (op.op !== 'deliver' || record.alert.status === 'resolved') return;
    const endpoints = await this.webhooks.list([record.alert.owner]);
    const { deliveryAttempts, deliveryBackoffMs } = this.config.worker;
    if (this.config.smtp) {
      const recipients = await this.contacts.reaching(record.alert.owner, audienceOf(record.alert));
      // Escalation 2 also reaches the regional contact (domain.md): the management of the case's region.
      const region = findMunicipality(record.municipality)?.region;
      if (record.alert.reach === 'management' && region)
        recipients.push(...(await this.contacts.reaching(`region:${region}`, ['management'])));
      await this.emailQueue.addBulk(
        recipients.map((contact) => {
          const deliveryId = emailDeliveryId(op.caseId, op.alert, op.round, contact.id);
          return {
            name: 'email',
            data: {
              deliveryId,
              organisation: contact.organisation,
              to: contact.email,
              caseId: op.caseId,
              alert: op.alert,
              round: op.round,
              correlationId: op.correlationId,
            },
            opts: deliveryJobOptions(deliveryId, deliveryAttempts, deliveryBackoffMs),
          };
        }),
      );
    }
    await this.webhookQueue.addBulk(
      endpoints.map((endpoint) => {
        const deliveryId = webhookDeliveryId(op.caseId, op.alert, op.round, endpoint.id);
        return {
          name: 'deliver',
          data: {
            deliveryId,
            subscriptionId: endpoint.id,
            caseId: op.caseId,
            alert: op.alert,
            round: op.round,
            correlationId: op.correlationId,
          },
          opts: deliveryJobOptions(deliveryId, deliveryAttempts, deliveryBackoffMs),
        };
      }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}
