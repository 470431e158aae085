import type { Actor } from '../case/actor';
import type { CaseCommand } from '../case/case.commands';
import { event, type CaseEvent } from '../case/case.events';
import { fold, type OpenCase } from '../case/case.state';
import { decide } from '../case/decide';
import { defaultPolicy } from '../policy/default-policy';
import { policyRegistry, type LadderStepSpec, type Policy } from '../policy/policy';
import { startOfGestationalWeek } from '../time/gestation';
import { isActive, isLegacySchedule } from './milestone';
import { pendingTimers } from './timers';
import recorded from './testing/fixtures/legacy-birth-imminent.events.json';
import folded from './testing/fixtures/legacy-birth-imminent.folded.json';
import { fireAt, runTimersUntil, timersOf, timersThatFireIntoNothing } from './testing/timer-worker';

/**
 * A stream recorded by the engine before the birth-imminent moment was part of schedules (commit
 * 712718e; testing/fixtures/legacy-birth-imminent.*.json): due 1 March 2027, registered at 35+0
 * under a policy whose post-birth-plan and treatment-start ladders have no escalation-1;
 * treatment-start paused before week 37; at 37+0 (7 February 2027, 23:00Z) the old case timer
 * escalated every active milestone; a clinic referral in week 37 escalated at once; then the due
 * date moved to 8 March 2027, treatment-start was resumed, and at the new 37+0 (14 February 23:00Z)
 * the second case timer escalated post-birth-plan and treatment-start again: their made-up
 * birth-imminent steps had been dropped by the reschedule and the resume. (Recorded by the decider
 * alone: a real store's ladder guard, one fired event per milestone and step, would have refused
 * that second escalation and with it the whole firing, so such a case stands stuck just before it,
 * its second timer failing on every attempt.)
 */
const events = recorded.events as CaseEvent[];
const base = defaultPolicy();
const policy: Policy = {
  ...base,
  name: recorded.policy.name,
  version: recorded.policy.version,
  milestones: base.milestones.map((r) =>
    recorded.policy.rulesWithThatLadder.includes(r.id)
      ? { ...r, ladder: recorded.policy.ladderWithoutEscalation1 as LadderStepSpec[] }
      : r,
  ),
};
const policies = policyRegistry(policy);
const at = (iso: string) => new Date(iso);
const state = (history: readonly CaseEvent[]) => fold(history) as OpenCase;
/** The stream up to (not including) its n-th event of a type. */
const before = (type: CaseEvent['type'], n = 1) => {
  const index = events.map((e, i) => (e.type === type ? i : -1)).filter((i) => i >= 0)[n - 1];
  return events.slice(0, index);
};
type Escalation = { milestone: string; step: string; level: number; reason?: string };
const escalations = (history: readonly CaseEvent[]): Escalation[] =>
  history.flatMap((e) =>
    e.type === 'MilestoneEscalated' && e.data.level === 1
      ? [{ milestone: e.data.milestone, step: e.data.step, level: e.data.level, reason: e.data.reason }]
      : [],
  );
const FIRST_IMMINENT = '2027-02-07T23:00:00.000Z';
const SECOND_IMMINENT = '2027-02-14T23:00:00.000Z';

describe('a stream recorded before the birth-imminent moment was part of schedules', () => {
  it('given the recorded events, when they are folded (as rebuild-projections does), then the milestones and alerts are those the old engine folded', () => {
    const s = state(JSON.parse(JSON.stringify(events)) as CaseEvent[]);
    expect(s.milestones).toEqual(folded.milestones);
    expect(s.alerts).toEqual(folded.alerts);
    // The fixture is what it says: legacy schedules, made-up steps, and the second escalation.
    expect(Object.values(s.milestones).every((m) => isLegacySchedule(m.explanation))).toBe(true);
    expect(escalations(events).filter((e) => e.step === 'birth-imminent')).toHaveLength(4);
  });

  it('given each point of the stream, then the timers pending are exactly those the old engine kept, with the same ids and times: the jobs and pending_timers rows it wrote still find theirs, and nothing new appears', () => {
    for (let n = 1; n <= events.length; n++) {
      const s = state(events.slice(0, n));
      const timers = pendingTimers(s, policy);
      const oldCaseTimer =
        s.status === 'open' && !s.birthAt && !s.pregnancyEnded && !s.birthImminentAt
          ? [`birth-imminent.r${s.dueDateRevision}@${startOfGestationalWeek(s.estimatedDueDate, 37).toISOString()}`]
          : [];
      const oldLadderTimers = Object.values(s.milestones).flatMap((m) => {
        if (m.status !== 'open' && m.status !== 'breached') return [];
        const next = m.ladder.filter((l) => !l.firedAt).sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
        return next ? [`${m.id}.${next.step}.g${m.generation}@${next.at}`] : [];
      });
      // Resume and alert re-send timers are computed as they always were.
      const unchanged = timers.filter((t) => t.kind === 'resume' || t.kind === 'alert-resend');
      expect({ n, timers: timers.map((t) => `${t.id}@${t.fireAt}`).sort() }).toEqual({
        n,
        timers: [...oldCaseTimer, ...oldLadderTimers, ...unchanged.map((t) => `${t.id}@${t.fireAt}`)].sort(),
      });
    }
  });

  it('given each point of the stream, then every pending timer, fired at its time, decides something and is spent: none fires into nothing (which the reconciler would reschedule forever)', () => {
    for (let n = 1; n <= events.length; n++) {
      expect({ n, idle: timersThatFireIntoNothing(events.slice(0, n), policies) }).toEqual({ n, idle: [] });
    }
  });

  it('given the case before 37+0, when its old case timer fires at 37+0, then every active milestone gets the birth-imminent moment in its schedule and escalates as the old engine escalated it, the paused one too', () => {
    const history = before('BirthImminent');
    expect(timersOf(history, policies)).toContainEqual({
      id: 'birth-imminent.r0',
      kind: 'birth-imminent',
      fireAt: FIRST_IMMINENT,
    });
    const fired = fireAt(history, 'birth-imminent.r0', at(FIRST_IMMINENT), policies);
    expect(fired[0]).toEqual(event('BirthImminent', { occurredAt: FIRST_IMMINENT, week: 37 }));
    expect(
      fired.filter((e) => e.type === 'MilestoneRescheduled').map((e) => [e.data.milestone, e.data.reason]),
    ).toEqual([
      ['post-birth-plan-1', 'birth-imminent'],
      ['clinic-referral-1', 'birth-imminent'],
      ['network-meeting-1', 'birth-imminent'],
      ['treatment-start-1', 'birth-imminent'],
      ['residential-decision-1', 'birth-imminent'],
    ]);
    const oldEngine = escalations(events.slice(history.length, before('ClinicReferralMade').length));
    expect(escalations(fired)).toEqual(oldEngine);
    expect(oldEngine.map((e) => [e.milestone, e.step, e.reason])).toEqual([
      ['post-birth-plan-1', 'birth-imminent', 'birth-imminent'],
      ['network-meeting-1', 'escalation-1', 'birth-imminent'],
      ['treatment-start-1', 'birth-imminent', 'birth-imminent'],
      ['residential-decision-1', 'escalation-1', 'birth-imminent'],
    ]);
    const s = state([...history, ...fired]);
    expect(Object.values(s.milestones).filter((m) => isActive(m) && isLegacySchedule(m.explanation))).toEqual([]);
    expect(s.milestones['treatment-start-1']).toMatchObject({ status: 'paused' });
    expect(s.milestones['treatment-start-1'].ladder.find((l) => l.step === 'birth-imminent')).toEqual({
      step: 'birth-imminent',
      kind: 'escalation',
      level: 1,
      at: FIRST_IMMINENT,
      firedAt: FIRST_IMMINENT,
    });
    expect(timersOf([...history, ...fired], policies).filter((t) => t.kind === 'birth-imminent')).toEqual([]);
  });

  it('given the case after the old engine moved the due date and resumed treatment-start (both dropped the made-up step), when the second case timer fires, then nothing escalates again', () => {
    const history = before('BirthImminent', 2);
    expect(timersOf(history, policies)).toContainEqual({
      id: 'birth-imminent.r1',
      kind: 'birth-imminent',
      fireAt: SECOND_IMMINENT,
    });
    const fired = fireAt(history, 'birth-imminent.r1', at(SECOND_IMMINENT), policies);
    expect(escalations(fired)).toEqual([]);
    // Nothing that fired fires again: the ladder guard (milestone_ladder_fired_pkey) accepts the append.
    const ladderSteps = (h: readonly CaseEvent[]) =>
      h.flatMap((e) =>
        e.type === 'MilestoneWarned' || e.type === 'MilestoneBreached' || e.type === 'MilestoneEscalated'
          ? [`${e.data.milestone}.${e.data.step}`]
          : [],
      );
    expect(ladderSteps(fired).filter((step) => ladderSteps(history).includes(step))).toEqual([]);
    // The old engine escalated both again at this point.
    expect(
      escalations(events.slice(history.length, before('PostBirthPlanRecorded').length)).map((e) => e.milestone),
    ).toEqual(['post-birth-plan-1', 'treatment-start-1']);
    const s = state([...history, ...fired]);
    for (const id of ['post-birth-plan-1', 'treatment-start-1'])
      expect(s.milestones[id].ladder.find((l) => l.step === 'birth-imminent')).toMatchObject({
        at: SECOND_IMMINENT,
        firedAt: FIRST_IMMINENT,
      });
  });

  it('given a legacy milestone resumed by the new engine before 37+0, then it carries the moment itself; at 37+0 each active milestone escalates once, by the case timer or by its own', () => {
    const history = before('BirthImminent');
    const resumed = [
      ...history,
      ...decideOk(
        history,
        { type: 'resume-milestone', data: { milestone: 'treatment-start-1' } },
        '2027-02-07T12:00:00.000Z',
      ),
    ];
    expect(isLegacySchedule(state(resumed).milestones['treatment-start-1'].explanation)).toBe(false);
    const after37 = runTimersUntil(resumed, at('2027-02-08T08:00:00.000Z'), policies);
    const byMilestone = new Map<string, number>();
    for (const e of escalations(after37)) byMilestone.set(e.milestone, (byMilestone.get(e.milestone) ?? 0) + 1);
    expect(Object.fromEntries(byMilestone)).toEqual({
      'clinic-referral-1': 1, // its own escalation-1 on 26 January
      'handoff-acceptance-1': 1,
      'post-birth-plan-1': 1,
      'network-meeting-1': 1,
      'treatment-start-1': 1,
      'residential-decision-1': 1,
    });
  });

  it('given the course the old engine recorded, when the new engine plays its commands with the timer worker, then every milestone the old engine escalated escalates no later and only once per step', () => {
    const actors: Record<string, Actor> = {
      'dr-hansen': { id: 'dr-hansen', role: 'referrer', organisation: 'gp:hansen' },
      mia: { id: 'mia', role: 'municipality', organisation: 'municipality:851' },
    };
    let h: CaseEvent[] = [];
    for (const c of recorded.commands.filter((c) => c.actor !== 'engine')) {
      if (h.length) h = runTimersUntil(h, at(c.at), policies);
      h = [...h, ...decideOk(h, c.command as CaseCommand, c.at, actors[c.actor])];
    }
    const first = (history: CaseEvent[]) => {
      const out = new Map<string, string>();
      for (const e of history)
        if (e.type === 'MilestoneEscalated' && e.data.level === 1 && !out.has(e.data.milestone))
          out.set(e.data.milestone, e.data.occurredAt);
      return out;
    };
    const old = first(events);
    const now = first(h);
    // The same moments, except that the scaled working-day hand-off now falls within Friday (its
    // last millisecond) instead of at the Saturday midnight: 1 ms earlier (README, "Scaled working days").
    const earlier = new Set(['handoff-acceptance-1']);
    for (const [milestone, at] of old) {
      const moment = now.get(milestone) ?? 'never';
      if (earlier.has(milestone)) expect(new Date(moment).getTime()).toBe(new Date(at).getTime() - 1);
      else expect({ milestone, at: moment }).toEqual({ milestone, at });
    }
    const steps = h.flatMap((e) => (e.type === 'MilestoneEscalated' ? [`${e.data.milestone}.${e.data.step}`] : []));
    expect(steps.length).toBe(new Set(steps).size);
  });
});

function decideOk(history: readonly CaseEvent[], command: CaseCommand, when: string, actor?: Actor): CaseEvent[] {
  const decision = decide(history.length ? fold(history) : fold([]), command, {
    actor: actor ?? { id: 'mia', role: 'municipality', organisation: 'municipality:851' },
    now: at(when),
    policies,
  });
  if (!decision.ok) throw new Error(`${command.type}: ${decision.error.code} ${decision.error.message}`);
  return decision.events;
}
