import type { Actor } from '../case/actor';
import type { CaseCommand } from '../case/case.commands';
import type { CaseEvent } from '../case/case.events';
import { fold, type OpenCase } from '../case/case.state';
import { actors, given, registered } from '../case/testing/given-when-then';
import { defaultPolicy } from '../policy/default-policy';
import { parsePolicy } from '../policy/parse-policy';
import { policyRegistry, type LadderStepSpec, type Policy } from '../policy/policy';
import { birthImminentAt } from './birth-imminent';
import { withMilestoneEvents } from './engine';
import { runTimersUntil, timersOf, timersThatFireIntoNothing } from './testing/timer-worker';

/**
 * The birth-imminent moment in each milestone's schedule (domain.md: from week 37 every open
 * milestone escalates at once). Due 1 March 2027: 37+0 is 8 February 2027, 00:00 CET = 7 February
 * 23:00Z. The policy is the default one except that treatment-start's ladder has no escalation-1, so
 * its schedule gets a `birth-imminent` step; post-birth-plan-1 (anchored 1 February, due 7 February
 * 23:00Z) has its escalation-1 brought forward from 9 February 05:00Z to 37+0.
 */
const NO_ESCALATION_1: LadderStepSpec[] = [
  { step: 'warning', kind: 'warning', fraction: 0.75 },
  { step: 'breach', kind: 'breach' },
  { step: 'escalation-2', kind: 'escalation', level: 2, fraction: 2, atLeastAfterDue: 'PT24H' },
];
const v1: Policy = {
  ...defaultPolicy(),
  milestones: defaultPolicy().milestones.map((r) =>
    r.id === 'treatment-start' ? { ...r, ladder: NO_ESCALATION_1 } : r,
  ),
};
const policies = policyRegistry(v1, [{ ...v1, version: 3 }]);
const IMMINENT = '2027-02-07T23:00:00.000Z';
const at = (iso: string) => new Date(iso);

function play(history: CaseEvent[], command: CaseCommand, when: string, actor: Actor = actors.aalborg): CaseEvent[] {
  const h = history.length ? runTimersUntil(history, at(when), policies) : history;
  return [
    ...h,
    ...given(...h)
      .when(command, actor, at(when), policies)
      .events(),
  ];
}
const registeredCase = withMilestoneEvents(fold([]), [registered()], { now: at('2026-11-23T09:00:00.000Z'), policies });
/** Treatment requested at 36+3: 7 days × 0.5, due 6 February 21:00Z; its birth-imminent step at 37+0. */
const treatment = play(
  registeredCase,
  { type: 'request-treatment', data: { kind: 'drugs' } },
  '2027-02-03T09:00:00.000Z',
);
const state = (h: CaseEvent[]) => fold(h) as OpenCase;
const ladderOf = (h: CaseEvent[], id: string) =>
  state(h).milestones[id].ladder.map((l) => ({ step: l.step, at: l.at, firedAt: l.firedAt }));
const level1 = (h: CaseEvent[]) =>
  h.flatMap((e) =>
    e.type === 'MilestoneEscalated' && e.data.level === 1
      ? [[e.data.milestone, e.data.step, e.data.occurredAt, e.data.reason ?? null]]
      : [],
  );

describe('the birth-imminent moment in the schedule', () => {
  it('given a ladder without escalation-1, then its schedule has a level-1 birth-imminent step at 37+0 and the explanation records it', () => {
    const m = state(treatment).milestones['treatment-start-1'];
    expect(m.ladder.map((l) => [l.step, l.at])).toEqual([
      ['warning', '2027-02-06T00:00:00.000Z'],
      ['breach', '2027-02-06T21:00:00.000Z'],
      ['escalation-2', '2027-02-10T09:00:00.000Z'],
      ['birth-imminent', IMMINENT],
    ]);
    expect(m.explanation.birthImminent).toEqual({ week: 37, at: IMMINENT, step: 'birth-imminent', applied: true });
  });

  it('given the timers run to 37+0, then each milestone escalates once at level 1, with reason birth-imminent where that is why', () => {
    const h = runTimersUntil(treatment, at('2027-02-08T09:00:00.000Z'), policies);
    expect(level1(h).filter(([, , when]) => when === IMMINENT)).toEqual([
      ['post-birth-plan-1', 'escalation-1', IMMINENT, 'birth-imminent'],
      ['treatment-start-1', 'birth-imminent', IMMINENT, 'birth-imminent'],
    ]);
    // The others reached escalation 1 in their own time, long before: no reason.
    expect(level1(h).filter(([, , when]) => when !== IMMINENT)).toEqual([
      ['clinic-referral-1', 'escalation-1', '2026-11-24T07:30:00.000Z', null],
      ['municipality-notification-1', 'escalation-1', '2026-11-24T15:00:00.000Z', null],
      ['coordinator-assignment-1', 'escalation-1', '2026-11-25T06:00:00.000Z', null],
    ]);
  });

  it('given both escalated at 37+0, when the due date moves a week later and the timers run on past the new 37+0, then neither escalates again: the step keeps its firing, at its new time', () => {
    let h = runTimersUntil(treatment, at('2027-02-08T09:00:00.000Z'), policies);
    h = play(h, { type: 'update-due-date', data: { estimatedDueDate: '2027-03-08' } }, '2027-02-09T09:00:00.000Z');
    const rescheduled = h.filter((e) => e.type === 'MilestoneRescheduled').map((e) => e.data.milestone);
    expect(rescheduled).toEqual(expect.arrayContaining(['post-birth-plan-1', 'treatment-start-1']));
    h = runTimersUntil(h, at('2027-02-20T09:00:00.000Z'), policies);
    expect(
      level1(h).filter(([milestone]) => milestone === 'post-birth-plan-1' || milestone === 'treatment-start-1'),
    ).toEqual([
      ['post-birth-plan-1', 'escalation-1', IMMINENT, 'birth-imminent'],
      ['treatment-start-1', 'birth-imminent', IMMINENT, 'birth-imminent'],
    ]);
    expect(ladderOf(h, 'treatment-start-1').find((l) => l.step === 'birth-imminent')).toEqual({
      step: 'birth-imminent',
      at: '2027-02-14T23:00:00.000Z',
      firedAt: IMMINENT,
    });
  });

  it('given a due date moved before 37+0 is reached, then the escalation moves with it and fires once, at the new 37+0', () => {
    let h = play(
      treatment,
      { type: 'update-due-date', data: { estimatedDueDate: '2027-03-08' } },
      '2027-02-04T09:00:00.000Z',
    );
    h = runTimersUntil(h, at('2027-02-20T09:00:00.000Z'), policies);
    expect(level1(h).filter(([milestone]) => milestone === 'treatment-start-1')).toEqual([
      ['treatment-start-1', 'birth-imminent', '2027-02-14T23:00:00.000Z', 'birth-imminent'],
    ]);
  });

  it('given treatment-start paused over 37+0, then it escalates at 37+0 while paused, and its resume keeps the step fired', () => {
    let h = play(
      treatment,
      { type: 'pause-milestone', data: { milestone: 'treatment-start-1', reason: 'in hospital' } },
      '2027-02-04T09:00:00.000Z',
    );
    h = play(h, { type: 'resume-milestone', data: { milestone: 'treatment-start-1' } }, '2027-02-10T09:00:00.000Z');
    expect(level1(h).filter(([milestone]) => milestone === 'treatment-start-1')).toEqual([
      ['treatment-start-1', 'birth-imminent', IMMINENT, 'birth-imminent'],
    ]);
    const resumed = h.find((e) => e.type === 'MilestoneResumed');
    expect(resumed?.data).toMatchObject({ explanation: { birthImminent: { step: 'birth-imminent', applied: true } } });
    expect(ladderOf(h, 'treatment-start-1').find((l) => l.step === 'birth-imminent')).toEqual({
      step: 'birth-imminent',
      at: IMMINENT,
      firedAt: IMMINENT,
    });
    h = runTimersUntil(h, at('2027-02-25T09:00:00.000Z'), policies);
    expect(level1(h).filter(([milestone]) => milestone === 'treatment-start-1')).toHaveLength(1);
  });

  it('given a policy migration before 37+0, then the new schedules carry the moment; after 37+0, the fired steps keep their firing', () => {
    const migrate: CaseCommand = { type: 'migrate-policy', data: { version: 3 } };
    const early = play(treatment, migrate, '2027-02-04T09:00:00.000Z');
    const rescheduled = early.filter((e) => e.type === 'MilestoneRescheduled');
    expect(rescheduled.length).toBeGreaterThan(0);
    expect(rescheduled.every((e) => e.data.explanation.birthImminent?.at === IMMINENT)).toBe(true);
    const escalated = runTimersUntil(early, at('2027-02-08T09:00:00.000Z'), policies);
    expect(
      level1(escalated)
        .filter(([, , when]) => when === IMMINENT)
        .map(([m]) => m),
    ).toEqual(['post-birth-plan-1', 'treatment-start-1']);
    const late = play(
      runTimersUntil(treatment, at('2027-02-08T09:00:00.000Z'), policies),
      migrate,
      '2027-02-09T09:00:00.000Z',
    );
    expect(ladderOf(late, 'treatment-start-1').find((l) => l.step === 'birth-imminent')?.firedAt).toBe(IMMINENT);
    expect(level1(runTimersUntil(late, at('2027-02-20T09:00:00.000Z'), policies))).toEqual(level1(late));
  });

  it('given a milestone opened in week 37 or later with a ladder without escalation-1, then its birth-imminent step falls at its anchor and escalates in the same decision', () => {
    const h = play(
      runTimersUntil(registeredCase, at('2027-02-10T09:00:00.000Z'), policies),
      { type: 'request-treatment', data: { kind: 'drugs' } },
      '2027-02-10T09:00:00.000Z',
    );
    const decided = h.slice(h.findIndex((e) => e.type === 'TreatmentRequested'));
    expect(decided.map((e) => [e.type, (e.data as { step?: string }).step ?? null])).toEqual([
      ['TreatmentRequested', null],
      ['MilestoneOpened', null],
      ['MilestoneEscalated', 'birth-imminent'],
    ]);
    expect(decided[2].data).toMatchObject({
      occurredAt: '2027-02-10T09:00:00.000Z',
      level: 1,
      reason: 'birth-imminent',
    });
    expect(ladderOf(h, 'treatment-start-1').find((l) => l.step === 'birth-imminent')?.at).toBe(
      '2027-02-10T09:00:00.000Z',
    );
  });

  it('given each point of a course through the birth-imminent week (pause, due-date update, migration, resume, birth), then no pending timer fires into nothing', () => {
    let h = play(
      treatment,
      { type: 'pause-milestone', data: { milestone: 'treatment-start-1', reason: 'in hospital' } },
      '2027-02-04T09:00:00.000Z',
    );
    h = play(h, { type: 'update-due-date', data: { estimatedDueDate: '2027-03-03' } }, '2027-02-05T09:00:00.000Z');
    h = play(h, { type: 'migrate-policy', data: { version: 3 } }, '2027-02-10T09:00:00.000Z');
    h = play(h, { type: 'resume-milestone', data: { milestone: 'treatment-start-1' } }, '2027-02-11T09:00:00.000Z');
    h = play(h, { type: 'record-birth', data: {} }, '2027-02-20T09:00:00.000Z', actors.clinicNord);
    h = runTimersUntil(h, at('2027-03-30T09:00:00.000Z'), policies);
    for (let n = registeredCase.length; n <= h.length; n++)
      expect({ n, idle: timersThatFireIntoNothing(h.slice(0, n), policies) }).toEqual({ n, idle: [] });
  });
});

describe('born, or the pregnancy ended, before week 37', () => {
  // Due 20 December 2026: 36+1 at NOW (23 November 2026); 37+0 is 29 November 00:00 CET = 28 November 23:00Z.
  // The network meeting (14 days, not scaled) opens at NOW: escalation-1 at 17.5 days (10 December 21:00Z) comes forward to 37+0.
  const early = withMilestoneEvents(fold([]), [registered({ estimatedDueDate: '2026-12-20' })], {
    now: at('2026-11-23T09:00:00.000Z'),
    policies,
  });
  const coordinated = play(
    early,
    {
      type: 'assign-coordinator',
      data: { coordinator: { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' } },
    },
    '2026-11-23T09:00:00.000Z',
  );

  it('given the network meeting escalates at 37+0, then its explanation says so', () => {
    const m = state(coordinated).milestones['network-meeting-1'];
    expect(m.ladder.find((l) => l.step === 'escalation-1')?.at).toBe('2026-11-28T23:00:00.000Z');
    expect(m.explanation.birthImminent).toMatchObject({ at: '2026-11-28T23:00:00.000Z', applied: true });
  });

  it.each([
    ['the birth', { type: 'record-birth', data: {} } as CaseCommand, 'birth-recorded'],
    [
      'the end of the pregnancy',
      { type: 'record-pregnancy-ended', data: { reason: 'miscarriage' } } as CaseCommand,
      'pregnancy-ended',
    ],
  ])(
    'given %s on 25 November, then the milestones whose escalation-1 the moment brought forward are rescheduled to their own time, and nothing escalates at 37+0',
    (_what, command, reason) => {
      const h = play(coordinated, command, '2026-11-25T09:00:00.000Z', actors.clinicNord);
      const rescheduled = h.filter((e) => e.type === 'MilestoneRescheduled');
      expect(rescheduled.map((e) => [e.data.milestone, e.data.reason])).toContainEqual(['network-meeting-1', reason]);
      expect(rescheduled.every((e) => e.data.explanation.birthImminent === null)).toBe(true);
      expect(state(h).milestones['network-meeting-1'].ladder.find((l) => l.step === 'escalation-1')?.at).toBe(
        '2026-12-10T21:00:00.000Z',
      );
      const later = runTimersUntil(h, at('2026-12-01T09:00:00.000Z'), policies);
      expect(level1(later).filter(([, , , why]) => why === 'birth-imminent')).toEqual([]);
      expect(birthImminentAt(state(h), v1)).toBeNull();
    },
  );

  it('given the birth recorded after 37+0 before the birth-imminent timers ran, then those escalations still fire, in the decision that records the birth', () => {
    const events = given(...treatment)
      .when({ type: 'record-birth', data: {} }, actors.clinicNord, at('2027-02-09T09:00:00.000Z'), policies)
      .events();
    expect(level1(events)).toEqual([
      ['post-birth-plan-1', 'escalation-1', '2027-02-09T09:00:00.000Z', 'birth-imminent'],
      ['treatment-start-1', 'birth-imminent', '2027-02-09T09:00:00.000Z', 'birth-imminent'],
    ]);
  });

  it('given a milestone paused after the birth, then it has no birth-imminent timer: the birth is no longer imminent', () => {
    // clinic-referral-1 (PROP, 1 working day × 0.5, due 23 November 21:00Z): escalation-1 in its own time, 24 November 01:00Z, before 37+0.
    let h = play(coordinated, { type: 'record-birth', data: {} }, '2026-11-23T10:00:00.000Z', actors.clinicNord);
    h = play(
      h,
      { type: 'pause-milestone', data: { milestone: 'clinic-referral-1', reason: 'in hospital' } },
      '2026-11-23T10:30:00.000Z',
      actors.coordinator,
    );
    expect(state(h).milestones['clinic-referral-1'].explanation.birthImminent).toMatchObject({ applied: false });
    expect(
      timersOf(h, policies)
        .filter((t) => t.milestone === 'clinic-referral-1')
        .map((t) => t.kind),
    ).toEqual(['resume']);
    const later = runTimersUntil(h, at('2026-12-01T09:00:00.000Z'), policies);
    expect(level1(later).filter(([milestone, , , why]) => milestone === 'clinic-referral-1' || why)).toEqual([]);
  });

  it('given a birth after the birth-imminent escalation, then the step stays fired, also when a later schedule no longer has it', () => {
    let h = runTimersUntil(treatment, at('2027-02-08T09:00:00.000Z'), policies);
    h = play(h, { type: 'record-birth', data: {} }, '2027-02-10T09:00:00.000Z', actors.clinicNord);
    h = play(h, { type: 'migrate-policy', data: { version: 3 } }, '2027-02-11T09:00:00.000Z');
    const migrated = h
      .filter((e) => e.type === 'MilestoneRescheduled' && e.data.milestone === 'treatment-start-1')
      .pop();
    expect(migrated?.data).toMatchObject({ reason: 'policy-migrated', explanation: { birthImminent: null } });
    expect(migrated?.type === 'MilestoneRescheduled' && migrated.data.ladder.map((l) => l.step)).toEqual([
      'warning',
      'breach',
      'escalation-2',
    ]);
    expect(ladderOf(h, 'treatment-start-1').find((l) => l.step === 'birth-imminent')).toEqual({
      step: 'birth-imminent',
      at: IMMINENT,
      firedAt: IMMINENT,
    });
  });
});

describe('a policy ladder may not name a step birth-imminent', () => {
  it('given a ladder with a birth-imminent step, then the policy is refused, naming the field', () => {
    const doc = JSON.parse(JSON.stringify(defaultPolicy()));
    doc.ladder[2].step = 'birth-imminent';
    const parsed = parsePolicy(doc);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      'ladder[2].step: "birth-imminent" is the step the engine adds at the birth-imminent week to a ladder without escalation-1',
    ]);
  });
});
