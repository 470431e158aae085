import { event, type CaseEvent } from '../case/case.events';
import type { MilestoneRule, Policy } from '../policy/policy';
import { isActive, type Milestone } from './milestone';
import { remainingPauseMs } from './schedule';

/** The pause reason of a milestone paused by lost contact: record-contact-restored resumes those only. */
export const LOST_CONTACT_PAUSE = 'lost contact with her (record-lost-contact)';

/**
 * The pause lost contact puts on an open milestone, or null: only on one the policy marks
 * `pausedByLostContact` (by default those the owner cannot meet without her: clinic first visit,
 * treatment start, residential admission), and within its pause allowance (one that has used it keeps
 * running). LAW clocks keep running: the policy cannot mark them, and they are not paused. Applies
 * when contact is lost, and to a milestone that opens while it is.
 */
export function lostContactPause(
  m: Milestone,
  policy: Policy,
  rule: MilestoneRule,
  at: string,
  now: Date,
): CaseEvent | null {
  if (m.status !== 'open' || !rule.pausedByLostContact || !rule.pausable || rule.basis === 'LAW') return null;
  const remaining = remainingPauseMs(policy, rule, m.pauses, now);
  if (remaining <= 0) return null;
  return event('MilestonePaused', {
    occurredAt: at,
    milestone: m.id,
    reason: LOST_CONTACT_PAUSE,
    resumeBy: new Date(now.getTime() + remaining).toISOString(),
  });
}

/** Whether a milestone is paused by lost contact (not by hand). */
export const pausedByLostContact = (m: Milestone): boolean =>
  m.status === 'paused' && m.pauses[m.pauses.length - 1]?.reason === LOST_CONTACT_PAUSE;

/**
 * How an active milestone fares while contact with her is lost, as people are told: its clock is
 * paused, or it runs on — a legal duty (LAW) does not wait for her, the policy pauses this one but its
 * allowance is used up, or the policy does not pause it.
 */
export type LostContactEffect = 'paused' | 'legal-duty-keeps-running' | 'pause-allowance-used' | 'keeps-running';

export function lostContactEffect(m: Milestone, rule: MilestoneRule | undefined): LostContactEffect {
  if (m.status === 'paused') return 'paused';
  if (m.explanation.basis === 'LAW') return 'legal-duty-keeps-running';
  return rule?.pausedByLostContact ? 'pause-allowance-used' : 'keeps-running';
}

/** What a milestone's view says of its clock while contact with her is lost. */
export const LOST_CONTACT_EFFECT_TEXT: Readonly<Record<LostContactEffect, { da: string; en: string }>> = {
  paused: { da: 'Sat på pause, mens kontakten med hende er tabt', en: 'Paused while contact with her is lost' },
  'legal-duty-keeps-running': {
    da: 'Lovbestemt frist: den løber videre, selv om kontakten med hende er tabt',
    en: 'A legal deadline: it keeps running while contact with her is lost',
  },
  'pause-allowance-used': {
    da: 'Løber videre, selv om kontakten er tabt: pausen er brugt op',
    en: 'Keeps running while contact is lost: its pause allowance is used up',
  },
  'keeps-running': {
    da: 'Løber videre, selv om kontakten med hende er tabt',
    en: 'Keeps running while contact with her is lost',
  },
};

/** What an active milestone's view says while contact with her is lost (null otherwise). */
export function lostContactOf(
  m: Milestone,
  rule: MilestoneRule | undefined,
): { since: string; effect: LostContactEffect; text: { da: string; en: string } } | null {
  if (!m.contactLostSince || !isActive(m)) return null;
  const effect = lostContactEffect(m, rule);
  return { since: m.contactLostSince, effect, text: LOST_CONTACT_EFFECT_TEXT[effect] };
}
