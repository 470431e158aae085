import { Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, ConfigModule, type AppConfig } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { assertNoEviction } from './redis-policy';

export const WORKER_REDIS = Symbol('WORKER_REDIS');

/** The worker: PostgreSQL (migrated at start) and a Redis that never evicts. */
@Module({})
export class WorkerModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');

  constructor(@Inject(WORKER_REDIS) private readonly redis: Redis) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), PersistenceModule],
      providers: [
        {
          provide: WORKER_REDIS,
          inject: [APP_CONFIG],
          // Commands wait through a Redis restart instead of failing: the connection recovers by itself.
          useFactory: (c: AppConfig) => new Redis(c.redisUrl, { maxRetriesPerRequest: null, connectionName: 'pathway-worker' }),
        },
      ],
    };
  }

  async onModuleInit(): Promise<void> {
    await assertNoEviction(this.redis);
    this.logger.log('Redis checked: maxmemory-policy noeviction');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
