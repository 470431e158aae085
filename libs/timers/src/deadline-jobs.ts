import { timerChanges, type Timer } from '@app/pathway';
import type { OutboxMessage } from '@app/persistence';

/** The BullMQ queue of delayed jobs that wake the engine when a deadline or ladder step falls due. */
export const DEADLINES_QUEUE = 'deadlines';

/** The outbox topic the relay moves to the deadlines queue. */
export const TIMER_TOPIC = 'deadlines';

/** What a deadline job carries: which case and which of its timers. */
export interface DeadlineJobData {
  caseId: string;
  timer: string;
  fireAt: string;
  /**
   * The correlation id of the command that scheduled it, which its firing's events carry too
   * (absent on jobs queued before it was kept, and on timers the reconciler restores).
   */
  correlationId?: string;
}

/** A timer to schedule, as the outbox, the relay and the reconciler pass it on. */
export interface ScheduledTimer extends DeadlineJobData {
  jobId: string;
}

export type TimerOp =
  ({ op: 'schedule' } & ScheduledTimer) | { op: 'cancel'; jobId: string; caseId: string; timer: string };

/**
 * The job id of a case's timer: deterministic, so that publishing twice schedules once; never all
 * digits and free of ':' (BullMQ's rules). The timer id carries its schedule's generation.
 */
export function deadlineJobId(caseId: string, timer: string): string {
  return `t.${caseId}.${timer}`;
}

/**
 * The outbox messages for a case whose pending timers went from `before` to `after`: schedule the
 * new ones and cancel the ones gone, but only those due by `horizon` (epoch ms). A later timer is
 * in PostgreSQL only; the reconciler moves it to Redis when it comes within the horizon, and one
 * beyond it was never in Redis, so there is nothing to cancel. Nor is the timer being fired
 * (`firing`): its own job is the one running, removed from Redis when it completes, and a cancel
 * would cost two outbox writes and a relay round trip per firing to remove nothing. A schedule
 * carries the correlation id of the command that led to it.
 */
export function timerOutboxMessages(
  caseId: string,
  before: readonly Timer[],
  after: readonly Timer[],
  horizon: number,
  { correlationId, firing }: { correlationId?: string; firing?: string } = {},
): OutboxMessage[] {
  const correlation = correlationId === undefined ? {} : { correlationId };
  const near = (t: Timer) => Date.parse(t.fireAt) <= horizon;
  const { schedule, cancel } = timerChanges(before, after);
  return [
    ...cancel
      .filter((t) => near(t) && t.id !== firing)
      .map((t): OutboxMessage => {
        const jobId = deadlineJobId(caseId, t.id);
        return {
          topic: TIMER_TOPIC,
          key: `cancel.${jobId}`,
          payload: { op: 'cancel', jobId, caseId, timer: t.id } satisfies TimerOp,
        };
      }),
    ...schedule.filter(near).map((t): OutboxMessage => {
      const jobId = deadlineJobId(caseId, t.id);
      return {
        topic: TIMER_TOPIC,
        key: `schedule.${jobId}`,
        payload: { op: 'schedule', jobId, caseId, timer: t.id, fireAt: t.fireAt, ...correlation } satisfies TimerOp,
      };
    }),
  ];
}
