import { milestoneRule } from '../../milestones/engine';
import { lostContactPause, pausedByLostContact } from '../../milestones/lost-contact';
import type { CaseEvent } from '../case.events';
import type { OpenCase } from '../case.state';
import type { CaseContext } from './guards';
import { resumed } from './milestones';

/** Lost contact pauses the open milestones the policy marks (see lostContactPause); LAW clocks keep running. */
export function pausesForLostContact(state: OpenCase, ctx: CaseContext): CaseEvent[] {
  return Object.values(state.milestones).flatMap((m) => {
    if (m.status !== 'open') return [];
    const { policy, rule } = milestoneRule(m, ctx.policies);
    return lostContactPause(m, policy, rule, ctx.at, ctx.now) ?? [];
  });
}

/** Restored contact resumes the milestones lost contact paused (and not those paused by hand). */
export function resumesForContactRestored(state: OpenCase, ctx: CaseContext): CaseEvent[] {
  return Object.values(state.milestones)
    .filter(pausedByLostContact)
    .map((m) => resumed(state, m, ctx, ctx.at, 'contact-restored'));
}
