import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { DataSource } from 'typeorm';
import { SecretBox } from './webhooks/secret-box';
import { WebhookStore } from './webhooks/webhook-store';

/** The webhook subscriptions and dead-letter list, for the API (registration) and the worker (delivery). */
@Module({
  imports: [PersistenceModule],
  providers: [
    { provide: SecretBox, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new SecretBox(c.cprKey) },
    { provide: WebhookStore, inject: [DataSource, SecretBox], useFactory: (ds: DataSource, box: SecretBox) => new WebhookStore(ds, box) },
  ],
  exports: [WebhookStore],
})
export class AlertsModule {}
