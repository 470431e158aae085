import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import Redis from 'ioredis';
import { AlertsModule } from '@app/alerts';
import { AuditModule } from '@app/audit';
import { AuthGuard, AuthModule } from '@app/auth';
import { CasesModule } from '@app/cases';
import { APP_CONFIG, ConfigModule, type AppConfig } from '@app/config';
import { AlertStream } from './alerts/alert-stream';
import { AlertsController } from './alerts/alerts.controller';
import { AuditController } from './audit/audit.controller';
import { WebhooksController } from './alerts/webhooks.controller';
import { CasesController } from './cases/cases.controller';
import { ReferralsController } from './cases/referrals.controller';
import { HEALTH_REDIS, HealthController } from './health/health.controller';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { MilestonesController } from './milestones/milestones.controller';
import { ContactsController } from './organisations/contacts.controller';
import { ReportsController } from './reports/reports.controller';
import { OrganisationsController } from './organisations/organisations.controller';
import { SignInController } from './sign-in/sign-in.controller';

@Module({})
export class ApiModule implements OnApplicationShutdown {
  constructor(@Inject(HEALTH_REDIS) private readonly redis: Redis) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [ConfigModule.forRoot(config), CasesModule, AlertsModule, AuditModule, AuthModule],
      controllers: [
        CasesController,
        ReferralsController,
        MilestonesController,
        AlertsController,
        WebhooksController,
        OrganisationsController,
        ContactsController,
        ReportsController,
        AuditController,
        SignInController,
        HealthController,
      ],
      providers: [
        { provide: APP_GUARD, useExisting: AuthGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        AlertStream,
        {
          provide: HEALTH_REDIS,
          inject: [APP_CONFIG],
          // Fails fast while Redis is away (health says so at once) and reconnects by itself.
          useFactory: (c: AppConfig) =>
            new Redis(c.redisUrl, {
              enableOfflineQueue: false,
              maxRetriesPerRequest: 1,
              connectTimeout: 2_000,
              connectionName: 'pathway-api-health',
            }),
        },
      ],
    };
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
