/**
 * From the policy's birth-imminent week (37) the birth is imminent: every open milestone escalates
 * at once (domain.md, Time semantics). The moment is part of each milestone's schedule: its level-1
 * escalation falls then at the latest, or, where its ladder has none, a BIRTH_IMMINENT_STEP does.
 */
import { event, type CaseEvent } from '../case/case.events';
import type { OpenCase } from '../case/case.state';
import { BIRTH_IMMINENT_STEP, type Policy } from '../policy/policy';
import { startOfGestationalWeek } from '../time/gestation';
import type { BirthImminentMoment, Milestone, ScheduledStep } from './milestone';

/**
 * The start of the policy's birth-imminent week (37+0 by default) while she is pregnant; null once
 * she has given birth or the pregnancy has ended.
 */
export function birthImminentAt(state: OpenCase, policy: Policy): string | null {
  if (state.birthAt || state.pregnancyEnded) return null;
  return startOfGestationalWeek(state.estimatedDueDate, policy.scaling.birthImminentWeek).toISOString();
}

/**
 * A computed ladder with the birth-imminent moment `at` (never before the anchor): its level-1
 * escalation at the earlier of its own time and the moment, or, where it has none, a level-1
 * `birth-imminent` step at the moment; and what the explanation records of it.
 */
export function withBirthImminent(
  ladder: readonly ScheduledStep[],
  at: string,
  week: number,
  anchorAt: string,
): { ladder: ScheduledStep[]; birthImminent: BirthImminentMoment } {
  const moment = new Date(Math.max(Date.parse(at), Date.parse(anchorAt))).toISOString();
  const level1 = ladder.find((s) => s.kind === 'escalation' && s.level === 1);
  if (!level1) {
    return {
      ladder: [...ladder, { step: BIRTH_IMMINENT_STEP, kind: 'escalation', level: 1, at: moment }],
      birthImminent: { week, at, step: BIRTH_IMMINENT_STEP, applied: true },
    };
  }
  const applied = Date.parse(moment) <= Date.parse(level1.at);
  return {
    ladder: applied ? ladder.map((s) => (s === level1 ? { ...s, at: moment } : s)) : [...ladder],
    birthImminent: { week, at, step: level1.step, applied },
  };
}

/**
 * A milestone's birth-imminent escalation that has not fired: the step and when the moment falls
 * for it (never before its anchor), and whether that moment set the step's time. Null where its
 * schedule has no birth-imminent moment (she has given birth, a legacy schedule) or the step fired.
 */
export function pendingBirthImminent(m: Milestone): { step: string; at: string; applied: boolean } | null {
  const moment = m.explanation.birthImminent;
  if (!moment) return null;
  const step = m.ladder.find((l) => l.step === moment.step);
  if (!step || step.firedAt) return null;
  const at = new Date(Math.max(Date.parse(moment.at), Date.parse(m.anchor.at))).toISOString();
  return { step: moment.step, at, applied: moment.applied };
}

/** Whether a ladder step of the milestone falls when it does because the birth is imminent. */
export function escalatesForBirthImminent(m: Milestone, step: string): boolean {
  const moment = m.explanation.birthImminent;
  return !!moment && moment.applied && moment.step === step;
}

/**
 * The milestone's birth-imminent escalation, fired at `at` (whether its time has come is the
 * caller's question): also for a paused milestone, whose clock is stopped but whose birth is not.
 */
export function birthImminentEscalation(m: Milestone, at: string): CaseEvent[] {
  const pending = pendingBirthImminent(m);
  if (!pending) return [];
  return [
    event('MilestoneEscalated', {
      occurredAt: at,
      milestone: m.id,
      step: pending.step,
      level: 1,
      owner: m.owner,
      dueAt: m.dueAt,
      reason: 'birth-imminent',
    }),
  ];
}
