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

const PAGE = 5_000;

/**
 * Rebuilds the pending timers in Redis from PostgreSQL: for each row of pending_timers due within
 * the horizon whose job is missing (lost in a crash between commit and relay, a Redis restart
 * without AOF, a FLUSHALL; or a timer just coming within the horizon), schedules it; an overdue
 * one fires at once. Safe to run from several workers at a time.
 */
export class Reconciler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly scheduler: TimerScheduler,
    private readonly now: () => Date,
    /** Timers due within this much of now belong in Redis (TIMER_HORIZON_MS). */
    private readonly horizonMs: number,
  ) {}

  async reconcile(): Promise<ReconcileReport> {
    const started = performance.now();
    const report: ReconcileReport = { pending: 0, restored: 0, overdue: 0, ms: 0 };
    const horizon = new Date(this.now().getTime() + this.horizonMs);
    let after: [string, string] | null = null;
    for (;;) {
      const rows: { case_id: string; timer: string; fire_at: Date }[] = after
        ? await this.dataSource.query(
            `SELECT case_id, timer, fire_at FROM pending_timers WHERE fire_at <= $1 AND (case_id, timer) > ($2, $3) ORDER BY case_id, timer LIMIT $4`,
            [horizon, ...after, PAGE],
          )
        : await this.dataSource.query(
            `SELECT case_id, timer, fire_at FROM pending_timers WHERE fire_at <= $1 ORDER BY case_id, timer LIMIT $2`,
            [horizon, PAGE],
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
      const last = rows[rows.length - 1];
      after = [last.case_id, last.timer];
    }
    report.ms = Math.round(performance.now() - started);
    return report;
  }
}
