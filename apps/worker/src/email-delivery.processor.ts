import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { ContactStore, EMAIL_DELIVERIES_QUEUE, SmtpSender, type EmailJob } from '@app/alerts';
import { DatabaseAvailability } from '@app/persistence';
import { APP_CONFIG, Clock, RedisOutages, type AppConfig } from '@app/config';
import { metrics } from '@app/observability';
import { AlertMessages } from './alert-message';
import { retryOrDeadLetter, startQueueWorker } from './queue-worker';

/**
 * Sends alert emails through the configured SMTP relay, at least once: a failure is retried with
 * exponential backoff, and after the last attempt the email goes to the dead-letter list. The
 * Message-ID comes from the delivery id, so a repeat after a crash is recognisable. Runs only when
 * SMTP_URL is set.
 */
@Injectable()
export class EmailDeliveryProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EmailDelivery');
  private worker: Worker<EmailJob> | null = null;
  private sender: SmtpSender | null = null;

  constructor(
    @Inject(ContactStore) private readonly contacts: ContactStore,
    @Inject(AlertMessages) private readonly messages: AlertMessages,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DatabaseAvailability) private readonly database: DatabaseAvailability,
    @Inject(RedisOutages) private readonly redisOutages: RedisOutages,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.smtp) return;
    this.sender = new SmtpSender(this.config.smtp);
    this.worker = startQueueWorker<EmailJob>(
      EMAIL_DELIVERIES_QUEUE,
      'email',
      (job) => this.process(job),
      { config: this.config, logger: this.logger, database: this.database, redis: this.redisOutages },
      8,
    );
  }

  async process(job: Job<EmailJob>): Promise<string> {
    const d = job.data;
    const message = await this.messages.of(d);
    try {
      const { messageId } = await (this.sender as SmtpSender).send([d.to], message);
      metrics.alertsDelivered.inc({ channel: 'email' });
      return `sent: ${messageId}`;
    } catch (error) {
      return retryOrDeadLetter(job, error, true, async (attempts, lastError) => {
        await this.contacts.deadLetter({
          deliveryId: d.deliveryId,
          organisation: d.organisation,
          recipient: d.to,
          caseId: d.caseId,
          alert: d.alert,
          round: d.round,
          attempts,
          lastError,
          failedAt: this.clock.now().toISOString(),
        });
        metrics.alertsDeadLettered.inc({ channel: 'email' });
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    this.sender?.close();
  }
}
