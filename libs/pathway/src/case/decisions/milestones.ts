import { reachAfterResend } from '../../alerts/alert';
import { discloseMilestone, disclosureFor } from '../../disclosure/disclosure';
import { defaultDisclosurePolicy } from '../../disclosure/disclosure-policy';
import { birthImminentEscalation } from '../../milestones/birth-imminent';
import { anchorOf, ladderEvents, milestoneRule, policyOf, scheduleOf } from '../../milestones/engine';
import { legacyBirthImminentFired } from '../../milestones/legacy-birth-imminent';
import { closePauses, isActive, type Milestone } from '../../milestones/milestone';
import { remainingPauseMs } from '../../milestones/schedule';
import { pendingTimers } from '../../milestones/timers';
import { policyFor, ruleOf } from '../../policy/policy';
import type { DecisionContext } from '../actor';
import type { CaseCommandData } from '../case.commands';
import { event, type CaseEvent } from '../case.events';
import { summarise } from '../case-summary';
import type { OpenCase } from '../case.state';
import { refuse } from '../domain-error';
import { actingAsOwnerOrCoordinator, actingForResponsibleMunicipality, type CaseContext } from './guards';

/** How early a timer's own step may fire and still count (timer precision and clock skew). */
const EARLY_MS = 100;

/**
 * The milestone a command names, as the acting person may know of it: one she may not see (its
 * class is not disclosed to her, discloseMilestone) is refused exactly as a missing one, so that
 * neither its existence nor its owner is told to her in a refusal. The engine (system) sees all.
 */
export function milestoneFor(state: OpenCase, id: string, ctx: DecisionContext): Milestone {
  const m = state.milestones[id];
  if (!m || !shownToActor(state, m, ctx)) refuse('MILESTONE_NOT_FOUND', `the case has no milestone ${id}`);
  return m;
}

function shownToActor(state: OpenCase, m: Milestone, ctx: DecisionContext): boolean {
  const { role, organisation } = ctx.actor;
  if (role === 'system') return true;
  const policy = ctx.disclosure ?? defaultDisclosurePolicy();
  return discloseMilestone(disclosureFor(policy, { role, organisations: [organisation] }, summarise(state)), m.rule);
}

function actingOnMilestone(state: OpenCase, m: Milestone, ctx: DecisionContext): void {
  if (!actingAsOwnerOrCoordinator(state, m.owner, ctx)) {
    refuse('NOT_MILESTONE_OWNER', `only ${m.owner} (or the case's coordinator) may change this milestone`, 'forbidden');
  }
}

export function pauseMilestone(
  state: OpenCase,
  data: CaseCommandData['pause-milestone'],
  ctx: CaseContext,
): CaseEvent[] {
  const m = milestoneFor(state, data.milestone, ctx);
  actingOnMilestone(state, m, ctx);
  const { policy, rule } = milestoneRule(m, ctx.policies);
  if (rule.basis === 'LAW')
    refuse('LEGAL_DEADLINE_NOT_PAUSABLE', `${rule.id} is a legal deadline (LAW): its clock cannot be paused`);
  if (m.status === 'paused')
    refuse('MILESTONE_ALREADY_PAUSED', `${m.id} is paused since ${m.pauses[m.pauses.length - 1]?.from}`);
  if (m.status !== 'open') refuse('MILESTONE_NOT_OPEN', `${m.id} is ${m.status}`);
  if (!rule.pausable) refuse('MILESTONE_NOT_PAUSABLE', `the policy does not allow pausing ${rule.id}`);
  const remaining = remainingPauseMs(policy, rule, m.pauses, ctx.now);
  if (remaining <= 0)
    refuse('PAUSE_LIMIT_REACHED', `${m.id} has used its pause allowance (${rule.maxPause ?? policy.pause.maxTotal})`);
  return [
    event('MilestonePaused', {
      occurredAt: ctx.at,
      milestone: m.id,
      reason: data.reason,
      resumeBy: new Date(ctx.now.getTime() + remaining).toISOString(),
    }),
  ];
}

export function resumeMilestone(
  state: OpenCase,
  data: CaseCommandData['resume-milestone'],
  ctx: CaseContext,
): CaseEvent[] {
  const m = milestoneFor(state, data.milestone, ctx);
  actingOnMilestone(state, m, ctx);
  if (m.status !== 'paused') refuse('MILESTONE_NOT_PAUSED', `${m.id} is ${m.status}, not paused`);
  return [resumed(state, m, ctx, ctx.at, 'command')];
}

export function resumed(
  state: OpenCase,
  m: Milestone,
  ctx: DecisionContext,
  at: string,
  reason: 'command' | 'pause-limit' | 'contact-restored',
): CaseEvent {
  const { policy, rule } = milestoneRule(m, ctx.policies);
  const closed = { ...m, pauses: closePauses(m.pauses, at) };
  const schedule = scheduleOf(state, closed, policy, rule, ctx.now);
  return event('MilestoneResumed', {
    occurredAt: at,
    milestone: m.id,
    reason,
    dueAt: schedule.dueAt,
    ladder: schedule.ladder,
    explanation: schedule.explanation,
  });
}

export function waiveMilestone(
  state: OpenCase,
  data: CaseCommandData['waive-milestone'],
  ctx: CaseContext,
): CaseEvent[] {
  const m = milestoneFor(state, data.milestone, ctx);
  actingOnMilestone(state, m, ctx);
  const { rule } = milestoneRule(m, ctx.policies);
  if (rule.basis === 'LAW')
    refuse('LEGAL_DEADLINE_NOT_WAIVABLE', `${rule.id} is a legal deadline (LAW): it is met or breached, not waived`);
  if (!isActive(m)) refuse('MILESTONE_NOT_OPEN', `${m.id} is ${m.status}`);
  return [event('MilestoneWaived', { occurredAt: ctx.at, milestone: m.id, reason: data.reason })];
}

/** Moves the case to a newer version of its policy, recomputing every open milestone under it. */
export function migratePolicy(state: OpenCase, data: CaseCommandData['migrate-policy'], ctx: CaseContext): CaseEvent[] {
  actingForResponsibleMunicipality(state, ctx);
  const to = { name: state.policy.name, version: data.version };
  const policy = policyFor(ctx.policies, to);
  if (data.version <= state.policy.version)
    refuse('POLICY_NOT_NEWER', `the case already runs under version ${state.policy.version}`);
  const events: CaseEvent[] = [event('PolicyMigrated', { occurredAt: ctx.at, from: state.policy, to })];
  const migrated = { ...state, policy: to };
  for (const m of Object.values(state.milestones).filter(isActive)) {
    const rule = ruleOf(policy, m.rule);
    if (!rule) {
      events.push(
        event('MilestoneWaived', {
          occurredAt: ctx.at,
          milestone: m.id,
          reason: `no rule ${m.rule} in ${to.name} version ${to.version}`,
        }),
      );
      continue;
    }
    const schedule = scheduleOf(migrated, m, policy, rule, ctx.now, anchorOf(rule, migrated, m.anchor, m.openedAt));
    events.push(
      event('MilestoneRescheduled', {
        occurredAt: ctx.at,
        milestone: m.id,
        reason: 'policy-migrated',
        dueAt: schedule.dueAt,
        ladder: schedule.ladder,
        explanation: schedule.explanation,
      }),
    );
  }
  return events;
}

/**
 * A timer woke the engine. Nothing happens unless the timer is still pending in the case's state
 * and its time has come: a met milestone, a fired step or a superseded schedule makes it a no-op.
 */
export function fireTimer(state: OpenCase, data: CaseCommandData['fire-timer'], ctx: CaseContext): CaseEvent[] {
  const policy = policyOf(state, ctx.policies);
  const timer = pendingTimers(state, policy).find((t) => t.id === data.timer);
  if (!timer || Date.parse(timer.fireAt) > ctx.now.getTime() + EARLY_MS) return [];
  const at = ctx.now.toISOString();
  if (timer.kind === 'birth-imminent') return legacyBirthImminentFired(state, ctx);
  if (timer.kind === 'former-access')
    return [event('FormerMunicipalityAccessEnded', { occurredAt: at, municipality: timer.municipality as string })];
  if (timer.kind === 'alert-resend') {
    const alert = state.alerts[timer.alert as string];
    const round = alert.resends + 1;
    return [
      event('AlertResent', { occurredAt: at, alert: alert.id, round, reach: reachAfterResend(alert, round, policy) }),
    ];
  }
  const m = state.milestones[timer.milestone as string];
  if (timer.kind === 'resume') return [resumed(state, m, ctx, timer.fireAt, 'pause-limit')];
  // A paused milestone's only ladder timer: its birth-imminent escalation.
  if (m.status === 'paused') return birthImminentEscalation(m, at);
  // The timer's own step (allowing for timer precision), and any other step already due.
  const now = ctx.now.getTime();
  return ladderEvents(
    m,
    (l) => Date.parse(l.at) <= now || (l.step === timer.step && Date.parse(l.at) <= now + EARLY_MS),
    at,
  );
}
