import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { ContactStore, EMAIL_DELIVERIES_QUEUE, SmtpSender, type EmailJob } from '@app/alerts';
import { alertView } from '@app/cases';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { AlertReadModel, LivePolicyRegistry } from '@app/persistence';
import { alertMessage } from './alert-message';
import { lockOptions, redisConnectionOptions } from './redis-connection';

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
    @Inject(AlertReadModel) private readonly alerts: AlertReadModel,
    @Inject(LivePolicyRegistry) private readonly policies: LivePolicyRegistry,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.smtp) return;
    this.sender = new SmtpSender(this.config.smtp);
    this.worker = new Worker<EmailJob>(EMAIL_DELIVERIES_QUEUE, (job) => this.process(job), {
      connection: redisConnectionOptions(this.config.redisUrl, 'pathway-worker-email'),
      ...lockOptions(this.config.worker.lockDurationMs),
      concurrency: 8,
    });
    this.worker.on('failed', (job, error) => this.logger.warn(`email ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`));
    this.worker.on('error', (error) => this.logger.warn(`email worker: ${error.message}`));
  }

  async process(job: Job<EmailJob>): Promise<string> {
    const d = job.data;
    const record = await this.alerts.find(d.caseId, d.alert);
    if (!record) throw new Error(`alert ${d.alert} of case ${d.caseId} is not in the read model`);
    const message = alertMessage(alertView(record, this.policies), d.round, d.deliveryId, this.config.publicBaseUrl);
    try {
      const { messageId } = await (this.sender as SmtpSender).send([d.to], message);
      return `sent: ${messageId}`;
    } catch (error) {
      const attempts = job.attemptsMade + 1;
      if (attempts < (job.opts.attempts ?? 1)) throw error;
      await this.contacts.deadLetter({
        deliveryId: d.deliveryId, organisation: d.organisation, recipient: d.to, caseId: d.caseId, alert: d.alert, round: d.round, attempts,
        lastError: error instanceof Error ? error.message : String(error), failedAt: this.clock.now().toISOString(),
      });
      throw new UnrecoverableError(`dead-lettered after ${attempts} attempt(s): ${error instanceof Error ? error.message : error}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    this.sender?.close();
  }
}
