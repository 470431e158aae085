import type { CaseCommand } from '../case/case.commands';
import { event, type CaseEvent } from '../case/case.events';
import { fold, initialState, type OpenCase } from '../case/case.state';
import { AT, SYSTEM_ACTOR, actors, given, play, registered, withMilestones } from '../case/testing/given-when-then';
import { defaultPolicy } from '../policy/default-policy';
import { birthImminentAt } from './birth-imminent';
import { isActive } from './milestone';
import { pendingTimers, timerChanges, type Timer } from './timers';

/**
 * The timers a case needs, derived from its state alone. NOW is Monday 23 November 2026, 10:00 CET
 * (09:00Z); due date 1 March 2027 (26+0, PROP scaled by 0.75). Warnings fall at 75 % of the allowed
 * time after the anchor:
 * - coordinator-assignment-1: 36 h allowed → warning 27 h = 24 Nov 12:00Z;
 * - post-birth-plan-1: anchored 1 Feb 00:00 CET (31 Jan 23:00Z), 7 days → warning 5.25 days = 6 Feb 05:00Z;
 * - municipality-notification-1: 24 h → warning 18 h = 24 Nov 03:00Z; breach 24 Nov 09:00Z; escalation-1 15:00Z; escalation-2 25 Nov 09:00Z;
 * - clinic-referral-1: 18 h → warning 13.5 h = 23 Nov 22:30Z.
 */
const policy = defaultPolicy();
const at = (iso: string) => new Date(iso);
const alice = { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' };
const registeredCase = withMilestones(registered());

const timersOf = (history: CaseEvent[]): Timer[] => pendingTimers(fold(history), policy);
const idsOf = (history: CaseEvent[]) => timersOf(history).map((t) => t.id);
const timerOf = (history: CaseEvent[], milestone: string) => timersOf(history).filter((t) => t.milestone === milestone);
const fire = (timer: string): CaseCommand => ({ type: 'fire-timer', data: { timer } });
const pause: CaseCommand = {
  type: 'pause-milestone',
  data: { milestone: 'coordinator-assignment-1', reason: 'woman unreachable' },
};
const resume: CaseCommand = { type: 'resume-milestone', data: { milestone: 'coordinator-assignment-1' } };

describe('pendingTimers', () => {
  it('given a registered case, then one timer per open milestone for its first step, and no case timer: the birth-imminent week is in each schedule', () => {
    expect(timersOf(registeredCase)).toEqual([
      {
        id: 'coordinator-assignment-1.warning.g1',
        kind: 'ladder',
        fireAt: '2026-11-24T12:00:00.000Z',
        milestone: 'coordinator-assignment-1',
        step: 'warning',
      },
      {
        id: 'post-birth-plan-1.warning.g1',
        kind: 'ladder',
        fireAt: '2027-02-06T05:00:00.000Z',
        milestone: 'post-birth-plan-1',
        step: 'warning',
      },
      {
        id: 'municipality-notification-1.warning.g1',
        kind: 'ladder',
        fireAt: '2026-11-24T03:00:00.000Z',
        milestone: 'municipality-notification-1',
        step: 'warning',
      },
      {
        id: 'clinic-referral-1.warning.g1',
        kind: 'ladder',
        fireAt: '2026-11-23T22:30:00.000Z',
        milestone: 'clinic-referral-1',
        step: 'warning',
      },
    ]);
  });

  it('given no case, then no timers', () => {
    expect(pendingTimers(initialState, policy)).toEqual([]);
  });

  it('given steps fired one by one, then the timer moves to the next unfired step, a breached milestone keeps its escalation timers, and none is left at the top', () => {
    let h = play(
      registeredCase,
      fire('municipality-notification-1.warning.g1'),
      SYSTEM_ACTOR,
      at('2026-11-24T03:00:00.000Z'),
    );
    expect(timerOf(h, 'municipality-notification-1')).toEqual([
      {
        id: 'municipality-notification-1.breach.g1',
        kind: 'ladder',
        fireAt: '2026-11-24T09:00:00.000Z',
        milestone: 'municipality-notification-1',
        step: 'breach',
      },
    ]);
    h = play(h, fire('municipality-notification-1.breach.g1'), SYSTEM_ACTOR, at('2026-11-24T09:00:00.000Z'));
    expect(fold(h)).toMatchObject({ milestones: { 'municipality-notification-1': { status: 'breached' } } });
    expect(timerOf(h, 'municipality-notification-1')).toEqual([
      {
        id: 'municipality-notification-1.escalation-1.g1',
        kind: 'ladder',
        fireAt: '2026-11-24T15:00:00.000Z',
        milestone: 'municipality-notification-1',
        step: 'escalation-1',
      },
    ]);
    h = play(h, fire('municipality-notification-1.escalation-1.g1'), SYSTEM_ACTOR, at('2026-11-24T15:00:00.000Z'));
    expect(timerOf(h, 'municipality-notification-1').map((t) => [t.id, t.fireAt])).toEqual([
      ['municipality-notification-1.escalation-2.g1', '2026-11-25T09:00:00.000Z'],
    ]);
    h = play(h, fire('municipality-notification-1.escalation-2.g1'), SYSTEM_ACTOR, at('2026-11-25T09:00:00.000Z'));
    expect(timerOf(h, 'municipality-notification-1')).toEqual([]);
  });

  it('given a met milestone, then it has no timer; the network meeting it opened has one (14 days × 75 % = 10.5 days)', () => {
    const h = play(registeredCase, { type: 'assign-coordinator', data: { coordinator: alice } }, actors.aalborg);
    expect(timerOf(h, 'coordinator-assignment-1')).toEqual([]);
    expect(timerOf(h, 'network-meeting-1')).toEqual([
      {
        id: 'network-meeting-1.warning.g1',
        kind: 'ladder',
        fireAt: '2026-12-03T21:00:00.000Z',
        milestone: 'network-meeting-1',
        step: 'warning',
      },
    ]);
  });

  it('given a waived milestone, then it has no timer', () => {
    const h = play(
      registeredCase,
      { type: 'waive-milestone', data: { milestone: 'coordinator-assignment-1', reason: 'she declines' } },
      actors.aalborg,
    );
    expect(timerOf(h, 'coordinator-assignment-1')).toEqual([]);
  });

  it('given a paused milestone whose pause runs out before the birth-imminent week, then it has only its resume timer at resumeBy, with the new generation', () => {
    const h = play(registeredCase, pause, actors.aalborg);
    expect(timerOf(h, 'coordinator-assignment-1')).toEqual([
      {
        id: 'coordinator-assignment-1.resume.g2',
        kind: 'resume',
        fireAt: '2026-12-07T09:00:00.000Z',
        milestone: 'coordinator-assignment-1',
      },
    ]);
  });

  it('given a pause and a resume 6 hours later, then the ladder timer is back with generation 3 and the warning 6 hours later', () => {
    let h = play(registeredCase, pause, actors.aalborg);
    h = play(h, resume, actors.aalborg, at('2026-11-23T15:00:00.000Z'));
    expect(timerOf(h, 'coordinator-assignment-1')).toEqual([
      {
        id: 'coordinator-assignment-1.warning.g3',
        kind: 'ladder',
        fireAt: '2026-11-24T18:00:00.000Z',
        milestone: 'coordinator-assignment-1',
        step: 'warning',
      },
    ]);
  });

  it('given a due date moved into another week band (27 May 2027: 13+4), then the rescheduled milestones get new ids', () => {
    const h = play(
      registeredCase,
      { type: 'update-due-date', data: { estimatedDueDate: '2027-05-27' } },
      actors.clinicNord,
    );
    expect(timersOf(h).map((t) => [t.id, t.fireAt])).toEqual([
      ['coordinator-assignment-1.warning.g2', '2026-11-24T21:00:00.000Z'], // 48 h unscaled × 75 %
      ['post-birth-plan-1.warning.g2', '2027-05-04T04:00:00.000Z'], // 29 Apr 00:00 CEST + 5.25 days
      ['municipality-notification-1.warning.g1', '2026-11-24T03:00:00.000Z'], // LAW: unchanged, same id
      ['clinic-referral-1.warning.g2', '2026-11-24T03:00:00.000Z'], // 24 h unscaled × 75 %
    ]);
    const before = new Set(idsOf(registeredCase));
    expect(idsOf(h).filter((id) => before.has(id))).toEqual(['municipality-notification-1.warning.g1']);
  });

  it("given the birth-imminent week, then the post-birth plan's escalation-1 falls at 37+0 with its breach, fires with it (reason birth-imminent), and the next timer is escalation-2", () => {
    // post-birth-plan-1: warning 6 Feb 05:00Z, breach 7 Feb 23:00Z; escalation-1 at 125 % (9 Feb 05:00Z) comes forward to 37+0, 7 Feb 23:00Z.
    expect(fold(registeredCase)).toMatchObject({
      milestones: {
        'post-birth-plan-1': {
          ladder: [
            { step: 'warning', at: '2027-02-06T05:00:00.000Z' },
            { step: 'breach', at: '2027-02-07T23:00:00.000Z' },
            { step: 'escalation-1', at: '2027-02-07T23:00:00.000Z' },
            { step: 'escalation-2', at: '2027-02-14T23:00:00.000Z' },
          ],
        },
      },
    });
    let h = play(registeredCase, fire('post-birth-plan-1.warning.g1'), SYSTEM_ACTOR, at('2027-02-06T05:00:00.000Z'));
    expect(timerOf(h, 'post-birth-plan-1').map((t) => [t.id, t.fireAt])).toEqual([
      ['post-birth-plan-1.breach.g1', '2027-02-07T23:00:00.000Z'],
    ]);
    const fired = given(...h)
      .when(fire('post-birth-plan-1.breach.g1'), SYSTEM_ACTOR, at('2027-02-07T23:00:00.000Z'))
      .events();
    expect(
      fired.map((e) => [e.type, (e.data as { step: string }).step, (e.data as { reason?: string }).reason]),
    ).toEqual([
      ['MilestoneBreached', 'breach', undefined],
      ['MilestoneEscalated', 'escalation-1', 'birth-imminent'],
    ]);
    h = [...h, ...fired];
    expect(timerOf(h, 'post-birth-plan-1')).toEqual([
      {
        id: 'post-birth-plan-1.escalation-2.g1',
        kind: 'ladder',
        fireAt: '2027-02-14T23:00:00.000Z',
        milestone: 'post-birth-plan-1',
        step: 'escalation-2',
      },
    ]);
  });

  it('given a paused milestone whose pause runs past 37+0, then it also has a timer for its birth-imminent escalation at 37+0, and none once that has fired', () => {
    const paused = play(
      registeredCase,
      { type: 'pause-milestone', data: { milestone: 'post-birth-plan-1', reason: 'in hospital' } },
      actors.aalborg,
      at('2027-02-02T09:00:00.000Z'),
    );
    expect(timerOf(paused, 'post-birth-plan-1')).toEqual([
      {
        id: 'post-birth-plan-1.resume.g2',
        kind: 'resume',
        fireAt: '2027-02-16T09:00:00.000Z',
        milestone: 'post-birth-plan-1',
      },
      {
        id: 'post-birth-plan-1.escalation-1.g2',
        kind: 'ladder',
        fireAt: '2027-02-07T23:00:00.000Z',
        milestone: 'post-birth-plan-1',
        step: 'escalation-1',
      },
    ]);
    const h = play(paused, fire('post-birth-plan-1.escalation-1.g2'), SYSTEM_ACTOR, at('2027-02-07T23:00:00.000Z'));
    expect(timerOf(h, 'post-birth-plan-1').map((t) => t.id)).toEqual(['post-birth-plan-1.resume.g2']);
  });

  it('given a case registered now, then it never has a case-level birth-imminent timer, neither before nor after a due-date update', () => {
    const updated = play(
      registeredCase,
      { type: 'update-due-date', data: { estimatedDueDate: '2027-03-08' } },
      actors.clinicNord,
    );
    for (const h of [registeredCase, updated])
      expect(timersOf(h).filter((t) => t.kind === 'birth-imminent')).toEqual([]);
  });

  it('given the birth or the end of the pregnancy before week 37, then no escalation is left at 37+0: the birth-imminent moment goes from the schedules', () => {
    const imminent = '2027-02-07T23:00:00.000Z';
    const escalationsAtImminent = (h: CaseEvent[]) =>
      Object.values((fold(h) as OpenCase).milestones)
        .filter(isActive)
        .flatMap((m) =>
          m.ladder
            .filter((l) => l.kind === 'escalation' && l.at === imminent && !l.firedAt)
            .map((l) => `${m.id}.${l.step}`),
        );
    expect(escalationsAtImminent(registeredCase)).toEqual(['post-birth-plan-1.escalation-1']);
    const born = play(registeredCase, { type: 'record-birth', data: {} }, actors.clinicNord);
    const ended = play(
      registeredCase,
      { type: 'record-pregnancy-ended', data: { reason: 'miscarriage' } },
      actors.aalborg,
    );
    expect(escalationsAtImminent(born)).toEqual([]);
    expect(escalationsAtImminent(ended)).toEqual([]);
  });

  it('given a closed case, then it has no timers at all', () => {
    const h = play(registeredCase, { type: 'close-case', data: { reason: 'moved-abroad' } }, actors.aalborg);
    expect(timersOf(h)).toEqual([]);
    // Even with a milestone left active in the state (e.g. an old stream), a closed case needs no timer.
    expect(
      pendingTimers(fold([...registeredCase, event('CaseClosed', { occurredAt: AT, reason: 'completed' })]), policy),
    ).toEqual([]);
  });
});

describe('birthImminentAt', () => {
  const state = (estimatedDueDate: string) => fold(withMilestones(registered({ estimatedDueDate }))) as OpenCase;

  it('is the start of the Copenhagen day of 37+0 (the due date − 21 days), in winter and in summer time', () => {
    expect(birthImminentAt(state('2027-03-01'), policy)).toBe('2027-02-07T23:00:00.000Z'); // 8 Feb 00:00 CET
    expect(birthImminentAt(state('2027-05-27'), policy)).toBe('2027-05-05T22:00:00.000Z'); // 6 May 00:00 CEST
  });

  it('is null once she has given birth', () => {
    const born = fold([...withMilestones(registered()), event('BirthRecorded', { occurredAt: AT })]) as OpenCase;
    expect(birthImminentAt(born, policy)).toBeNull();
  });
});

describe('timerChanges', () => {
  it('given a milestone met and another opened, then the old timer is cancelled and the new one scheduled', () => {
    const before = timersOf(registeredCase);
    const after = timersOf(
      play(registeredCase, { type: 'assign-coordinator', data: { coordinator: alice } }, actors.aalborg),
    );
    const changes = timerChanges(before, after);
    expect(changes.schedule.map((t) => t.id)).toEqual(['network-meeting-1.warning.g1']);
    expect(changes.cancel.map((t) => t.id)).toEqual(['coordinator-assignment-1.warning.g1']);
  });

  it('given a pause, then the ladder timer is cancelled and the resume timer scheduled', () => {
    const before = timersOf(registeredCase);
    const changes = timerChanges(before, timersOf(play(registeredCase, pause, actors.aalborg)));
    expect(changes).toEqual({
      schedule: [
        {
          id: 'coordinator-assignment-1.resume.g2',
          kind: 'resume',
          fireAt: '2026-12-07T09:00:00.000Z',
          milestone: 'coordinator-assignment-1',
        },
      ],
      cancel: [
        {
          id: 'coordinator-assignment-1.warning.g1',
          kind: 'ladder',
          fireAt: '2026-11-24T12:00:00.000Z',
          milestone: 'coordinator-assignment-1',
          step: 'warning',
        },
      ],
    });
  });

  it('given nothing changed, then nothing to schedule or cancel; given the case closed, everything is cancelled', () => {
    const timers = timersOf(registeredCase);
    expect(timerChanges(timers, timersOf(registeredCase))).toEqual({ schedule: [], cancel: [] });
    const closed = timersOf(
      play(registeredCase, { type: 'close-case', data: { reason: 'moved-abroad' } }, actors.aalborg),
    );
    expect(timerChanges(timers, closed)).toEqual({ schedule: [], cancel: timers });
  });
});
