import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { TIMER_TOPIC, type ScheduledTimer, type TimerOp, type TimerScheduler } from '@app/timers';
import { TIMER_SCHEDULER } from './worker.tokens';

const BATCH = 1_000;
/** Relayed rows are kept this long for inspection, then deleted. */
const KEEP_RELAYED_MS = 24 * 3600_000;

/**
 * Moves outbox rows to BullMQ. Rows are locked with SKIP LOCKED (several workers share the work)
 * and marked relayed in the same transaction after Redis accepted them; a crash in between leaves
 * them to be relayed again, which the deterministic job ids make harmless. NOTIFY wakes the relay;
 * it also polls at least every second.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private running = false;
  private listener: PoolClient | null = null;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private lastCleanup = 0;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(TIMER_SCHEDULER) private readonly scheduler: TimerScheduler,
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
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string; payload: TimerOp }>(
        `SELECT id, payload FROM outbox WHERE relayed_at IS NULL AND topic = $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [TIMER_TOPIC, BATCH],
      );
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      await this.publish(rows.map((r) => r.payload));
      if (this.config.worker.testRelayHoldMs) await new Promise((r) => setTimeout(r, this.config.worker.testRelayHoldMs));
      await client.query(`UPDATE outbox SET relayed_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      await client.query('COMMIT');
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** In outbox order: consecutive schedules go as one bulk, a cancel waits for the schedules before it. */
  private async publish(ops: TimerOp[]): Promise<void> {
    let schedules: ScheduledTimer[] = [];
    const flush = async () => {
      await this.scheduler.schedule(schedules);
      schedules = [];
    };
    for (const op of ops) {
      if (op.op === 'schedule') schedules.push({ jobId: op.jobId, caseId: op.caseId, timer: op.timer, fireAt: op.fireAt });
      else {
        await flush();
        await this.scheduler.cancel([op.jobId]);
      }
    }
    await flush();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const moved = await this.relayOnce();
        failures = 0;
        await this.cleanup();
        if (moved === BATCH) continue;
      } catch (error) {
        failures++;
        if (failures === 1 || failures % 20 === 0) this.logger.warn(`relay failed (${failures} in a row), retrying: ${error instanceof Error ? error.message : error}`);
      }
      await this.sleep(failures ? Math.min(5_000, 100 * 2 ** failures) : this.config.worker.relayPollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
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
      this.listener.on('notification', () => this.wake?.());
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

  private async cleanup(): Promise<void> {
    if (Date.now() - this.lastCleanup < 60_000) return;
    this.lastCleanup = Date.now();
    await this.pool.query(`DELETE FROM outbox WHERE relayed_at < now() - make_interval(secs => $1)`, [KEEP_RELAYED_MS / 1000]);
  }
}
