import { deadlineJobId, timerOutboxMessages, type TimerOp } from './deadline-jobs';

const CASE = '6f1c1f0e-5b8a-4d0e-9a43-2f8f0c1d2e3f';
const NOW = Date.parse('2026-11-23T09:00:00.000Z');
const timer = (id: string, minutes: number) => ({
  id,
  kind: 'ladder' as const,
  fireAt: new Date(NOW + minutes * 60_000).toISOString(),
});
const ops = (messages: { payload: unknown }[]) =>
  messages.map((m) => m.payload as TimerOp).map((p) => `${p.op} ${p.timer}`);

describe('timer outbox messages', () => {
  it('schedules new timers and cancels gone ones, keyed by deterministic job ids', () => {
    const messages = timerOutboxMessages(
      CASE,
      [timer('a.warning.g1', 5), timer('b.breach.g1', 6)],
      [timer('b.breach.g1', 6), timer('a.warning.g2', 7)],
      NOW + 600_000,
    );
    expect(ops(messages)).toEqual(['cancel a.warning.g1', 'schedule a.warning.g2']);
    expect(messages.map((m) => m.key)).toEqual([
      `cancel.${deadlineJobId(CASE, 'a.warning.g1')}`,
      `schedule.${deadlineJobId(CASE, 'a.warning.g2')}`,
    ]);
    expect(messages[1].payload).toEqual({
      op: 'schedule',
      jobId: `t.${CASE}.a.warning.g2`,
      caseId: CASE,
      timer: 'a.warning.g2',
      fireAt: timer('x', 7).fireAt,
    });
  });

  it('leaves timers beyond the horizon to the reconciler: no schedule, and no cancel of what was never in Redis', () => {
    const horizon = NOW + 10 * 60_000;
    const messages = timerOutboxMessages(
      CASE,
      [timer('far.warning.g1', 60), timer('near.warning.g1', 2)],
      [timer('far.warning.g2', 90), timer('soon.breach.g1', 9)],
      horizon,
    );
    expect(ops(messages)).toEqual(['cancel near.warning.g1', 'schedule soon.breach.g1']);
  });

  it('gives a schedule the correlation id of the command that led to it', () => {
    const messages = timerOutboxMessages(CASE, [timer('a.warning.g1', 5)], [timer('a.warning.g2', 7)], NOW + 600_000, {
      correlationId: 'req-1',
    });
    expect(messages.map((m) => m.payload)).toEqual([
      { op: 'cancel', jobId: `t.${CASE}.a.warning.g1`, caseId: CASE, timer: 'a.warning.g1' },
      {
        op: 'schedule',
        jobId: `t.${CASE}.a.warning.g2`,
        caseId: CASE,
        timer: 'a.warning.g2',
        fireAt: timer('x', 7).fireAt,
        correlationId: 'req-1',
      },
    ]);
  });

  it('does not cancel the timer being fired: its own job is running, and is removed when it completes', () => {
    const messages = timerOutboxMessages(
      CASE,
      [timer('a.warning.g1', -1), timer('b.warning.g1', 5)],
      [timer('a.breach.g1', 9)],
      NOW + 600_000,
      { firing: 'a.warning.g1' },
    );
    expect(ops(messages)).toEqual(['cancel b.warning.g1', 'schedule a.breach.g1']);
  });

  it('never gives an all-digit job id or one with a colon', () => {
    const id = deadlineJobId(CASE, 'clinic-first-visit-1.warning.g1');
    expect(id).not.toMatch(/^\d+$/);
    expect(id).not.toContain(':');
  });
});
