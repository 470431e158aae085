import { addCountedTime, addWeekdays, addWorkingDays, countedTimeBetween } from '../time/calendar';
import { addDuration, parseDuration, scaleMs, wholeDays } from '../time/duration';
import { beforeDueDate, gestationalAge } from '../time/gestation';
import { endOfLocalDay, localDate } from '../time/zoned';
import {
  isScaled,
  scalingFactor,
  type CalendarKind,
  type LadderStepSpec,
  type MilestoneRule,
  type Policy,
} from '../policy/policy';
import { withBirthImminent } from './birth-imminent';
import { pausedMsUntil, type Explanation, type Pause, type Schedule } from './milestone';

function duration(iso: string) {
  const d = parseDuration(iso);
  if (!d) throw new Error(`invalid duration ${iso} in a validated policy`);
  return d;
}

const min = (a: number, b: number) => (a < b ? a : b);

/** The policy's pause allowance for a rule, in milliseconds from `from` (months and days are local-calendar). */
function pauseAllowanceMs(policy: Policy, rule: MilestoneRule, from: Date): number {
  const iso = rule.maxPause ?? policy.pause.maxTotal;
  return addDuration(from, duration(iso)).getTime() - from.getTime();
}

/** Pause time that counts: closed pauses, an ongoing one up to `now`, all capped by the allowance. */
function countedPauseMs(policy: Policy, rule: MilestoneRule, pauses: readonly Pause[], now: Date): number {
  if (pauses.length === 0) return 0;
  return min(pausedMsUntil(pauses, now), pauseAllowanceMs(policy, rule, new Date(pauses[0].from)));
}

/** How much pause is left before the clock must run again. */
export function remainingPauseMs(policy: Policy, rule: MilestoneRule, pauses: readonly Pause[], now: Date): number {
  const allowance = pauses.length
    ? pauseAllowanceMs(policy, rule, new Date(pauses[0].from))
    : pauseAllowanceMs(policy, rule, now);
  return Math.max(0, allowance - pausedMsUntil(pauses, now));
}

/**
 * The scaled due time. Calendar time scales the elapsed span. A deadline counted in working days
 * (or weekdays) scales the counted time instead — the part of the span that lies on working days —
 * and counts the result on the same calendar from the anchor, so it always falls within a working
 * day and never later than unscaled: Friday 10:00 + 1 working day (Monday 10:00: 14 h of Friday and
 * 10 h of Monday) × 0.75 = 18 working hours → Monday 04:00, not Sunday 16:00.
 */
function scaledDue(calendar: CalendarKind, anchorAt: Date, unscaled: Date, factor: number): Date {
  if (calendar === 'calendar') return scaleMs(anchorAt, unscaled, factor);
  if (factor === 1) return unscaled;
  return addCountedTime(anchorAt, Math.round(factor * countedTimeBetween(anchorAt, unscaled, calendar)), calendar);
}

export interface ScheduleInput {
  policy: Policy;
  rule: MilestoneRule;
  anchor: { signal: string; at: string };
  estimatedDueDate: string;
  pauses: readonly Pause[];
  /** For an ongoing pause: how long it has run. */
  now: Date;
  /** For recurring milestones after the first: the cadence interval replaces the rule's duration. */
  durationOverride?: string;
  /**
   * The start of the birth-imminent week while she is pregnant (birthImminentAt); null once she has
   * given birth or the pregnancy has ended.
   */
  birthImminentAt: string | null;
}

/**
 * Computes when a milestone is due and when each ladder step falls, with the explanation:
 * the duration counted in its calendar from the anchor, rounded to the end of the day if the rule
 * says so, scaled by the gestational week at the anchor (PROP), capped by the legal cap and by
 * "not later than … before the due date", and moved by the counted pause time (never past the cap).
 * The level-1 escalation falls at the birth-imminent moment if that comes first (a ladder without
 * one gets a `birth-imminent` step then).
 */
export function computeSchedule(input: ScheduleInput): Schedule {
  const { policy, rule, anchor, estimatedDueDate, pauses, now } = input;
  const anchorAt = new Date(anchor.at);
  const spec = rule.deadline;
  const iso = input.durationOverride ?? spec.duration;
  let unscaled: Date;
  if (spec.calendar === 'working-days') unscaled = addWorkingDays(anchorAt, wholeDays(iso));
  else if (spec.calendar === 'weekdays') unscaled = addWeekdays(anchorAt, wholeDays(iso));
  else unscaled = addDuration(anchorAt, duration(iso));
  if (spec.endOfDay) unscaled = endOfLocalDay(localDate(unscaled));

  let due = unscaled;
  let scaling: Explanation['scaling'] = null;
  if (isScaled(policy, rule)) {
    const week = gestationalAge(estimatedDueDate, anchorAt).weeks;
    const factor = scalingFactor(policy, week);
    scaling = { week, factor };
    due = scaledDue(spec.calendar, anchorAt, unscaled, factor);
  }

  let notLaterThan: Explanation['notLaterThan'] = null;
  if (spec.notLaterThanBeforeDueDate) {
    const limit = beforeDueDate(estimatedDueDate, wholeDays(spec.notLaterThanBeforeDueDate));
    const at = new Date(Math.max(limit.getTime(), anchorAt.getTime()));
    notLaterThan = { beforeDueDate: spec.notLaterThanBeforeDueDate, at: at.toISOString(), applied: at < due };
    if (at < due) due = at;
  }

  const capAt = rule.legalCap ? addDuration(anchorAt, duration(rule.legalCap)) : null;
  const legalCap: Explanation['legalCap'] =
    rule.legalCap && capAt ? { duration: rule.legalCap, at: capAt.toISOString(), applied: capAt < due } : null;
  if (capAt && capAt < due) due = capAt;

  const allowedMs = due.getTime() - anchorAt.getTime();
  const pausedMs = countedPauseMs(policy, rule, pauses, now);
  const shifted = (t: number) => (capAt ? min(t + pausedMs, capAt.getTime()) : t + pausedMs);
  const dueAt = new Date(shifted(due.getTime()));
  if (legalCap && capAt && pausedMs > 0 && due.getTime() + pausedMs > capAt.getTime()) legalCap.applied = true;

  const steps = (rule.ladder ?? policy.ladder).map((s: LadderStepSpec) => {
    let at: number;
    if (s.kind === 'breach') at = dueAt.getTime();
    else {
      const base = s.after
        ? addDuration(anchorAt, duration(s.after)).getTime()
        : anchorAt.getTime() + (s.fraction ?? 1) * allowedMs;
      at = s.kind === 'escalation' ? base + pausedMs : shifted(base);
      if (s.atLeastAfterDue) at = Math.max(at, addDuration(dueAt, duration(s.atLeastAfterDue)).getTime());
    }
    return {
      step: s.step,
      kind: s.kind,
      ...(s.level !== undefined && { level: s.level }),
      at: new Date(at).toISOString(),
    };
  });
  const { ladder, birthImminent } = input.birthImminentAt
    ? withBirthImminent(steps, input.birthImminentAt, policy.scaling.birthImminentWeek, anchor.at)
    : { ladder: steps, birthImminent: null };

  return {
    dueAt: dueAt.toISOString(),
    ladder,
    explanation: {
      policy: { name: policy.name, version: policy.version },
      rule: rule.id,
      basis: rule.basis,
      anchor,
      calendar: spec.calendar,
      duration: iso,
      unscaledDueAt: unscaled.toISOString(),
      endOfDay: spec.endOfDay ?? false,
      scaling,
      legalCap,
      notLaterThan,
      pauses: [...pauses],
      pausedMs,
      maxPause: rule.pausable ? (rule.maxPause ?? policy.pause.maxTotal) : null,
      birthImminent,
      dueAt: dueAt.toISOString(),
    },
  };
}
