import type { Alert, CaseState, OpenCase } from '@app/pathway';
import { ALERT_TOPIC, alertOutboxMessages, type AlertOp } from './alert-outbox';

const CASE = '6f1c1f0e-5b8a-4d0e-9a43-2f8f0c1d2e3f';
const alert = (id: string, change: Partial<Alert> = {}): Alert => ({
  id,
  milestone: id.split('.')[0],
  rule: 'coordinator-assignment',
  step: id.split('.')[1],
  kind: 'breach',
  level: 0,
  severity: 'high',
  owner: 'municipality:851',
  dueAt: '2026-11-24T21:00:00.000Z',
  raisedAt: '2026-11-24T21:00:00.000Z',
  status: 'open',
  reach: 'duty-inbox',
  resends: 0,
  lastSentAt: '2026-11-24T21:00:00.000Z',
  acknowledged: null,
  resolvedAt: null,
  ...change,
});
/** Only what alertOutboxMessages reads of a case state. */
const state = (alerts: Alert[]) =>
  ({ status: 'open', id: CASE, alerts: Object.fromEntries(alerts.map((a) => [a.id, a])) }) as unknown as OpenCase;

describe('alertOutboxMessages', () => {
  it('delivers a new alert (round 0) and a re-send (round n), and announces a new status, with deterministic job ids', () => {
    const unchanged = alert('network-meeting-1.warning', { kind: 'warning', severity: 'info' });
    const resent = alert('coordinator-assignment-1.breach');
    const acked = alert('clinic-referral-1.breach');
    const before = state([unchanged, resent, acked]);
    const after = state([
      unchanged,
      { ...resent, resends: 1 },
      {
        ...acked,
        status: 'acknowledged',
        acknowledged: { by: 'mia', organisation: 'municipality:851', at: '2026-11-24T22:00:00.000Z', note: null },
      },
      alert('coordinator-assignment-1.escalation-1', { kind: 'escalation', level: 1, severity: 'critical' }),
    ]);
    const messages = alertOutboxMessages(before, after);
    expect(messages.map((m) => [m.topic, m.key, m.payload])).toEqual([
      [
        ALERT_TOPIC,
        `a.${CASE}.coordinator-assignment-1.breach.r1`,
        {
          op: 'deliver',
          caseId: CASE,
          alert: 'coordinator-assignment-1.breach',
          round: 1,
          jobId: `a.${CASE}.coordinator-assignment-1.breach.r1`,
        },
      ],
      [
        ALERT_TOPIC,
        `c.${CASE}.clinic-referral-1.breach.acknowledged`,
        {
          op: 'changed',
          caseId: CASE,
          alert: 'clinic-referral-1.breach',
          status: 'acknowledged',
          jobId: `c.${CASE}.clinic-referral-1.breach.acknowledged`,
        },
      ],
      [
        ALERT_TOPIC,
        `a.${CASE}.coordinator-assignment-1.escalation-1.r0`,
        {
          op: 'deliver',
          caseId: CASE,
          alert: 'coordinator-assignment-1.escalation-1',
          round: 0,
          jobId: `a.${CASE}.coordinator-assignment-1.escalation-1.r0`,
        },
      ],
    ]);
    for (const m of messages) expect(m.key).not.toMatch(/:/);
  });

  it('writes nothing when no alert changed, and delivers every alert of a case that had none', () => {
    const same = state([alert('coordinator-assignment-1.breach')]);
    expect(alertOutboxMessages(same, same)).toEqual([]);
    const none: CaseState = { status: 'none', version: 0 };
    expect(alertOutboxMessages(none, same).map((m) => m.key)).toEqual([`a.${CASE}.coordinator-assignment-1.breach.r0`]);
  });

  it('carries the correlation id of the command that raised or changed the alert, the same job ids', () => {
    const before = state([alert('clinic-referral-1.breach')]);
    const after = state([
      { ...alert('clinic-referral-1.breach'), status: 'resolved' },
      alert('coordinator-assignment-1.breach'),
    ]);
    const messages = alertOutboxMessages(before, after, 'req-1');
    expect(messages.map((m) => (m.payload as AlertOp).correlationId)).toEqual(['req-1', 'req-1']);
    expect(messages.map((m) => m.key)).toEqual(alertOutboxMessages(before, after).map((m) => m.key));
  });

  it('delivers an open alert re-addressed to a new owner (the case moved) to it, at its round; one re-addressed and still acknowledged is not sent', () => {
    const open = alert('notification-assessment-1.breach', { resends: 2 });
    const acked = alert('coordinator-assignment-1.breach', {
      status: 'acknowledged',
      acknowledged: { by: 'mia', organisation: 'municipality:851', at: '2026-11-24T22:00:00.000Z', note: null },
    });
    const before = state([open, acked]);
    const after = state([
      { ...open, owner: 'municipality:751' },
      { ...acked, owner: 'municipality:751' },
    ]);
    expect(alertOutboxMessages(before, after).map((m) => m.payload)).toEqual([
      {
        op: 'deliver',
        caseId: CASE,
        alert: 'notification-assessment-1.breach',
        round: 2,
        jobId: `a.${CASE}.notification-assessment-1.breach.r2.to.municipality-751`,
      },
    ]);
  });
});
