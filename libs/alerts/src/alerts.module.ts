import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { DataSource } from 'typeorm';
import { ContactStore } from './contacts/contact-store';
import { SecretBox } from './webhooks/secret-box';
import { WebhookStore } from './webhooks/webhook-store';

/** Webhook subscriptions, organisation contacts and the dead-letter lists, for the API (registration) and the worker (delivery). */
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
  ],
  exports: [WebhookStore, ContactStore],
})
export class AlertsModule {}
