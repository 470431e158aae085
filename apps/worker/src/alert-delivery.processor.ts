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
import { APP_CONFIG, RedisOutages, withLogContext, type AppConfig } from '@app/config';
import { metrics } from '@app/observability';
import { DatabaseAvailability, AlertReadModel, LivePolicyRegistry, type AlertRecord } from '@app/persistence';
import { startQueueWorker } from './queue-worker';
import { EMAIL_DELIVERIES, WEBHOOK_DELIVERIES, WORKER_REDIS } from './worker.tokens';

/**
 * Delivers alerts: reads each from PostgreSQL (the source of truth, in whatever state it has reached
 * by now), publishes it to the live stream, which every API instance with a client relays to its SSE
 * clients, and queues one webhook delivery per endpoint of the owning organisation and, with SMTP
 * configured, one email per contact of the tiers the alert reaches, with the region's management at
 * escalation 2 (not for an alert already resolved).
 *
 * The outbox relay delivers each batch it relays directly (`deliverAll`: one read, one pipeline of
 * publishes, one bulk of webhook jobs), in the transaction that holds the outbox rows, so an alert
 * costs no job of its own. What it cannot deliver goes to the alert-deliveries queue, which this
 * processor works through one alert per job, retried until delivered.
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
    this.worker = startQueueWorker<AlertOp>(
      ALERT_DELIVERIES_QUEUE,
      'alert job',
      async (job) => {
        const [missing] = await this.deliverAll([job.data]);
        // Written in the same transaction as the outbox row that led here: absent means not yet visible, so retry.
        if (missing) throw new Error(`alert ${missing.alert} of case ${missing.caseId} is not in the read model`);
      },
      { config: this.config, logger: this.logger, database: this.database, redis: this.redisOutages },
    );
  }

  /**
   * Delivers these alerts, in order; returns those not (yet) in the read model, undelivered. Throws
   * when the stream, a queue or PostgreSQL fails: the caller delivers them again (at least once; the
   * webhook and email jobs' ids are deterministic, and stream clients tell a message by its id).
   */
  async deliverAll(ops: readonly AlertOp[]): Promise<AlertOp[]> {
    if (ops.length === 0) return [];
    const keyOf = (a: { caseId: string; alert: string }) => `${a.caseId}/${a.alert}`;
    const unique = new Map(ops.map((op) => [keyOf(op), op]));
    const records = new Map(
      (await this.alerts.findAll([...unique.values()])).map((r) => [keyOf({ caseId: r.caseId, alert: r.alert.id }), r]),
    );
    const found = ops.flatMap((op) => {
      const record = records.get(keyOf(op));
      return record ? [{ op, record }] : [];
    });
    const publishing = this.redis.pipeline();
    for (const { op, record } of found)
      publishing.publish(
        ALERT_STREAM_CHANNEL,
        JSON.stringify({ event: streamEvent(op), alert: alertView(record, this.policies) }),
      );
    for (const [error] of (await publishing.exec()) ?? []) if (error) throw error;
    metrics.alertsDelivered.inc({ channel: 'stream' }, found.length);
    for (const { op } of found)
      withLogContext({ jobId: op.jobId, correlationId: op.correlationId }, () =>
        this.logger.log(`alert ${op.jobId} published`),
      );
    const sends = found.filter((f): f is Send => f.op.op === 'deliver' && f.record.alert.status !== 'resolved');
    if (sends.length > 0) await Promise.all([this.queueWebhooks(sends), this.queueEmails(sends)]);
    return ops.filter((op) => !records.has(keyOf(op)));
  }

  /** One webhook delivery per (alert sending, endpoint of its owner): the owners' endpoints read in one query. */
  private async queueWebhooks(sends: readonly Send[]): Promise<void> {
    const endpoints = await this.webhooks.list([...new Set(sends.map((s) => s.record.alert.owner))]);
    const { deliveryAttempts, deliveryBackoffMs } = this.config.worker;
    const jobs = sends.flatMap(({ op, record }) =>
      endpoints
        .filter((endpoint) => endpoint.organisation === record.alert.owner)
        .map((endpoint) => {
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
    if (jobs.length > 0) await this.webhookQueue.addBulk(jobs);
  }

  /** With SMTP configured: one email per contact of the tiers each alert reaches. */
  private async queueEmails(sends: readonly Send[]): Promise<void> {
    if (!this.config.smtp) return;
    const { deliveryAttempts, deliveryBackoffMs } = this.config.worker;
    const jobs = [];
    for (const { op, record } of sends) {
      const recipients = await this.contacts.reaching(record.alert.owner, audienceOf(record.alert));
      // Escalation 2 also reaches the regional contact (domain.md): the management of the case's region.
      const region = findMunicipality(record.municipality)?.region;
      if (record.alert.reach === 'management' && region)
        recipients.push(...(await this.contacts.reaching(`region:${region}`, ['management'])));
      for (const contact of recipients) {
        const deliveryId = emailDeliveryId(op.caseId, op.alert, op.round, contact.id);
        jobs.push({
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
        });
      }
    }
    if (jobs.length > 0) await this.emailQueue.addBulk(jobs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }
}

type Send = { op: Extract<AlertOp, { op: 'deliver' }>; record: AlertRecord };

/** What the live stream calls this change: raised (round 0), resent, acknowledged or resolved. */
function streamEvent(op: AlertOp): 'raised' | 'resent' | 'acknowledged' | 'resolved' {
  if (op.op === 'deliver') return op.round === 0 ? 'raised' : 'resent';
  return op.status === 'resolved' ? 'resolved' : 'acknowledged';
}
