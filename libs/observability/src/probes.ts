import { Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { ALERT_DELIVERIES_QUEUE, EMAIL_DELIVERIES_QUEUE, WEBHOOK_DELIVERIES_QUEUE } from '@app/alerts';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { DEADLINES_QUEUE, evictionPolicy } from '@app/timers';
import { metrics } from './metrics';
import { PROBE_TIMEOUT_MS, registerProbe } from './scrape';

/** The queues whose job counts a scrape reports. */
const QUEUES = [DEADLINES_QUEUE, ALERT_DELIVERIES_QUEUE, WEBHOOK_DELIVERIES_QUEUE, EMAIL_DELIVERIES_QUEUE];
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/**
 * The gauges computed at scrape: outbox backlog and age, pending timers, queue counts, the
 * PostgreSQL pool and Redis's eviction policy. On a Redis connection of their own that fails fast,
 * so that a scrape while Redis is away reports what PostgreSQL knows, and the other way round.
 */
@Injectable()
export class MetricsProbes implements OnModuleInit, OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly queues: Queue[];
  private unregister: (() => void)[] = [];

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.redis = new Redis(config.redisUrl, {
      connectionName: 'pathway-metrics',
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: PROBE_TIMEOUT_MS,
      commandTimeout: PROBE_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(2_000, 50 * attempt),
      // BullMQ checks Redis's version as the queues start: let it wait for the connection.
      enableReadyCheck: true,
    }).on('error', () => undefined); // A scrape reports the outage (pathway_scrape_probe_up); the client reconnects.
    this.queues = QUEUES.map((name) => new Queue(name, { connection: this.redis }));
    for (const queue of this.queues) queue.on('error', () => undefined);
  }

  onModuleInit(): void {
    const { outboxRows, outboxOldestAge, queueJobs, pgPool, redisNoEviction } = metrics;
    this.unregister = [
      registerProbe('outbox', [outboxRows, outboxOldestAge], () => this.outbox()),
      registerProbe('timers_beyond_horizon', [], () => this.beyondHorizon()),
      registerProbe('queues', [queueJobs], () => this.queueCounts()),
      registerProbe('redis_policy', [redisNoEviction], () => this.redisPolicy()),
      registerProbe('pg_pool', [pgPool], () => this.pool()),
    ];
  }

  onApplicationShutdown(): void {
    for (const unregister of this.unregister) unregister();
    // The queues only read counts on this one connection: dropping it ends them, and nothing waits
    // on a Redis that may be away (a shutdown must not hang on the metrics).
    this.redis.disconnect();
    for (const queue of this.queues) void queue.close().catch(() => undefined);
  }

  private async outbox(): Promise<void> {
    const [row] = await this.dataSource.query<{ rows: number; age: number }[]>(
      `SELECT count(*)::int AS rows, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS age FROM outbox`,
    );
    metrics.outboxRows.set(row.rows);
    metrics.outboxOldestAge.set(Math.max(0, row.age));
  }

  private async beyondHorizon(): Promise<void> {
    const horizon = new Date(this.clock.now().getTime() + this.config.timerHorizonMs);
    try {
      const [row] = await this.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM pending_timers WHERE fire_at > $1`,
        [horizon],
      );
      metrics.timersPending.set({ store: 'postgres_beyond_horizon' }, row.n);
    } catch (error) {
      metrics.timersPending.remove({ store: 'postgres_beyond_horizon' });
      throw error;
    }
  }

  private async queueCounts(): Promise<void> {
    // A queue that does not answer leaves no series of its own, and the probe is reported down.
    const results = await Promise.allSettled(
      this.queues.map(async (queue) => ({ queue: queue.name, counts: await queue.getJobCounts(...QUEUE_STATES) })),
    );
    let failed = false;
    for (const [i, result] of results.entries()) {
      const queue = this.queues[i].name;
      if (result.status === 'rejected') {
        failed = true;
        for (const state of QUEUE_STATES) metrics.queueJobs.remove({ queue, state });
        if (queue === DEADLINES_QUEUE) metrics.timersPending.remove({ store: 'redis' });
        continue;
      }
      for (const state of QUEUE_STATES) metrics.queueJobs.set({ queue, state }, result.value.counts[state] ?? 0);
      if (queue === DEADLINES_QUEUE) metrics.timersPending.set({ store: 'redis' }, result.value.counts.delayed ?? 0);
    }
    if (failed) throw new Error('a queue did not answer');
  }

  private async redisPolicy(): Promise<void> {
    const policy = await evictionPolicy(this.redis);
    metrics.redisNoEviction.set(policy === 'noeviction' ? 1 : 0);
  }

  private async pool(): Promise<void> {
    const pool = (this.dataSource.driver as unknown as { master?: Pool }).master;
    if (!pool) throw new Error('no pool');
    metrics.pgPool.set({ state: 'total' }, pool.totalCount);
    metrics.pgPool.set({ state: 'idle' }, pool.idleCount);
    metrics.pgPool.set({ state: 'waiting' }, pool.waitingCount);
  }
}

/** The scrape-time probes, for an app that serves /metrics. */
@Module({ imports: [PersistenceModule], providers: [MetricsProbes] })
export class MetricsModule {}
