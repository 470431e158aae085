/**
 * Cases recorded before the birth-imminent moment was part of each milestone's schedule. Their
 * schedules are "legacy": the explanation has no `birthImminent` (isLegacySchedule). The old engine
 * kept a case timer, `birth-imminent.r<due-date revision>` at the start of the birth-imminent week,
 * which recorded BirthImminent and escalated every active milestone at once: its escalation-1 fired
 * early, or, where its ladder had none, a `birth-imminent` step that evolve appended to the ladder
 * when the escalation arrived; a resume or reschedule replaced the ladder and dropped that step.
 *
 * Recorded events are never rewritten (they are hash-chained), so old streams fold as before:
 * evolve still appends a step the ladder lacks, replaces the whole ladder on a legacy reschedule
 * and records BirthImminent (case.state.ts). What such a case still needs is here, in one place:
 *
 * - its case timer stays pending, under the same id, for as long as the old engine kept it, while
 *   the case has a legacy schedule (or no milestone at all): the BullMQ job or pending_timers row the
 *   old engine wrote still finds it, so no escalation is lost and no row fires into nothing;
 * - when it fires it records BirthImminent (the timer is spent, as before) and gives every active
 *   legacy milestone its schedule with the birth-imminent moment (MilestoneRescheduled, reason
 *   birth-imminent), whose escalation then fires at once, the paused ones' too. A step that fired
 *   keeps its firing by name; one an old reschedule dropped keeps it through its alert (evolve).
 *
 * A legacy milestone rescheduled for any other reason (resumed, a new due date, a policy migration,
 * a moved anchor) gets the new kind of schedule the same way, and then needs none of this.
 */
import type { DecisionContext } from '../case/actor';
import { event, type CaseEvent } from '../case/case.events';
import { evolve, type OpenCase } from '../case/case.state';
import type { Policy } from '../policy/policy';
import { gestationalAge } from '../time/gestation';
import { birthImminentAt, birthImminentEscalation, pendingBirthImminent } from './birth-imminent';
import { milestoneRule, scheduleOf } from './engine';
import { isActive, isLegacySchedule } from './milestone';

/** The old engine's case timer, while a case recorded by it still needs it. */
export function legacyBirthImminentTimer(state: OpenCase, policy: Policy): { id: string; fireAt: string } | null {
  // Recorded: every milestone active then escalated, and the old engine escalated those it opened later at once.
  if (state.birthImminentAt) return null;
  // The milestones first: a case with none of the legacy kind, nearly every one, needs no date worked out.
  const milestones = Object.values(state.milestones);
  if (milestones.length > 0 && !milestones.some((m) => isLegacySchedule(m.explanation))) return null;
  const fireAt = birthImminentAt(state, policy);
  return fireAt ? { id: `birth-imminent.r${state.dueDateRevision}`, fireAt } : null;
}

/**
 * The old case timer fired (its time has come): BirthImminent, then for each active legacy
 * milestone its schedule with the birth-imminent moment and, when that moment has come, its
 * escalation (reason birth-imminent).
 */
export function legacyBirthImminentFired(state: OpenCase, ctx: DecisionContext): CaseEvent[] {
  const at = ctx.now.toISOString();
  const events: CaseEvent[] = [
    event('BirthImminent', { occurredAt: at, week: gestationalAge(state.estimatedDueDate, ctx.now).weeks }),
  ];
  let s = evolve(state, events[0]) as OpenCase;
  for (const m of Object.values(state.milestones)) {
    if (!isActive(m) || !isLegacySchedule(m.explanation)) continue;
    const { policy, rule } = milestoneRule(m, ctx.policies);
    const schedule = scheduleOf(s, m, policy, rule, ctx.now);
    const rescheduled = event('MilestoneRescheduled', {
      occurredAt: at,
      milestone: m.id,
      reason: 'birth-imminent',
      dueAt: schedule.dueAt,
      ladder: schedule.ladder,
      explanation: schedule.explanation,
    });
    s = evolve(s, rescheduled) as OpenCase;
    events.push(rescheduled);
    const upgraded = s.milestones[m.id];
    const pending = pendingBirthImminent(upgraded);
    if (pending && Date.parse(pending.at) <= ctx.now.getTime()) {
      const escalated = birthImminentEscalation(upgraded, at);
      for (const e of escalated) s = evolve(s, e) as OpenCase;
      events.push(...escalated);
    }
  }
  return events;
}
