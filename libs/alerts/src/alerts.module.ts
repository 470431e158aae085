import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { DataSource } from 'typeorm';
import { ContactStore } from './contacts/contact-store';
import { SecretBox } from './webhooks/secret-box';
import { WebhookStore } from './webhooks/webhook-store';
import { WebhookTargetGuard } from './webhooks/webhook-target-guard';

/**
 * Webhook subscriptions, organisation contacts and the dead-letter lists, for the API (registration)
 * and the worker (delivery); the guard both check webhook hosts with (WEBHOOK_ALLOWED_HOSTS).
 */
@Module({
  imports: [PersistenceModule],
  providers: [
    { provide: SecretBox, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new SecretBox(c.cprKeys) },
    {
      provide: WebhookStore,
      inject: [DataSource, SecretBox],
      useFactory: (ds: DataSource, box: SecretBox) => new WebhookStore(ds, box),
    },
    { provide: ContactStore, inject: [DataSource], useFactory: (ds: DataSource) => new ContactStore(ds) },
    {
      provide: WebhookTargetGuard,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => new WebhookTargetGuard(c.webhookAllowedHosts),
    },
  ],
  exports: [WebhookStore, ContactStore, WebhookTargetGuard],
})
export class AlertsModule {}
