import type { OpenCase, CaseState } from '../case/case.state';
import { nextResendAt } from '../alerts/alert';
import type { Policy } from '../policy/policy';
import { pendingBirthImminent } from './birth-imminent';
import { legacyBirthImminentTimer } from './legacy-birth-imminent';

export type TimerKind = 'ladder' | 'resume' | 'birth-imminent' | 'alert-resend' | 'former-access';

/**
 * A moment the engine must wake up for a case. The id is deterministic and carries the schedule's
 * generation: when a schedule changes the timer gets a new id, and a job for the old one does nothing.
 */
export interface Timer {
  id: string;
  kind: TimerKind;
  fireAt: string;
  milestone?: string;
  step?: string;
  /** For an alert re-send: the alert's id in the case. */
  alert?: string;
  /** For the end of a former municipality's access: its code. */
  municipality?: string;
}

/**
 * Every timer a case needs now, derived from its state alone: for each open or breached milestone
 * its next unfired ladder step; for each paused one the moment its pause allowance runs out and its
 * birth-imminent escalation if that comes first (the birth does not wait for the pause); for an unacknowledged alert its
 * next re-send; for a case with schedules recorded before the birth-imminent moment was part of
 * schedules, the start of the birth-imminent week (legacy-birth-imminent.ts). Closed cases need none.
 */
export function pendingTimers(state: CaseState, policy: Policy): Timer[] {
  if (state.status !== 'open') return [];
  // States are never changed in place (evolve copies), so a state's timers can be remembered.
  const known = memo.get(state);
  if (known && known.policy === policy) return known.timers;
  const timers = computeTimers(state, policy);
  memo.set(state, { policy, timers });
  return timers;
}

const memo = new WeakMap<object, { policy: Policy; timers: Timer[] }>();

function computeTimers(state: OpenCase, policy: Policy): Timer[] {
  const timers: Timer[] = [];
  for (const m of Object.values(state.milestones)) {
    if (m.status === 'open' || m.status === 'breached') {
      const next = m.ladder.filter((l) => !l.firedAt).sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
      if (next)
        timers.push({
          id: `${m.id}.${next.step}.g${m.generation}`,
          kind: 'ladder',
          fireAt: next.at,
          milestone: m.id,
          step: next.step,
        });
    } else if (m.status === 'paused') {
      const resumeBy = m.pauses[m.pauses.length - 1]?.resumeBy;
      if (resumeBy)
        timers.push({ id: `${m.id}.resume.g${m.generation}`, kind: 'resume', fireAt: resumeBy, milestone: m.id });
      // The birth does not wait for the pause to end (unless the pause runs out first), while she is pregnant.
      const imminent = state.birthAt || state.pregnancyEnded ? null : pendingBirthImminent(m);
      if (imminent && !(resumeBy && Date.parse(resumeBy) <= Date.parse(imminent.at)))
        timers.push({
          id: `${m.id}.${imminent.step}.g${m.generation}`,
          kind: 'ladder',
          fireAt: imminent.at,
          milestone: m.id,
          step: imminent.step,
        });
    }
  }
  const legacy = legacyBirthImminentTimer(state, policy);
  if (legacy) timers.push({ ...legacy, kind: 'birth-imminent' });
  for (const { municipality, until } of state.formerMunicipalityAccess)
    timers.push({
      id: `former-access.${municipality}.t${Date.parse(until)}`,
      kind: 'former-access',
      fireAt: until,
      municipality,
    });
  for (const alert of Object.values(state.alerts)) {
    const at = nextResendAt(alert, policy);
    if (at)
      timers.push({ id: `alert.${alert.id}.r${alert.resends + 1}`, kind: 'alert-resend', fireAt: at, alert: alert.id });
  }
  return timers;
}

/** Which timers to schedule and which to cancel when a case goes from `before` to `after`. */
export function timerChanges(
  before: readonly Timer[],
  after: readonly Timer[],
): { schedule: Timer[]; cancel: Timer[] } {
  const was = new Set(before.map((t) => t.id));
  const is = new Set(after.map((t) => t.id));
  return { schedule: after.filter((t) => !was.has(t.id)), cancel: before.filter((t) => !is.has(t.id)) };
}
