import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DatabaseAvailability, poolOf } from '@app/persistence';
import { Queue } from 'bullmq';
import { ALERT_TOPIC, deliveryJobOptions, type AlertOp } from '@app/alerts';
import { metrics } from '@app/observability';
import { TIMER_TOPIC, type ScheduledTimer, type TimerOp, type TimerScheduler } from '@app/timers';
import { AlertDeliveryProcessor } from './alert-delivery.processor';
import { ALERT_DELIVERIES, TIMER_SCHEDULER } from './worker.tokens';

const BATCH = 1_000;
/** At most this often, however often NOTIFY wakes it: a busy API notifies many times a second. */
const MIN_GAP_MS = 50;
/** Waits before LISTEN is tried again after its connection was lost: doubling from the first to the last. */
const LISTEN_BACKOFF = { firstMs: 250, maxMs: 5_000 };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Moves outbox rows on: timers to the deadlines queue, alerts delivered at once (to the
 * alert-deliveries queue when that fails). Rows are locked with SKIP LOCKED (several workers share the work)
 * and deleted in the same transaction after Redis accepted them; a crash in between leaves them
 * to be relayed again, which the deterministic job ids make harmless. NOTIFY wakes the relay;
 * it also polls at least every second.
 *
 * Through a PostgreSQL outage it keeps running: a transaction whose connection dies gives the
 * connection back to the pool with the error (the pool discards it), the loop waits with backoff
 * (the outage is logged once, by DatabaseAvailability), and the LISTEN connection is opened again,
 * with backoff, after any loss; the dead one is released, never kept.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private running = false;
  private listener: PoolClient | null = null;
  private wake: (() => void) | null = null;
  /** Ends the wait between LISTEN attempts (at shutdown). */
  private wakeListen: (() => void) | null = null;
  /** A NOTIFY came since the last poll started: the next sleep returns at once. */
  private notified = false;
  private loop: Promise<void> | null = null;
  private listening: Promise<void> | null = null;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DatabaseAvailability) private readonly availability: DatabaseAvailability,
    @Inject(TIMER_SCHEDULER) private readonly scheduler: TimerScheduler,
    @Inject(ALERT_DELIVERIES) private readonly alertQueue: Queue<AlertOp>,
    @Inject(AlertDeliveryProcessor) private readonly delivery: AlertDeliveryProcessor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get pool(): Pool {
    return poolOf(this.dataSource);
  }

  /** Whether a connection is LISTENing for the outbox's NOTIFY now. */
  get isListening(): boolean {
    return this.listener !== null;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.running = true;
    const first = await this.listenOnce();
    this.listening = this.keepListening(first);
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    this.wakeListen?.();
    // Ends the connection: its 'end' ends keepListening, which releases it.
    this.listener?.release(true);
    this.listener = null;
    await Promise.all([this.loop, this.listening]);
  }

  /** Relays one batch; returns how many rows it moved. */
  async relayOnce(): Promise<number> {
    this.notified = false;
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      return await this.relayBatch(client);
    } catch (error) {
      // A connection that died (or cannot roll back) goes back with the error: the pool discards it.
      const rolledBack = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      if (!rolledBack) broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private async relayBatch(client: PoolClient): Promise<number> {
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
    if (this.config.worker.testRelayHoldMs) await new Promise((r) => setTimeout(r, this.config.worker.testRelayHoldMs));
    // Relayed rows are deleted: nothing reads them, and the events keep the history.
    await client.query(`DELETE FROM outbox WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
    await client.query('COMMIT');
    countRelayed(rows, (performance.now() - lockedAt) / 1000);
    return rows.length;
  }

  /**
   * Delivers the batch's alerts at once (AlertDeliveryProcessor.deliverAll); those it cannot deliver
   * now, or all of them if delivering failed, go to the alert-deliveries queue to be retried. The rows
   * are deleted only after one or the other: at least once.
   */
  private async publishAlerts(ops: AlertOp[]): Promise<void> {
    if (ops.length === 0) return;
    const undelivered = await this.delivery.deliverAll(ops).catch((error: unknown) => {
      if (!this.availability.failed(error)) this.logger.warn(`alerts queued to be retried: ${messageOf(error)}`);
      return ops;
    });
    if (undelivered.length === 0) return;
    await this.alertQueue.addBulk(
      undelivered.map((op) => ({
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
        this.availability.succeeded();
        if (moved === BATCH) continue;
      } catch (error) {
        failures++;
        // An unreachable PostgreSQL is logged once per outage by the availability, not per attempt.
        if (!this.availability.failed(error) && (failures === 1 || failures % 20 === 0))
          this.logger.warn(`relay failed (${failures} in a row), retrying: ${messageOf(error)}`);
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

  /**
   * Opens a connection that LISTENs for the outbox's NOTIFY. Returns the promise of its loss (it
   * ended or failed; the connection is then released with the error, so the pool discards it), or
   * null when it could not be opened.
   */
  private async listenOnce(): Promise<{ lost: Promise<void> } | null> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      if (!this.availability.failed(error)) this.logger.warn(`cannot LISTEN (polling only): ${messageOf(error)}`);
      return null;
    }
    let dead: Error | null = null;
    let resolveGone!: (error: Error) => void;
    const gone = new Promise<Error>((resolve) => (resolveGone = resolve));
    const lost = (error: Error) => {
      dead ??= error;
      resolveGone(error);
    };
    const onError = (error: Error) => lost(error);
    const onEnd = () => lost(new Error('Connection ended'));
    client.on('error', onError);
    client.on('end', onEnd);
    client.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    try {
      await client.query('LISTEN pathway_outbox');
    } catch (error) {
      lost(error instanceof Error ? error : new Error(String(error)));
    }
    const failure = dead as Error | null;
    if (failure || !this.running) {
      this.release(client, failure ?? new Error('shutting down'), onError, onEnd);
      if (failure && !this.availability.failed(failure))
        this.logger.warn(`cannot LISTEN (polling only): ${failure.message}`);
      return null;
    }
    this.listener = client;
    return {
      lost: gone.then((error) => {
        if (this.listener === client) this.listener = null;
        this.release(client, error, onError, onEnd);
        if (this.running && !this.availability.failed(error))
          this.logger.warn(`lost the LISTEN connection (polling until it is back): ${error.message}`);
      }),
    };
  }

  /** Gives a LISTEN connection back for good: the pool ends it and forgets it. */
  private release(client: PoolClient, error: Error, onError: (e: Error) => void, onEnd: () => void): void {
    client.removeListener('error', onError);
    client.removeListener('end', onEnd);
    client.removeAllListeners('notification');
    try {
      client.release(error);
    } catch {
      // already released (at shutdown)
    }
  }

  /**
   * Keeps a LISTEN connection open for as long as the relay runs: after any loss (an outage of any
   * length, a restart of PostgreSQL, a killed backend) it is opened again, waiting 250 ms, then
   * doubling up to 5 s between attempts; the wait starts over once LISTEN holds again.
   */
  private async keepListening(first: { lost: Promise<void> } | null): Promise<void> {
    let current = first;
    let backoffMs = LISTEN_BACKOFF.firstMs;
    while (this.running) {
      if (current) {
        await current.lost;
        backoffMs = LISTEN_BACKOFF.firstMs;
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoffMs);
        this.wakeListen = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeListen = null;
      if (!this.running) break;
      current = await this.listenOnce();
      if (!current) backoffMs = Math.min(LISTEN_BACKOFF.maxMs, backoffMs * 2);
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
