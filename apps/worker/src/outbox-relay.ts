import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Queue } from 'bullmq';
import { ALERT_TOPIC, deliveryJobOptions, type AlertOp } from '@app/alerts';
import { metrics } from '@app/observability';
import { TIMER_TOPIC, type ScheduledTimer, type TimerOp, type TimerScheduler } from '@app/timers';
import { ALERT_DELIVERIES, TIMER_SCHEDULER } from './worker.tokens';

const BATCH = 1_000;
/** At most this often, however often NOTIFY wakes it: a busy API notifies many times a second. */
const MIN_GAP_MS = 50;

/**
 * Moves outbox rows to BullMQ: timers to the deadlines queue, alerts to the alert-deliveries queue. Rows are locked with SKIP LOCKED (several workers share the work)
 * and deleted in the same transaction after Redis accepted them; a crash in between leaves them
 * to be relayed again, which the deterministic job ids make harmless. NOTIFY wakes the relay;
 * it also polls at least every second.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private running = false;
  private listener: PoolClient | null = null;
  private wake: (() => void) | null = null;
  /** A NOTIFY came since the last poll started: the next sleep returns at once. */
  private notified = false;
  private loop: Promise<void> | null = null;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(TIMER_SCHEDULER) private readonly scheduler: TimerScheduler,
    @Inject(ALERT_DELIVERIES) private readonly alertQueue: Queue<AlertOp>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.running = true;
    await this.listen();
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.listener?.release(true);
  }

  /** Relays one batch; returns how many rows it moved. */
  async relayOnce(): Promise<number> {
    this.notified = false;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const lockedAt = performance.now();
      const { rows } = await client.query<{ id: string; topic: string; payload: unknown; age: number }>(
        `SELECT id, topic, payload, EXTRACT(EPOCH FROM clock_timestamp() - created_at)::float8 AS age
         FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH],
      );
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      await Promise.all([
        this.publish(rows.filter((r) => r.topic === TIMER_TOPIC).map((r) => r.payload as TimerOp)),
        this.publishAlerts(rows.filter((r) => r.topic === ALERT_TOPIC).map((r) => r.payload as AlertOp)),
      ]);
      const unknown = rows.find((r) => r.topic !== TIMER_TOPIC && r.topic !== ALERT_TOPIC);
      if (unknown) this.logger.warn(`outbox row ${unknown.id} has the unknown topic ${unknown.topic}: dropped`);
      if (this.config.worker.testRelayHoldMs)
        await new Promise((r) => setTimeout(r, this.config.worker.testRelayHoldMs));
      // Relayed rows are deleted: nothing reads them, and the events keep the history.
      await client.query(`DELETE FROM outbox WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      await client.query('COMMIT');
      countRelayed(rows, (performance.now() - lockedAt) / 1000);
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async publishAlerts(ops: AlertOp[]): Promise<void> {
    if (ops.length === 0) return;
    await this.alertQueue.addBulk(
      ops.map((op) => ({
        name: op.op,
        data: op,
        opts: deliveryJobOptions(op.jobId, 20, 500),
      })),
    );
  }

  /**
   * In outbox order, in runs: consecutive schedules go as one bulk, consecutive cancels together;
   * a run starts only when the one before it is done, so a cancel never overtakes its schedule.
   */
  private async publish(ops: TimerOp[]): Promise<void> {
    let run: TimerOp[] = [];
    const flush = async () => {
      if (run.length === 0) return;
      if (run[0].op === 'schedule')
        await this.scheduler.schedule(run.map((op) => op as ScheduledTimer & { op: 'schedule' }));
      else await this.scheduler.cancel(run.map((op) => op.jobId));
      run = [];
    };
    for (const op of ops) {
      if (run.length && run[0].op !== op.op) await flush();
      run.push(op);
    }
    await flush();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const moved = await this.relayOnce();
        failures = 0;
        if (moved === BATCH) continue;
      } catch (error) {
        failures++;
        if (failures === 1 || failures % 20 === 0)
          this.logger.warn(
            `relay failed (${failures} in a row), retrying: ${error instanceof Error ? error.message : error}`,
          );
      }
      await new Promise((r) => setTimeout(r, MIN_GAP_MS));
      await this.sleep(failures ? Math.min(5_000, 100 * 2 ** failures) : this.config.worker.relayPollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.notified) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async listen(): Promise<void> {
    try {
      this.listener = await this.pool.connect();
      this.listener.on('notification', () => {
        this.notified = true;
        this.wake?.();
      });
      this.listener.on('error', () => {
        // The connection is gone: polling carries on; try to listen again later.
        this.listener = null;
        setTimeout(() => this.running && void this.listen(), 1_000).unref();
      });
      await this.listener.query('LISTEN pathway_outbox');
    } catch (error) {
      this.logger.warn(`cannot LISTEN (polling only): ${error instanceof Error ? error.message : error}`);
    }
  }
}

/**
 * Relayed rows by topic, and each one's lag from its insert to its publish: its age when it was
 * locked (PostgreSQL's clock, which stamped it) plus the seconds the relay took since.
 */
function countRelayed(rows: readonly { topic: string; age: number }[], sinceLocked: number): void {
  for (const row of rows) {
    metrics.relayedRows.inc({ topic: row.topic });
    metrics.relayLag.observe(Math.max(0, row.age) + sinceLocked);
  }
}
