import { Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import Redis from 'ioredis';
import { AlertsModule } from '@app/alerts';
import { AuditModule } from '@app/audit';
import { AuthGuard, AuthModule } from '@app/auth';
import { CasesModule } from '@app/cases';
import { APP_CONFIG, ConfigModule, RedisOutages, type AppConfig } from '@app/config';
import { MetricsModule } from '@app/observability';
import { EvictionPolicyWatch } from '@app/timers';
import { QueueSessionController } from './admin/queue-session.controller';
import { AlertStream } from './alerts/alert-stream';
import { AlertsController } from './alerts/alerts.controller';
import { AuditController } from './audit/audit.controller';
import { WebhooksController } from './alerts/webhooks.controller';
import { CasesController } from './cases/cases.controller';
import { ReferralsController } from './cases/referrals.controller';
import { HEALTH_REDIS, HealthController } from './health/health.controller';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { RATE_LIMIT_REDIS, RateLimiter, SubjectRateLimitGuard } from './http/rate-limit';
import { MilestonesController } from './milestones/milestones.controller';
import { ContactsController } from './organisations/contacts.controller';
import { FacilitiesController } from './organisations/facilities.controller';
import { CaseloadsController, PeopleController } from './organisations/people.controller';
import { PeopleRecorder, RecordPersonGuard } from './organisations/people-recorder';
import { ReportsController } from './reports/reports.controller';
import { OrganisationsController } from './organisations/organisations.controller';
import { SignInController } from './sign-in/sign-in.controller';

/** A Redis connection that fails fast while Redis is away (no queue of waiting commands) and reconnects by itself. */
const failFastRedis = (url: string, connectionName: string, commandTimeout?: number) =>
  new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout,
    connectionName,
  });

@Module({})
export class ApiModule implements OnApplicationShutdown {
  constructor(
    @Inject(HEALTH_REDIS) private readonly redis: Redis,
    @Inject(RATE_LIMIT_REDIS) private readonly limitsRedis: Redis,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [ConfigModule.forRoot(config), CasesModule, AlertsModule, AuditModule, AuthModule, MetricsModule],
      controllers: [
        CasesController,
        ReferralsController,
        MilestonesController,
        AlertsController,
        WebhooksController,
        OrganisationsController,
        ContactsController,
        PeopleController,
        CaseloadsController,
        FacilitiesController,
        ReportsController,
        AuditController,
        SignInController,
        HealthController,
        QueueSessionController,
      ],
      providers: [
        { provide: APP_GUARD, useExisting: AuthGuard },
        // After AuthGuard: it counts the principal AuthGuard verified.
        { provide: APP_GUARD, useClass: SubjectRateLimitGuard },
        // After AuthGuard: records the person it verified in her organisations' directory of people.
        { provide: APP_GUARD, useClass: RecordPersonGuard },
        PeopleRecorder,
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        AlertStream,
        // Redis lost and back: one line each for the process, however many connections notice.
        { provide: RedisOutages, useFactory: () => new RedisOutages() },
        {
          provide: HEALTH_REDIS,
          inject: [APP_CONFIG, RedisOutages],
          // Health says at once that Redis is away.
          useFactory: (c: AppConfig, outages: RedisOutages) =>
            outages.watch(failFastRedis(c.redisUrl, 'pathway-api-health')),
        },
        {
          // The eviction policy, checked every minute and on every reconnect; readiness shows a wrong one.
          provide: EvictionPolicyWatch,
          inject: [HEALTH_REDIS],
          useFactory: (redis: Redis) => new EvictionPolicyWatch(redis, new Logger('Redis')).start(),
        },
        {
          provide: RATE_LIMIT_REDIS,
          inject: [APP_CONFIG],
          // A request never waits long for its count: without an answer it is let through. The
          // limiter logs an outage once; the connection's own errors would repeat it at every retry.
          useFactory: (c: AppConfig) =>
            failFastRedis(c.redisUrl, 'pathway-api-limits', 500).on('error', () => undefined),
        },
        RateLimiter,
      ],
    };
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
    this.limitsRedis.disconnect();
  }
}
