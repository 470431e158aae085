import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reconciler pages the timers due within its horizon in (fire_at, case_id, timer) order: one
 * index in that order lets each page start where the last ended and stop at the horizon, instead of
 * scanning the table in key order. It also serves every range on fire_at, so the fire_at index goes.
 */
export class PendingTimersByDueTime1763900000012 implements MigrationInterface {
  name = 'PendingTimersByDueTime1763900000012';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX pending_timers_due ON pending_timers (fire_at, case_id, timer)`);
    await q.query(`DROP INDEX pending_timers_fire_at`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX pending_timers_fire_at ON pending_timers (fire_at)`);
    await q.query(`DROP INDEX pending_timers_due`);
  }
}
