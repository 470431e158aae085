import { milestoneRule } from '../../milestones/engine';
import type { Milestone } from '../../milestones/milestone';
import { remainingPauseMs } from '../../milestones/schedule';
import { event, type CaseEvent } from '../case.events';
import type { OpenCase } from '../case.state';
import type { CaseContext } from './guards';
import { resumed } from './milestones';

/** The pause reason of a milestone paused by record-lost-contact: record-contact-restored resumes those only. */
export const LOST_CONTACT_PAUSE = 'lost contact with her (record-lost-contact)';

/**
 * Lost contact pauses the open milestones the policy marks `pausedByLostContact` (by default those
 * the owner cannot meet without her: clinic first visit, treatment start, residential admission),
 * each within its pause allowance (one that has used it keeps running). LAW clocks keep running:
 * the policy cannot mark them, and they are not paused.
 */
export function pausesForLostContact(state: OpenCase, ctx: CaseContext): CaseEvent[] {
  return Object.values(state.milestones).flatMap((m) => {
    if (m.status !== 'open') return [];
    const { policy, rule } = milestoneRule(m, ctx.policies);
    if (!rule.pausedByLostContact || !rule.pausable || rule.basis === 'LAW') return [];
    const remaining = remainingPauseMs(policy, rule, m.pauses, ctx.now);
    if (remaining <= 0) return [];
    return [
      event('MilestonePaused', {
        occurredAt: ctx.at,
        milestone: m.id,
        reason: LOST_CONTACT_PAUSE,
        resumeBy: new Date(ctx.now.getTime() + remaining).toISOString(),
      }),
    ];
  });
}

const pausedByLostContact = (m: Milestone) =>
  m.status === 'paused' && m.pauses[m.pauses.length - 1]?.reason === LOST_CONTACT_PAUSE;

/** Restored contact resumes the milestones lost contact paused (and not those paused by hand). */
export function resumesForContactRestored(state: OpenCase, ctx: CaseContext): CaseEvent[] {
  return Object.values(state.milestones)
    .filter(pausedByLostContact)
    .map((m) => resumed(state, m, ctx, ctx.at, 'contact-restored'));
}
