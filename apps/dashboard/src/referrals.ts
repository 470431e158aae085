import type { Referral, ReferralDeadline } from './api';

/**
 * Where a referral has got to, from what its referrer is shown: registered (not sent on yet), sent
 * (no hand-off acknowledged), partly or wholly acknowledged, in progress (the municipality has
 * assessed the notification or she has been to the clinic), or closed.
 */
export type ReferralStatus = 'registered' | 'sent' | 'partly-acknowledged' | 'acknowledged' | 'in-progress' | 'closed';

export const REFERRAL_STATUSES: readonly ReferralStatus[] = [
  'registered',
  'sent',
  'partly-acknowledged',
  'acknowledged',
  'in-progress',
  'closed',
];

/** The rule of a milestone instance (`clinic-first-visit-1` → `clinic-first-visit`). */
const ruleOf = (milestone: string) => milestone.replace(/-\d+$/, '');

export function referralStatus(r: Referral): ReferralStatus {
  if (r.status === 'closed') return 'closed';
  const begun =
    r.notifications.some((n) => n.assessed) ||
    r.deadlines.some((d) => ruleOf(d.milestone) === 'clinic-first-visit' && d.status === 'met');
  if (begun) return 'in-progress';
  if (r.handoffs.length === 0) return 'registered';
  const acknowledged = r.handoffs.filter((h) => h.acknowledgedAt !== null).length;
  if (acknowledged === r.handoffs.length) return 'acknowledged';
  return acknowledged > 0 ? 'partly-acknowledged' : 'sent';
}

/**
 * Whether a deadline was kept, and by how much (ms, never negative): met in time (`kept`, ms before
 * the due time), met late (`late`, ms after it), still open (`open`, ms left), past due and not met
 * (`overdue`, ms over), not started yet (`scheduled`) or waived.
 */
export type DeadlineTiming = { state: 'kept' | 'late' | 'open' | 'overdue' | 'scheduled' | 'waived'; ms: number };

export function deadlineTiming(d: ReferralDeadline, now: number): DeadlineTiming {
  const due = Date.parse(d.dueAt);
  if (d.status === 'waived') return { state: 'waived', ms: 0 };
  if (d.status === 'scheduled') return { state: 'scheduled', ms: 0 };
  if (d.status === 'met') {
    const met = d.metAt === null ? null : Date.parse(d.metAt);
    if (met === null) return { state: d.onTime === false ? 'late' : 'kept', ms: 0 };
    return met > due ? { state: 'late', ms: met - due } : { state: 'kept', ms: due - met };
  }
  return now < due ? { state: 'open', ms: due - now } : { state: 'overdue', ms: now - due };
}
