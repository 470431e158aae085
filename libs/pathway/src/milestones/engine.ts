import { event, type CaseEvent } from '../case/case.events';
import { evolve, type CaseState, type OpenCase } from '../case/case.state';
import { refuse } from '../case/domain-error';
import { policyFor, ruleOf, type MilestoneRule, type Policy, type PolicyRegistry } from '../policy/policy';
import { clinicForMunicipality, municipalityOrganisation } from '../reference/organisations';
import { addDuration, parseDuration, wholeDays } from '../time/duration';
import { beforeDueDate, gestationalAge } from '../time/gestation';
import {
  birthImminentAt,
  birthImminentEscalation,
  escalatesForBirthImminent,
  pendingBirthImminent,
} from './birth-imminent';
import { lostContactPause } from './lost-contact';
import { isActive, type Milestone, type Schedule } from './milestone';
import { reassignedByMove, reopenedByMove } from './municipality-move';
import { computeSchedule } from './schedule';
import { signalsOf, type Signal } from './signals-of';

export interface EngineContext {
  now: Date;
  policies: PolicyRegistry;
}

/** The policy a case runs under (see {@link policyFor}). */
export function policyOf(state: OpenCase, policies: PolicyRegistry): Policy {
  return policyFor(policies, state.policy);
}

/** The policy version a milestone runs under and its rule there; a rule the version lacks is refused. */
export function milestoneRule(m: Milestone, policies: PolicyRegistry): { policy: Policy; rule: MilestoneRule } {
  const policy = policyFor(policies, m.policy);
  const rule =
    ruleOf(policy, m.rule) ??
    refuse('MILESTONE_RULE_UNKNOWN', `policy version ${policy.version} has no rule ${m.rule}`);
  return { policy, rule };
}

/**
 * Interleaves the facts of a decision with the milestone events they cause: after each fact, the
 * milestones it meets, waives, opens, re-anchors or reschedules. Pure.
 */
export function withMilestoneEvents(before: CaseState, facts: readonly CaseEvent[], ctx: EngineContext): CaseEvent[] {
  const out: CaseEvent[] = [];
  let state = before;
  for (const fact of facts) {
    const after = evolve(state, fact) as OpenCase;
    const derived = milestoneEventsFor(fact, state, after, ctx);
    out.push(fact, ...derived.events);
    state = derived.state;
  }
  return out;
}

/** The milestone events one fact causes, and the state once they are folded in. */
function milestoneEventsFor(
  fact: CaseEvent,
  before: CaseState,
  after: OpenCase,
  ctx: EngineContext,
): { events: CaseEvent[]; state: CaseState } {
  const policy = policyOf(after, ctx.policies);
  const events: CaseEvent[] = [];
  let state = after;
  const push = (e: CaseEvent) => {
    events.push(e);
    state = evolve(state, e) as OpenCase;
  };

  // The case moved: the old municipality's obligations go with it before the move's own milestones open.
  if (fact.type === 'MunicipalityTransferred') for (const e of reassignedByMove(state, fact)) push(e);

  for (const signal of signalsOf(fact, before, after)) {
    for (const m of Object.values(state.milestones)) {
      if (!isActive(m)) continue;
      const rule = ruleOf(policy, m.rule);
      if (!rule) continue;
      // A keyed instance (a hand-off, a notification) is met by the fact about the same thing;
      // a case-level instance (key '') by the fact whatever it is about.
      if (rule.metBy.includes(signal.name) && (m.key === '' || m.key === signal.key)) {
        // A step whose time came before the milestone was met fires first, whether or not its timer has run yet.
        for (const e of overdueLadderEvents(m, signal.at)) push(e);
        push(
          event('MilestoneMet', {
            occurredAt: signal.at,
            milestone: m.id,
            late: Date.parse(signal.at) > Date.parse(m.dueAt),
            signal: signal.name,
          }),
        );
        if (rule.recurrence && state.status === 'open') {
          const next = open(state, policy, rule, signal, ctx, cadenceFor(rule, state, signal.at));
          if (withinPostBirthWindow(rule, state, next)) push(next);
        }
      } else if ([...(rule.waivedBy ?? []), ...policy.waivedBy].includes(signal.name)) {
        push(
          event('MilestoneWaived', {
            occurredAt: signal.at,
            milestone: m.id,
            reason: fact.type === 'CaseClosed' ? `waived: case-closed (${fact.data.reason})` : `waived: ${signal.name}`,
            signal: signal.name,
          }),
        );
      } else if (rule.anchor?.unlessEarlier.includes(signal.name) && Date.parse(signal.at) < Date.parse(m.anchor.at)) {
        push(reschedule(state, m, policy, rule, ctx, 'anchor-moved', { signal: signal.name, at: signal.at }));
      }
    }
    if (state.status !== 'open') continue;
    for (const rule of policy.milestones) {
      if (!rule.opensOn.includes(signal.name)) continue;
      const already = Object.values(state.milestones).some(
        (m) => m.rule === rule.id && m.key === signal.key && isActive(m),
      );
      if (!already) push(open(state, policy, rule, signal, ctx));
    }
  }

  // Its coordinator works for the municipality the case left: the new one must assign its own.
  if (fact.type === 'MunicipalityTransferred' && state.status === 'open') {
    const signal: Signal = { name: 'coordinator-left-with-municipality', key: '', at: fact.data.occurredAt };
    for (const rule of reopenedByMove(state, fact, policy)) push(open(state, policy, rule, signal, ctx));
  }

  if (fact.type === 'DueDateUpdated') {
    for (const m of Object.values(state.milestones)) {
      const rule = isActive(m) ? ruleOf(policy, m.rule) : undefined;
      if (!rule) continue;
      const next = reschedule(
        state,
        m,
        policy,
        rule,
        ctx,
        'due-date-updated',
        anchorOf(rule, state, m.anchor, m.openedAt),
      );
      if (next.data.dueAt !== m.dueAt || next.data.ladder.some((s, i) => s.at !== m.ladder[i]?.at)) push(next);
    }
  }

  // Born, or the pregnancy ended: the birth is no longer imminent. A birth-imminent escalation whose
  // time came first still fires; a schedule the moment brought forward goes back to its own times.
  // One that fired stays fired.
  if (fact.type === 'BirthRecorded' || fact.type === 'PregnancyEnded') {
    const at = fact.data.occurredAt;
    const reason = fact.type === 'BirthRecorded' ? 'birth-recorded' : 'pregnancy-ended';
    for (const m of Object.values(state.milestones)) {
      const pending = isActive(m) ? pendingBirthImminent(m) : null;
      const rule = pending && ruleOf(policy, m.rule);
      if (!pending || !rule) continue;
      if (Date.parse(pending.at) <= Date.parse(at) && (pending.applied || m.status === 'paused'))
        for (const e of birthImminentEscalation(m, at)) push(e);
      else if (pending.applied) push(reschedule(state, m, policy, rule, ctx, reason, m.anchor));
    }
  }

  // A milestone opened in the birth-imminent weeks escalates at once: its birth-imminent moment is its anchor.
  for (const opened of [...events]) {
    if (opened.type !== 'MilestoneOpened') continue;
    const m = state.milestones[opened.data.milestone];
    const pending = m && pendingBirthImminent(m);
    if (pending && Date.parse(pending.at) <= Date.parse(opened.data.occurredAt))
      for (const e of birthImminentEscalation(m, opened.data.occurredAt)) push(e);
  }

  // A milestone that opens while contact with her is lost is paused as if it had been open when it was lost.
  if (state.status === 'open' && state.contactLostSince)
    for (const opened of [...events]) {
      if (opened.type !== 'MilestoneOpened') continue;
      const m = state.milestones[opened.data.milestone];
      const rule = m && ruleOf(policy, m.rule);
      const pause = rule && lostContactPause(m, policy, rule, opened.data.occurredAt, ctx.now);
      if (pause) push(pause);
    }
  return { events, state };
}

/** The ladder events of an open or breached milestone's unfired steps due before `at`, in order. */
function overdueLadderEvents(m: Milestone, at: string): CaseEvent[] {
  if (m.status !== 'open' && m.status !== 'breached') return [];
  return ladderEvents(m, (l) => Date.parse(l.at) < Date.parse(at), at);
}

/** The events of a milestone's unfired ladder steps that `due` selects, in the order of their times, fired at `at`. */
export function ladderEvents(
  m: Milestone,
  due: (step: Milestone['ladder'][number]) => boolean,
  at: string,
): CaseEvent[] {
  return m.ladder
    .filter((l) => !l.firedAt && due(l))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .map((l) => {
      const base = { occurredAt: at, milestone: m.id, step: l.step, owner: m.owner, dueAt: m.dueAt };
      if (l.kind === 'warning') return event('MilestoneWarned', base);
      if (l.kind === 'breach') return event('MilestoneBreached', base);
      return event('MilestoneEscalated', {
        ...base,
        level: l.level ?? 1,
        ...(escalatesForBirthImminent(m, l.step) && { reason: 'birth-imminent' as const }),
      });
    });
}

function open(
  state: OpenCase,
  policy: Policy,
  rule: MilestoneRule,
  signal: Signal,
  ctx: EngineContext,
  durationOverride?: string,
): CaseEvent {
  const anchor = anchorOf(rule, state, { signal: signal.name, at: signal.at });
  const schedule = computeSchedule({
    policy,
    rule,
    anchor,
    estimatedDueDate: state.estimatedDueDate,
    pauses: [],
    now: ctx.now,
    durationOverride,
    birthImminentAt: birthImminentAt(state, policy),
  });
  return event('MilestoneOpened', {
    occurredAt: signal.at,
    milestone: `${rule.id}-${(state.milestoneCounts[rule.id] ?? 0) + 1}`,
    rule: rule.id,
    key: signal.key,
    owner: ownerOf(rule, state, signal),
    anchor,
    dueAt: schedule.dueAt,
    ladder: schedule.ladder,
    explanation: schedule.explanation,
  });
}

/** Recomputes a milestone's schedule (same anchor unless given), keeping its pauses. */
export function scheduleOf(
  state: OpenCase,
  m: Milestone,
  policy: Policy,
  rule: MilestoneRule,
  now: Date,
  anchor = m.anchor,
): Schedule {
  const recurring =
    rule.recurrence &&
    Object.values(state.milestones).some(
      (o) => o.rule === rule.id && o.id !== m.id && Date.parse(o.openedAt) <= Date.parse(m.openedAt),
    );
  return computeSchedule({
    policy,
    rule,
    anchor,
    estimatedDueDate: state.estimatedDueDate,
    pauses: m.pauses,
    now,
    durationOverride: recurring ? cadenceFor(rule, state, anchor.at) : undefined,
    birthImminentAt: birthImminentAt(state, policy),
  });
}

function reschedule(
  state: OpenCase,
  m: Milestone,
  policy: Policy,
  rule: MilestoneRule,
  ctx: EngineContext,
  reason: 'due-date-updated' | 'anchor-moved' | 'birth-recorded' | 'pregnancy-ended',
  anchor: Milestone['anchor'],
) {
  const schedule = scheduleOf(state, m, policy, rule, ctx.now, anchor);
  return event('MilestoneRescheduled', {
    occurredAt: ctx.now.toISOString(),
    milestone: m.id,
    reason,
    dueAt: schedule.dueAt,
    ladder: schedule.ladder,
    explanation: { ...schedule.explanation, anchor },
  });
}

/**
 * The anchor of a rule anchored on the due date: that long before it (start of the Copenhagen day),
 * never before the milestone opened, and the birth instead if it came earlier. Other rules keep
 * the anchor they opened with.
 */
export function anchorOf(
  rule: MilestoneRule,
  state: OpenCase,
  opened: Milestone['anchor'],
  openedAt: string = opened.at,
): Milestone['anchor'] {
  if (!rule.anchor) return opened;
  const fromDueDate = beforeDueDate(state.estimatedDueDate, wholeDays(rule.anchor.dueDateMinus));
  const byDueDate = {
    signal: `due-date-minus-${rule.anchor.dueDateMinus}`,
    at: new Date(Math.max(fromDueDate.getTime(), Date.parse(openedAt))).toISOString(),
  };
  if (
    state.birthAt &&
    rule.anchor.unlessEarlier.includes('birth-recorded') &&
    Date.parse(state.birthAt) < Date.parse(byDueDate.at)
  ) {
    return { signal: 'birth-recorded', at: state.birthAt };
  }
  return byDueDate;
}

/**
 * Whether the next instance of a recurring milestone is still due: before the birth always; after
 * it, only if it falls due within the policy's post-birth window (recurrence.stopsAfterBirth), so
 * that network meetings stop recurring then instead of until the case closes.
 */
function withinPostBirthWindow(rule: MilestoneRule, state: OpenCase, next: CaseEvent): boolean {
  const window = rule.recurrence?.stopsAfterBirth;
  if (!state.birthAt || !window || next.type !== 'MilestoneOpened') return true;
  const parsed = parseDuration(window);
  return !parsed || Date.parse(next.data.dueAt) <= addDuration(new Date(state.birthAt), parsed).getTime();
}

/** The interval of a recurring milestone at a moment: the cadence of the gestational week then. */
function cadenceFor(rule: MilestoneRule, state: OpenCase, at: string): string {
  const week = gestationalAge(state.estimatedDueDate, new Date(at)).weeks;
  let every = rule.deadline.duration;
  for (const step of rule.recurrence?.cadence ?? []) if (week >= step.fromWeek) every = step.every;
  return every;
}

function ownerOf(rule: MilestoneRule, state: OpenCase, signal: Signal): string {
  const municipality = municipalityOrganisation(state.municipality);
  switch (rule.owner) {
    case 'referrer':
      return state.registeredBy;
    case 'municipality':
      return municipality;
    case 'clinic':
      return state.clinic ?? clinicForMunicipality(state.municipality) ?? municipality;
    case 'facility':
      return state.admission?.facility ?? state.placement?.facility ?? municipality;
    case 'coordinator':
      return coordinatorOwner(state) ?? municipality;
    case 'recipient':
      return state.handoffs.find((h) => h.id === signal.key)?.to ?? municipality;
    case 'former-municipality': {
      const former = state.formerMunicipalities[state.formerMunicipalities.length - 1];
      return former ? municipalityOrganisation(former) : municipality;
    }
  }
}

/**
 * The organisation the coordinator's obligations belong to: the coordinator's, unless it is a
 * municipality the case moved away from (its obligations went to the new one with the move, and
 * stay there until the new municipality assigns a coordinator of its own).
 */
function coordinatorOwner(state: OpenCase): string | null {
  const organisation = state.coordinator?.organisation ?? null;
  const left = state.formerMunicipalities.some(
    (code) => municipalityOrganisation(code) === organisation && code !== state.municipality,
  );
  return left ? null : organisation;
}
