import type { Referral, ReferralDeadline } from './api';
import { deadlineTiming, referralStatus } from './referrals';

const AT = '2026-11-25T09:00:00Z';
const HOUR = 3_600_000;

function deadline(over: Partial<ReferralDeadline> = {}): ReferralDeadline {
  return {
    milestone: 'handoff-acceptance-1',
    title: null,
    owner: 'municipality:851',
    status: 'open',
    dueAt: '2026-11-26T09:00:00Z',
    metAt: null,
    onTime: true,
    ...over,
  };
}

function referral(over: Partial<Referral> = {}): Referral {
  return {
    caseId: 'c1',
    reference: 'K7F3QX',
    registeredAt: AT,
    status: 'open',
    handoffs: [],
    notifications: [],
    deadlines: [],
    ...over,
  };
}

const handoff = (acknowledgedAt: string | null) => ({
  kind: 'municipality-notification',
  to: 'municipality:851',
  sentAt: AT,
  acknowledgedAt,
  acknowledgement: null,
});

describe('referralStatus', () => {
  it('follows the referral from registered to sent, acknowledged, in progress and closed', () => {
    expect(referralStatus(referral())).toBe('registered');
    expect(referralStatus(referral({ handoffs: [handoff(null), handoff(null)] }))).toBe('sent');
    expect(referralStatus(referral({ handoffs: [handoff(AT), handoff(null)] }))).toBe('partly-acknowledged');
    expect(referralStatus(referral({ handoffs: [handoff(AT), handoff(AT)] }))).toBe('acknowledged');
    const notification = { municipality: '851', notifiedAt: AT, receiptConfirmedAt: AT, assessed: true };
    expect(referralStatus(referral({ handoffs: [handoff(null)], notifications: [notification] }))).toBe('in-progress');
    const visited = deadline({ milestone: 'clinic-first-visit-1', status: 'met', metAt: AT });
    expect(referralStatus(referral({ handoffs: [handoff(AT)], deadlines: [visited] }))).toBe('in-progress');
    expect(referralStatus(referral({ status: 'closed', handoffs: [handoff(null)] }))).toBe('closed');
  });

  it('is not in progress while the first visit is only due', () => {
    const due = deadline({ milestone: 'clinic-first-visit-1', status: 'open' });
    expect(referralStatus(referral({ handoffs: [handoff(AT)], deadlines: [due] }))).toBe('acknowledged');
  });
});

describe('deadlineTiming', () => {
  const due = Date.parse('2026-11-26T09:00:00Z');

  it('met: kept with the margin, or late by how much', () => {
    expect(deadlineTiming(deadline({ status: 'met', metAt: '2026-11-26T07:00:00Z' }), due + HOUR)).toEqual({
      state: 'kept',
      ms: 2 * HOUR,
    });
    expect(
      deadlineTiming(deadline({ status: 'met', metAt: '2026-11-26T12:30:00Z', onTime: false }), due + 9 * HOUR),
    ).toEqual({ state: 'late', ms: 3.5 * HOUR });
  });

  it('not met: the time left, or how far past due (breached or not yet marked so)', () => {
    expect(deadlineTiming(deadline(), due - 5 * HOUR)).toEqual({ state: 'open', ms: 5 * HOUR });
    expect(deadlineTiming(deadline(), due + HOUR)).toEqual({ state: 'overdue', ms: HOUR });
    expect(deadlineTiming(deadline({ status: 'breached', onTime: false }), due + 2 * HOUR)).toEqual({
      state: 'overdue',
      ms: 2 * HOUR,
    });
  });

  it('waived and scheduled deadlines are neither kept nor missed', () => {
    expect(deadlineTiming(deadline({ status: 'waived', onTime: null }), due + HOUR).state).toBe('waived');
    expect(deadlineTiming(deadline({ status: 'scheduled' }), due + HOUR).state).toBe('scheduled');
  });
});
