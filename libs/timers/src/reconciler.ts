import type { DataSource } from 'typeorm';
import { deadlineJobId, type ScheduledTimer } from './deadline-jobs';
import type { TimerScheduler } from './timer-scheduler';

export interface ReconcileReport {
  /** Pending timers due within the horizon. */
  pending: number;
  /** Timers that had no job and were scheduled again. */
  restored: number;
  /** Of those, how many were already due (they fire at once). */
  overdue: number;
  ms: number;
}

/**
 * Timers read per round trip, unless the caller says otherwise. A page is parsed and checked in one
 * turn of the worker's event loop, which firings share: 5,000 held it for 20–30 ms a page, and the
 * firings due meanwhile were that much late.
 */
const PAGE = 1_000;

/** Before every timer in (fire_at, case_id, timer) order: where the first page starts. */
const START = { at: '-infinity', caseId: '00000000-0000-0000-0000-000000000000', timer: '' };

/**
 * Rebuilds the pending timers in Redis from PostgreSQL: for each row of pending_timers due within
 * the horizon whose job is missing (lost in a crash between commit and relay, a Redis restart
 * without AOF, a FLUSHALL; or a timer just coming within the horizon), schedules it; an overdue
 * one fires at once. Safe to run from several workers at a time: a job id already there is left as
 * it is.
 *
 * Pages go in (fire_at, case_id, timer) order along the index in that order (pending_timers_due),
 * each starting after the last row of the one before (keyset): a page reads its own rows, and the
 * horizon ends the scan. The position keeps fire_at to the microsecond, as text: a JavaScript Date
 * keeps milliseconds, and a boundary between two timers of the same millisecond would read one again.
 * A timer written during a pass behind its position waits for the next pass (its own outbox message
 * schedules it meanwhile).
 */
export class Reconciler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly scheduler: TimerScheduler,
    private readonly now: () => Date,
    /** Timers due within this much of now belong in Redis (TIMER_HORIZON_MS). */
    private readonly horizonMs: number,
    /** Timers per page (tests make it small to cross page boundaries). */
    private readonly pageSize = PAGE,
  ) {}

  async reconcile(): Promise<ReconcileReport> {
    const started = performance.now();
    const report: ReconcileReport = { pending: 0, restored: 0, overdue: 0, ms: 0 };
    const horizon = new Date(this.now().getTime() + this.horizonMs);
    let after = START;
    for (;;) {
      const rows: { case_id: string; timer: string; fire_at: Date; position: string }[] = await this.dataSource.query(
        `SELECT case_id, timer, fire_at, to_char(fire_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS position
         FROM pending_timers
         WHERE fire_at <= $1 AND (fire_at, case_id, timer) > ($2::timestamptz, $3::uuid, $4::text)
         ORDER BY fire_at, case_id, timer LIMIT $5`,
        [horizon, after.at, after.caseId, after.timer, this.pageSize],
      );
      if (rows.length === 0) break;
      report.pending += rows.length;
      const timers: ScheduledTimer[] = rows.map((r) => ({
        jobId: deadlineJobId(r.case_id, r.timer),
        caseId: r.case_id,
        timer: r.timer,
        fireAt: r.fire_at.toISOString(),
      }));
      const missing = new Set(await this.scheduler.missing(timers.map((t) => t.jobId)));
      const restore = timers.filter((t) => missing.has(t.jobId));
      if (restore.length) {
        await this.scheduler.schedule(restore);
        report.restored += restore.length;
        const now = this.now().getTime();
        report.overdue += restore.filter((t) => Date.parse(t.fireAt) <= now).length;
      }
      if (rows.length < this.pageSize) break;
      const last = rows[rows.length - 1];
      after = { at: last.position, caseId: last.case_id, timer: last.timer };
    }
    report.ms = Math.round(performance.now() - started);
    return report;
  }
}
