import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { metrics } from '@app/observability';
import { DatabaseAvailability, LivePolicyRegistry } from '@app/persistence';
import { Reconciler } from '@app/timers';
import { WORKER_REDIS } from './worker.tokens';

/** A key only the reconciler writes: when it is gone, Redis lost its data (FLUSHALL, restart without AOF). */
const SENTINEL = 'pathway:reconciler:sentinel';
/** A restarted Redis has a new run id: even with AOF it may have lost its last second of writes. */
const runIdOf = (info: string) => /^run_id:(\w+)/m.exec(info)?.[1] ?? null;
const SENTINEL_CHECK_MS = 1_000;

/**
 * Runs the reconciler at start, every RECONCILE_INTERVAL_MS, and at once when Redis lost its data:
 * a deadline whose job vanished fires late by at most the interval (about a second after a flush).
 * And whenever PostgreSQL is back after an outage: a job that gave up meanwhile, or whose firing
 * PostgreSQL lost in a crash (an acknowledged commit is lost where commits are asynchronous, or after
 * a failover), is restored at once rather than at the next interval.
 */
@Injectable()
export class ReconcilerRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reconciler');
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<void> | null = null;
  private runId: string | null = null;

  constructor(
    @Inject(Reconciler) private readonly reconciler: Reconciler,
    @Inject(WORKER_REDIS) private readonly redis: Redis,
    @Inject(LivePolicyRegistry) private readonly policies: LivePolicyRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DatabaseAvailability) private readonly database: DatabaseAvailability,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runOnce('start');
    this.database.onRecovery(() => void this.runOnce('database available again'));
    this.timers.push(setInterval(() => void this.runOnce('interval'), this.config.worker.reconcileIntervalMs));
    this.timers.push(setInterval(() => void this.checkSentinel(), SENTINEL_CHECK_MS));
  }

  async onApplicationShutdown(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.running;
  }

  /** One reconcile at a time per process; a request while one runs is dropped (the next tick covers it). */
  runOnce(reason: string): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        await this.redis.set(SENTINEL, new Date().toISOString());
        await this.policies.refresh();
        const report = await this.reconciler.reconcile();
        metrics.reconcilerRuns.inc({ outcome: 'ok' });
        metrics.reconcilerRestored.inc(report.restored);
        if (report.restored > 0 || reason !== 'interval') {
          this.logger.log(
            `${reason}: ${report.pending} pending timers, ${report.restored} restored (${report.overdue} overdue), ${report.ms} ms`,
          );
        }
        this.database.succeeded();
      } catch (error) {
        metrics.reconcilerRuns.inc({ outcome: 'failed' });
        // An unreachable PostgreSQL is logged once per outage (DatabaseAvailability); its return reconciles.
        if (!this.database.failed(error))
          this.logger.warn(`reconcile (${reason}) failed: ${error instanceof Error ? error.message : error}`);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async checkSentinel(): Promise<void> {
    try {
      if (this.running) return;
      const runId = runIdOf(await this.redis.info('server'));
      const restarted = this.runId !== null && runId !== this.runId;
      this.runId = runId;
      if (restarted) await this.runOnce('redis restarted');
      else if ((await this.redis.exists(SENTINEL)) === 0) await this.runOnce('redis lost its data');
    } catch {
      // Redis is away: the clients reconnect by themselves; the next check tries again.
    }
  }
}
