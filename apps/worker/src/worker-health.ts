import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { probe } from '@app/config';
import { poolUse } from '@app/persistence';
import { EvictionPolicyWatch } from '@app/timers';
import { OutboxRelay } from './outbox-relay';
import { WorkerHttpServer, type WorkerHttpAnswer } from './worker-http.server';
import { WORKER_REDIS } from './worker.tokens';

const json = (status: number, body: unknown): WorkerHttpAnswer => ({ status, body: JSON.stringify(body) });

/**
 * The worker's health on its HTTP server (WORKER_PORT): `/health/live` answers 200 while the
 * process serves (nothing else checked: a restart would not help a dependency that is down);
 * `/health/ready` answers 200 only when the worker can do its work: PostgreSQL and Redis answer and
 * Redis's eviction policy is noeviction, else 503. The body shows each, the pool's connections and
 * whether the relay LISTENs. The eviction policy is checked again every minute and on every Redis
 * reconnect (EvictionPolicyWatch), loudly.
 */
@Injectable()
export class WorkerHealth implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly policy: EvictionPolicyWatch;

  constructor(
    @Inject(WorkerHttpServer) private readonly http: WorkerHttpServer,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(WORKER_REDIS) private readonly redis: Redis,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
  ) {
    this.policy = new EvictionPolicyWatch(redis, new Logger('Redis'));
  }

  onModuleInit(): void {
    this.http.route('/health/live', () => json(200, { status: 'ok' }));
    this.http.route('/health/ready', () => this.ready());
  }

  onApplicationBootstrap(): void {
    this.policy.start();
  }

  onApplicationShutdown(): void {
    this.policy.stop();
  }

  async ready(): Promise<WorkerHttpAnswer> {
    const [postgres, redis] = await Promise.all([
      probe(() => this.dataSource.query('SELECT 1')),
      probe(() => this.redis.ping()),
    ]);
    const policyOk = this.policy.problem === null;
    const ok = postgres.status === 'up' && redis.status === 'up' && policyOk;
    return json(ok ? 200 : 503, {
      status: ok ? 'ok' : 'unavailable',
      postgres: { ...postgres, pool: poolUse(this.dataSource) },
      redis: {
        ...redis,
        ...(this.policy.policy && { evictionPolicy: this.policy.policy }),
        ...(!policyOk && { status: 'misconfigured', problem: this.policy.problem }),
      },
      relay: { listening: this.relay.isListening },
    });
  }
}
