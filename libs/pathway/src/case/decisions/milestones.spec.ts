import { pendingTimers } from '../../milestones/timers';
import { defaultPolicy } from '../../policy/default-policy';
import { policyRegistry } from '../../policy/policy';
import type { CaseCommand } from '../case.commands';
import { event, type CaseEvent, type CaseEventData } from '../case.events';
import {
  AT,
  NOW,
  SYSTEM_ACTOR,
  actors,
  after,
  given,
  play,
  registered,
  stateAfter,
  withMilestones,
} from '../testing/given-when-then';

/**
 * The milestone commands: pause, resume, waive, migrate-policy and fire-timer. NOW is Monday
 * 23 November 2026, 10:00 CET (09:00Z); due date 1 March 2027, so she is 26+0 and PROP deadlines are
 * scaled by 0.75. After registration by the GP:
 * - coordinator-assignment-1 (municipality:851, PROP, pausable): 2 working days × 0.75 = 36 h, due 24 Nov 21:00Z;
 *   ladder: warning 27 h (24 Nov 12:00Z), breach, escalation-1 45 h (25 Nov 06:00Z), escalation-2 72 h (26 Nov 09:00Z).
 * - municipality-notification-1 (gp:hansen, LAW): 1 working day, due 24 Nov 09:00Z;
 *   ladder: warning 18 h (24 Nov 03:00Z), breach, escalation-1 30 h (24 Nov 15:00Z), escalation-2 48 h (25 Nov 09:00Z).
 * - clinic-referral-1 (gp:hansen, PROP), post-birth-plan-1 (municipality:851, PROP, due 7 Feb 23:00Z).
 */
const at = (iso: string) => new Date(iso);
const registeredCase = withMilestones(registered());
/** The same case with Alice (actors.coordinator) assigned as its coordinator. */
const coordinated = withMilestones(
  registered(),
  event('CoordinatorAssigned', {
    occurredAt: AT,
    coordinator: { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' },
    previous: null,
  }),
);
const alice = { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' };

const pause = (milestone: string, reason = 'woman unreachable'): CaseCommand => ({
  type: 'pause-milestone',
  data: { milestone, reason },
});
const resume = (milestone: string): CaseCommand => ({ type: 'resume-milestone', data: { milestone } });
const waive = (milestone: string, reason = 'she declines'): CaseCommand => ({
  type: 'waive-milestone',
  data: { milestone, reason },
});
const fire = (timer: string): CaseCommand => ({ type: 'fire-timer', data: { timer } });
const migrate = (version: number): CaseCommand => ({ type: 'migrate-policy', data: { version } });

const kinds = (events: CaseEvent[]) =>
  events.map((e) => [e.type, (e.data as { milestone?: string }).milestone ?? null]);

describe('pause-milestone', () => {
  it('given an open PROP milestone, when its owner pauses it, then it is paused until the whole allowance (P14D) would be used', () => {
    given(...registeredCase)
      .when(pause('coordinator-assignment-1'), actors.aalborg)
      .thenMilestones([
        // NOW + 14 days.
        event('MilestonePaused', {
          occurredAt: AT,
          milestone: 'coordinator-assignment-1',
          reason: 'woman unreachable',
          resumeBy: '2026-12-07T09:00:00.000Z',
        }),
      ]);
  });

  it('given a LAW clock, when anyone pauses it, then it is refused: LEGAL_DEADLINE_NOT_PAUSABLE', () => {
    const notified = withMilestones(registered(), ...after.notified);
    given(...notified)
      .when(pause('notification-assessment-1'), actors.aalborg)
      .thenRefused('LEGAL_DEADLINE_NOT_PAUSABLE');
    given(...coordinated)
      .when(pause('municipality-notification-1'), actors.coordinator)
      .thenRefused('LEGAL_DEADLINE_NOT_PAUSABLE');
  });

  it('given a PROP rule the policy does not let pause (hand-off acceptance), when its owner pauses it, then it is refused: MILESTONE_NOT_PAUSABLE', () => {
    given(...withMilestones(registered(), ...after.notified))
      .when(pause('handoff-acceptance-1'), actors.aalborg)
      .thenRefused('MILESTONE_NOT_PAUSABLE');
  });

  it('given a paused milestone, when it is paused again, then it is refused: MILESTONE_ALREADY_PAUSED', () => {
    const paused = play(registeredCase, pause('coordinator-assignment-1'), actors.aalborg);
    given(...paused)
      .when(pause('coordinator-assignment-1', 'in hospital'), actors.aalborg, at('2026-11-23T12:00:00.000Z'))
      .thenRefused('MILESTONE_ALREADY_PAUSED');
  });

  it('given a met or waived milestone, when it is paused, then it is refused: MILESTONE_NOT_OPEN', () => {
    const met = play(registeredCase, { type: 'assign-coordinator', data: { coordinator: alice } }, actors.aalborg);
    given(...met)
      .when(pause('coordinator-assignment-1'), actors.aalborg)
      .thenRefused('MILESTONE_NOT_OPEN');
    const waived = play(registeredCase, waive('coordinator-assignment-1'), actors.aalborg);
    given(...waived)
      .when(pause('coordinator-assignment-1'), actors.aalborg)
      .thenRefused('MILESTONE_NOT_OPEN');
  });

  it('given a case, when an unknown milestone is paused, then it is refused: MILESTONE_NOT_FOUND', () => {
    given(...registeredCase)
      .when(pause('coordinator-assignment-2'), actors.aalborg)
      .thenRefused('MILESTONE_NOT_FOUND');
  });

  it('given a milestone of Aalborg, when another party that sees it pauses it, then it is forbidden: NOT_MILESTONE_OWNER', () => {
    const referred = withMilestones(
      registered(),
      event('ClinicReferralMade', { occurredAt: AT, clinic: 'clinic:1081', handoffId: 'handoff-1' }),
    );
    given(...referred)
      .when(pause('coordinator-assignment-1'), actors.clinicNord)
      .thenRefused('NOT_MILESTONE_OWNER', 'forbidden');
  });

  it('given a milestone, when an organisation without a part in the case pauses it, then it is refused as a missing one', () => {
    given(...registeredCase)
      .when(pause('coordinator-assignment-1'), actors.clinicNord)
      .thenRefused('MILESTONE_NOT_FOUND');
    given(...registeredCase)
      .when(pause('coordinator-assignment-1'), actors.aarhus)
      .thenRefused('MILESTONE_NOT_FOUND');
  });

  it("given the GP's clinic referral, when the case's coordinator pauses it, then it is paused (the coordinator owns the whole course)", () => {
    const h = play(registeredCase, { type: 'assign-coordinator', data: { coordinator: alice } }, actors.aalborg);
    given(...h)
      .when(pause('clinic-referral-1', 'awaiting consent'), actors.coordinator)
      .thenMilestones([
        event('MilestonePaused', {
          occurredAt: AT,
          milestone: 'clinic-referral-1',
          reason: 'awaiting consent',
          resumeBy: '2026-12-07T09:00:00.000Z',
        }),
      ]);
  });

  it('given a 5-day pause already taken, when paused again a day later, then resumeBy is now + the 9 days left', () => {
    let h = play(registeredCase, pause('coordinator-assignment-1'), actors.aalborg);
    h = play(h, resume('coordinator-assignment-1'), actors.aalborg, at('2026-11-28T09:00:00.000Z'));
    given(...h)
      .when(pause('coordinator-assignment-1', 'in hospital'), actors.aalborg, at('2026-11-29T09:00:00.000Z'))
      // 29 Nov + 9 days.
      .thenMilestones([
        event('MilestonePaused', {
          occurredAt: '2026-11-29T09:00:00.000Z',
          milestone: 'coordinator-assignment-1',
          reason: 'in hospital',
          resumeBy: '2026-12-08T09:00:00.000Z',
        }),
      ]);
  });

  it('given pauses that used the whole P14D allowance (7 + 7 days), when paused again, then it is refused: PAUSE_LIMIT_REACHED', () => {
    let h = play(registeredCase, pause('coordinator-assignment-1'), actors.aalborg);
    h = play(h, resume('coordinator-assignment-1'), actors.aalborg, at('2026-11-30T09:00:00.000Z'));
    h = play(h, pause('coordinator-assignment-1'), actors.aalborg, at('2026-11-30T10:00:00.000Z'));
    h = play(h, resume('coordinator-assignment-1'), actors.aalborg, at('2026-12-07T10:00:00.000Z'));
    given(...h)
      .when(pause('coordinator-assignment-1'), actors.aalborg, at('2026-12-07T11:00:00.000Z'))
      .thenRefused('PAUSE_LIMIT_REACHED');
  });

  it('given a pause resumed by its pause-limit timer, when paused again, then it is refused: PAUSE_LIMIT_REACHED', () => {
    let h = play(registeredCase, pause('coordinator-assignment-1'), actors.aalborg);
    h = play(h, fire('coordinator-assignment-1.resume.g2'), SYSTEM_ACTOR, at('2026-12-07T09:00:00.000Z'));
    given(...h)
      .when(pause('coordinator-assignment-1'), actors.aalborg, at('2026-12-07T10:00:00.000Z'))
      .thenRefused('PAUSE_LIMIT_REACHED');
  });
});

describe('resume-milestone', () => {
  type Resumed = CaseEventData['MilestoneResumed'];
  const resumedIn = (events: CaseEvent[]): Resumed[] =>
    events.flatMap((e) => (e.type === 'MilestoneResumed' ? [e.data] : []));

  it('given a milestone paused for 6 hours, when resumed, then its due time and ladder move 6 hours later and the pause is explained', () => {
    const paused = play(registeredCase, pause('coordinator-assignment-1'), actors.aalborg);
    const events = given(...paused)
      .when(resume('coordinator-assignment-1'), actors.aalborg, at('2026-11-23T15:00:00.000Z'))
      .events();
    expect(kinds(events)).toEqual([['MilestoneResumed', 'coordinator-assignment-1']]);
    const [r] = resumedIn(events);
    expect(r).toMatchObject({
      occurredAt: '2026-11-23T15:00:00.000Z',
      reason: 'command',
      dueAt: '2026-11-25T03:00:00.000Z', // 24 Nov 21:00Z + 6 h
      ladder: [
        { step: 'warning', kind: 'warning', at: '2026-11-24T18:00:00.000Z' }, // 27 h + 6 h
        { step: 'breach', kind: 'breach', at: '2026-11-25T03:00:00.000Z' },
        { step: 'escalation-1', kind: 'escalation', level: 1, at: '2026-11-25T12:00:00.000Z' }, // 45 h + 6 h
        { step: 'escalation-2', kind: 'escalation', level: 2, at: '2026-11-26T15:00:00.000Z' }, // 72 h + 6 h
      ],
    });
    expect(r.explanation).toMatchObject({
      unscaledDueAt: '2026-11-25T09:00:00.000Z',
      scaling: { week: 26, factor: 0.75 },
      pauses: [
        { from: AT, to: '2026-11-23T15:00:00.000Z', reason: 'woman unreachable', resumeBy: '2026-12-07T09:00:00.000Z' },
      ],
      pausedMs: 6 * 3_600_000,
      maxPause: 'P14D',
      dueAt: '2026-11-25T03:00:00.000Z',
    });
    const state = stateAfter(paused, events);
    expect(state.milestones['coordinator-assignment-1']).toMatchObject({
      status: 'open',
      dueAt: '2026-11-25T03:00:00.000Z',
      generation: 3,
    });
  });

  it('given a treatment start paused for 10 days, when resumed, then its due time stops at the legal cap (request + 14 days)', () => {
    const requested = withMilestones(registered(), ...after.treatmentRequested);
    const paused = play(requested, pause('treatment-start-1', 'in hospital'), actors.aalborg);
    const events = given(...paused)
      .when(resume('treatment-start-1'), actors.aalborg, at('2026-12-03T09:00:00.000Z'))
      .events();
    const [r] = resumedIn(events);
    // 7 days × 0.75 = 28 Nov 15:00Z; + 10 days = 8 Dec 15:00Z, beyond NOW + 14 days = 7 Dec 09:00Z.
    expect(r.dueAt).toBe('2026-12-07T09:00:00.000Z');
    expect(r.explanation.legalCap).toEqual({ duration: 'P14D', at: '2026-12-07T09:00:00.000Z', applied: true });
  });

  it('given an open milestone, when it is resumed, then it is refused: MILESTONE_NOT_PAUSED', () => {
    given(...registeredCase)
      .when(resume('coordinator-assignment-1'), actors.aalborg)
      .thenRefused('MILESTONE_NOT_PAUSED');
  });

  it('given a paused milestone of Aalborg, when a clinic without a part resumes it, then it is refused as a missing one', () => {
    const paused = play(registeredCase, pause('coordinator-assignment-1'), actors.aalborg);
    given(...paused)
      .when(resume('coordinator-assignment-1'), actors.clinicNord)
      .thenRefused('MILESTONE_NOT_FOUND');
  });
});

describe('waive-milestone', () => {
  it('given an open PROP milestone, when its owner waives it with a reason, then it is waived (not met)', () => {
    const events = given(...registeredCase)
      .when(waive('coordinator-assignment-1', 'she declines all help'), actors.aalborg)
      .events();
    expect(events).toEqual([
      event('MilestoneWaived', {
        occurredAt: AT,
        milestone: 'coordinator-assignment-1',
        reason: 'she declines all help',
      }),
    ]);
    expect(stateAfter(registeredCase, events).milestones['coordinator-assignment-1']).toMatchObject({
      status: 'waived',
      closedAt: AT,
    });
  });

  it('given a LAW milestone, when it is waived, then it is refused: LEGAL_DEADLINE_NOT_WAIVABLE', () => {
    given(...withMilestones(registered(), ...after.notified))
      .when(waive('notification-assessment-1'), actors.aalborg)
      .thenRefused('LEGAL_DEADLINE_NOT_WAIVABLE');
    given(...coordinated)
      .when(waive('municipality-notification-1'), actors.coordinator)
      .thenRefused('LEGAL_DEADLINE_NOT_WAIVABLE');
  });

  it('given a paused milestone, when it is waived, then its pause is closed at the waiver', () => {
    const paused = play(registeredCase, pause('coordinator-assignment-1'), actors.aalborg);
    const events = given(...paused)
      .when(waive('coordinator-assignment-1'), actors.aalborg, at('2026-11-24T09:00:00.000Z'))
      .events();
    expect(kinds(events)).toEqual([['MilestoneWaived', 'coordinator-assignment-1']]);
    expect(stateAfter(paused, events).milestones['coordinator-assignment-1']).toMatchObject({
      status: 'waived',
      pauses: [
        { from: AT, to: '2026-11-24T09:00:00.000Z', reason: 'woman unreachable', resumeBy: '2026-12-07T09:00:00.000Z' },
      ],
    });
  });

  it('given a met milestone, when it is waived, then it is refused: MILESTONE_NOT_OPEN; by another organisation: forbidden', () => {
    const met = play(registeredCase, { type: 'assign-coordinator', data: { coordinator: alice } }, actors.aalborg);
    given(...met)
      .when(waive('coordinator-assignment-1'), actors.aalborg)
      .thenRefused('MILESTONE_NOT_OPEN');
    given(...registeredCase)
      .when(waive('coordinator-assignment-1'), actors.clinicNord)
      .thenRefused('MILESTONE_NOT_FOUND');
  });
});

describe('migrate-policy', () => {
  // A case registered under the first shipped version, migrated to the second (the default): its
  // changes add rules for closing, births, lost contact and recurrence, and move no deadline.
  const history = play(
    withMilestones(registered({ policy: { name: 'pregnancy-substance-use', version: 1 } })),
    { type: 'assign-coordinator', data: { coordinator: alice } },
    actors.aalborg,
  );
  const rescheduledIn = (events: CaseEvent[]) =>
    events.flatMap((e) => (e.type === 'MilestoneRescheduled' ? [e.data] : []));

  it('given a case under version 1, when migrated to version 2, then PolicyMigrated and every active milestone is rescheduled under version 2', () => {
    const events = given(...history)
      .when(migrate(2), actors.aalborg)
      .events();
    expect(events[0]).toEqual(
      event('PolicyMigrated', {
        occurredAt: AT,
        from: { name: 'pregnancy-substance-use', version: 1 },
        to: { name: 'pregnancy-substance-use', version: 2 },
      }),
    );
    // The met coordinator assignment is not touched; version 2 moves no deadline, so the due times stay.
    expect(rescheduledIn(events).map((r) => [r.milestone, r.reason, r.explanation.policy.version, r.dueAt])).toEqual([
      ['post-birth-plan-1', 'policy-migrated', 2, '2027-02-07T23:00:00.000Z'],
      ['municipality-notification-1', 'policy-migrated', 2, '2026-11-24T09:00:00.000Z'],
      ['clinic-referral-1', 'policy-migrated', 2, '2026-11-24T03:00:00.000Z'],
      ['network-meeting-1', 'policy-migrated', 2, '2026-12-07T09:00:00.000Z'],
    ]);
    expect(events).toHaveLength(5);
    const state = stateAfter(history, events);
    expect(state.policy).toEqual({ name: 'pregnancy-substance-use', version: 2 });
    expect(state.milestones['clinic-referral-1']).toMatchObject({ policy: { version: 2 }, generation: 2 });
    expect(state.milestones['coordinator-assignment-1'].policy.version).toBe(1);
  });

  it('given a migrated case, then new milestones open under the new version', () => {
    const migrated = play(history, migrate(2), actors.aalborg);
    const events = given(...migrated)
      .when({ type: 'refer-to-clinic', data: {} }, actors.gp)
      .events();
    expect(
      events.flatMap((e) =>
        e.type === 'MilestoneOpened' ? [[e.data.milestone, e.data.explanation.policy.version]] : [],
      ),
    ).toEqual([
      ['clinic-first-visit-1', 2],
      ['handoff-acceptance-1', 2],
    ]);
  });

  it('given a case under version 1, when migrated to version 1 (or to 2 twice), then it is refused: POLICY_NOT_NEWER', () => {
    given(...history)
      .when(migrate(1), actors.aalborg)
      .thenRefused('POLICY_NOT_NEWER');
    given(...play(history, migrate(2), actors.aalborg))
      .when(migrate(2), actors.aalborg)
      .thenRefused('POLICY_NOT_NEWER');
  });

  it('given a case, when migrated to a version the engine does not know (9), then it is refused: POLICY_VERSION_UNKNOWN', () => {
    given(...history)
      .when(migrate(9), actors.aalborg)
      .thenRefused('POLICY_VERSION_UNKNOWN');
  });

  it('given a case in Aalborg, when Aarhus or a GP migrates it, then it is forbidden', () => {
    given(...history)
      .when(migrate(2), actors.aarhus)
      .thenRefused('NOT_RESPONSIBLE_MUNICIPALITY', 'forbidden');
    given(...history)
      .when(migrate(2), actors.gp)
      .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
  });

  it('given a version 3 without the clinic-referral rule, when migrated, then that milestone is waived and the others rescheduled', () => {
    const v2 = defaultPolicy();
    const v3 = { ...defaultPolicy(), version: 3, milestones: v2.milestones.filter((m) => m.id !== 'clinic-referral') };
    const policies = policyRegistry(v2, [v3]);
    const events = given(...registeredCase)
      .when(migrate(3), actors.aalborg, NOW, policies)
      .events();
    expect(kinds(events)).toEqual([
      ['PolicyMigrated', null],
      ['MilestoneRescheduled', 'coordinator-assignment-1'],
      ['MilestoneRescheduled', 'post-birth-plan-1'],
      ['MilestoneRescheduled', 'municipality-notification-1'],
      ['MilestoneWaived', 'clinic-referral-1'],
    ]);
    expect(events[4]).toEqual(
      event('MilestoneWaived', {
        occurredAt: AT,
        milestone: 'clinic-referral-1',
        reason: 'no rule clinic-referral in pregnancy-substance-use version 3',
      }),
    );
  });
});

describe('fire-timer', () => {
  it('given an unknown timer id, then nothing happens', () => {
    given(...registeredCase)
      .when(fire('no-such-milestone-1.warning.g1'), SYSTEM_ACTOR, at('2026-11-25T09:00:00.000Z'))
      .thenMilestones([]);
    given(...registeredCase)
      .when(fire('municipality-notification-1.warning.g7'), SYSTEM_ACTOR, at('2026-11-25T09:00:00.000Z'))
      .thenMilestones([]);
  });

  it('given a timer not yet due (a minute early), then nothing happens', () => {
    given(...registeredCase)
      .when(fire('municipality-notification-1.warning.g1'), SYSTEM_ACTOR, at('2026-11-24T02:59:00.000Z'))
      .thenMilestones([]);
  });

  it('given the warning due at 75 % (24 Nov 03:00Z), when it fires, then MilestoneWarned names the owner and the due time', () => {
    given(...registeredCase)
      .when(fire('municipality-notification-1.warning.g1'), SYSTEM_ACTOR, at('2026-11-24T03:00:00.000Z'))
      .thenMilestones([
        event('MilestoneWarned', {
          occurredAt: '2026-11-24T03:00:00.000Z',
          milestone: 'municipality-notification-1',
          step: 'warning',
          owner: 'gp:hansen',
          dueAt: '2026-11-24T09:00:00.000Z',
        }),
      ]);
  });

  it('given each step fired in turn, then breach, escalation 1 and escalation 2 follow, each naming the owner (and the level)', () => {
    const base = { milestone: 'municipality-notification-1', owner: 'gp:hansen', dueAt: '2026-11-24T09:00:00.000Z' };
    let h = play(
      registeredCase,
      fire('municipality-notification-1.warning.g1'),
      SYSTEM_ACTOR,
      at('2026-11-24T03:00:00.000Z'),
    );
    given(...h)
      .when(fire('municipality-notification-1.breach.g1'), SYSTEM_ACTOR, at('2026-11-24T09:00:00.000Z'))
      .thenMilestones([
        event('MilestoneBreached', { occurredAt: '2026-11-24T09:00:00.000Z', step: 'breach', ...base }),
      ]);
    h = play(h, fire('municipality-notification-1.breach.g1'), SYSTEM_ACTOR, at('2026-11-24T09:00:00.000Z'));
    expect(stateAfter(h, []).milestones['municipality-notification-1'].status).toBe('breached');
    given(...h)
      .when(fire('municipality-notification-1.escalation-1.g1'), SYSTEM_ACTOR, at('2026-11-24T15:00:00.000Z'))
      .thenMilestones([
        event('MilestoneEscalated', {
          occurredAt: '2026-11-24T15:00:00.000Z',
          step: 'escalation-1',
          level: 1,
          ...base,
        }),
      ]);
    h = play(h, fire('municipality-notification-1.escalation-1.g1'), SYSTEM_ACTOR, at('2026-11-24T15:00:00.000Z'));
    given(...h)
      .when(fire('municipality-notification-1.escalation-2.g1'), SYSTEM_ACTOR, at('2026-11-25T09:00:00.000Z'))
      .thenMilestones([
        event('MilestoneEscalated', {
          occurredAt: '2026-11-25T09:00:00.000Z',
          step: 'escalation-2',
          level: 2,
          ...base,
        }),
      ]);
  });

  it('given a worker that was down, when the warning timer fires after every step is due, then all steps fire in order in one decision', () => {
    const now = '2026-11-25T10:00:00.000Z';
    const base = {
      occurredAt: now,
      milestone: 'municipality-notification-1',
      owner: 'gp:hansen',
      dueAt: '2026-11-24T09:00:00.000Z',
    };
    given(...registeredCase)
      .when(fire('municipality-notification-1.warning.g1'), SYSTEM_ACTOR, at(now))
      .thenMilestones([
        event('MilestoneWarned', { ...base, step: 'warning' }),
        event('MilestoneBreached', { ...base, step: 'breach' }),
        event('MilestoneEscalated', { ...base, step: 'escalation-1', level: 1 }),
        event('MilestoneEscalated', { ...base, step: 'escalation-2', level: 2 }),
      ]);
  });

  it('given a worker that was down for part of the ladder, then only the steps due fire', () => {
    given(...registeredCase)
      .when(fire('municipality-notification-1.warning.g1'), SYSTEM_ACTOR, at('2026-11-24T10:00:00.000Z'))
      .thenMilestones([
        event('MilestoneWarned', {
          occurredAt: '2026-11-24T10:00:00.000Z',
          milestone: 'municipality-notification-1',
          step: 'warning',
          owner: 'gp:hansen',
          dueAt: '2026-11-24T09:00:00.000Z',
        }),
        event('MilestoneBreached', {
          occurredAt: '2026-11-24T10:00:00.000Z',
          milestone: 'municipality-notification-1',
          step: 'breach',
          owner: 'gp:hansen',
          dueAt: '2026-11-24T09:00:00.000Z',
        }),
      ]);
  });

  it('given the warning already fired, when the same timer fires again (redelivered job), then nothing happens', () => {
    const h = play(
      registeredCase,
      fire('municipality-notification-1.warning.g1'),
      SYSTEM_ACTOR,
      at('2026-11-24T03:00:00.000Z'),
    );
    given(...h)
      .when(fire('municipality-notification-1.warning.g1'), SYSTEM_ACTOR, at('2026-11-24T03:00:05.000Z'))
      .thenMilestones([]);
  });

  it('given the milestone was met, when its timer fires, then nothing happens', () => {
    const met = play(registeredCase, { type: 'assign-coordinator', data: { coordinator: alice } }, actors.aalborg);
    given(...met)
      .when(fire('coordinator-assignment-1.warning.g1'), SYSTEM_ACTOR, at('2026-11-24T12:00:00.000Z'))
      .thenMilestones([]);
    given(...met)
      .when(fire('coordinator-assignment-1.breach.g1'), SYSTEM_ACTOR, at('2026-11-25T12:00:00.000Z'))
      .thenMilestones([]);
  });

  it('given a schedule superseded by a pause and resume (generation 3), when the old timer fires, then nothing happens; the new one fires at its time', () => {
    let h = play(registeredCase, pause('coordinator-assignment-1'), actors.aalborg);
    h = play(h, resume('coordinator-assignment-1'), actors.aalborg, at('2026-11-23T15:00:00.000Z'));
    given(...h)
      .when(fire('coordinator-assignment-1.warning.g1'), SYSTEM_ACTOR, at('2026-11-24T12:00:00.000Z'))
      .thenMilestones([]);
    given(...h)
      .when(fire('coordinator-assignment-1.warning.g3'), SYSTEM_ACTOR, at('2026-11-24T12:00:00.000Z'))
      .thenMilestones([]);
    given(...h)
      .when(fire('coordinator-assignment-1.warning.g3'), SYSTEM_ACTOR, at('2026-11-24T18:00:00.000Z'))
      .thenMilestones([
        event('MilestoneWarned', {
          occurredAt: '2026-11-24T18:00:00.000Z',
          milestone: 'coordinator-assignment-1',
          step: 'warning',
          owner: 'municipality:851',
          dueAt: '2026-11-25T03:00:00.000Z',
        }),
      ]);
  });

  it('given a paused milestone, when its ladder timer fires, then nothing happens (the clock stands still)', () => {
    const paused = play(registeredCase, pause('coordinator-assignment-1'), actors.aalborg);
    given(...paused)
      .when(fire('coordinator-assignment-1.warning.g1'), SYSTEM_ACTOR, at('2026-11-24T12:00:00.000Z'))
      .thenMilestones([]);
    given(...paused)
      .when(fire('coordinator-assignment-1.warning.g2'), SYSTEM_ACTOR, at('2026-11-24T12:00:00.000Z'))
      .thenMilestones([]);
  });

  it("given a paused milestone, when its 'resume' timer fires at resumeBy, then it resumes by itself with reason pause-limit, the whole allowance counted", () => {
    const paused = play(registeredCase, pause('coordinator-assignment-1'), actors.aalborg);
    const events = given(...paused)
      .when(fire('coordinator-assignment-1.resume.g2'), SYSTEM_ACTOR, at('2026-12-07T09:00:00.000Z'))
      .events();
    expect(kinds(events)).toEqual([['MilestoneResumed', 'coordinator-assignment-1']]);
    // 24 Nov 21:00Z + 14 days.
    expect(events[0].data).toMatchObject({
      occurredAt: '2026-12-07T09:00:00.000Z',
      reason: 'pause-limit',
      dueAt: '2026-12-08T21:00:00.000Z',
      explanation: { pausedMs: 14 * 86_400_000 },
    });
  });

  it("given the worker fires the 'resume' timer a day late, then the milestone resumes as of resumeBy", () => {
    const paused = play(registeredCase, pause('coordinator-assignment-1'), actors.aalborg);
    const events = given(...paused)
      .when(fire('coordinator-assignment-1.resume.g2'), SYSTEM_ACTOR, at('2026-12-08T09:00:00.000Z'))
      .events();
    expect(events[0].data).toMatchObject({
      occurredAt: '2026-12-07T09:00:00.000Z',
      reason: 'pause-limit',
      dueAt: '2026-12-08T21:00:00.000Z',
    });
  });

  it("given a pause resumed by command, when the old 'resume' timer fires, then nothing happens", () => {
    let h = play(registeredCase, pause('coordinator-assignment-1'), actors.aalborg);
    h = play(h, resume('coordinator-assignment-1'), actors.aalborg, at('2026-11-24T09:00:00.000Z'));
    given(...h)
      .when(fire('coordinator-assignment-1.resume.g2'), SYSTEM_ACTOR, at('2026-12-07T09:00:00.000Z'))
      .thenMilestones([]);
  });

  describe('the birth-imminent week', () => {
    // Due 1 March 2027: 37+0 is 8 February 2027, 00:00 CET = 7 February 23:00Z. post-birth-plan-1:
    // warning 6 Feb 05:00Z, breach 7 Feb 23:00Z, escalation-1 brought forward from 9 Feb 05:00Z to 37+0.
    const imminent = '2027-02-07T23:00:00.000Z';

    it("given open milestones, when a ladder timer fires at 37+0, then the milestone's escalation-1 fires with reason birth-imminent, with the steps due before it", () => {
      const h = play(
        registeredCase,
        fire('post-birth-plan-1.warning.g1'),
        SYSTEM_ACTOR,
        at('2027-02-06T05:00:00.000Z'),
      );
      given(...h)
        .when(fire('post-birth-plan-1.breach.g1'), SYSTEM_ACTOR, at(imminent))
        .thenMilestones([
          event('MilestoneBreached', {
            occurredAt: imminent,
            milestone: 'post-birth-plan-1',
            step: 'breach',
            owner: 'municipality:851',
            dueAt: imminent,
          }),
          event('MilestoneEscalated', {
            occurredAt: imminent,
            milestone: 'post-birth-plan-1',
            step: 'escalation-1',
            level: 1,
            owner: 'municipality:851',
            dueAt: imminent,
            reason: 'birth-imminent',
          }),
        ]);
    });

    it('given a paused milestone, when its birth-imminent timer fires at 37+0, then it escalates at level 1 (the pause does not stop the birth) and nothing else fires', () => {
      const h = play(
        registeredCase,
        pause('post-birth-plan-1', 'in hospital'),
        actors.aalborg,
        at('2027-02-02T09:00:00.000Z'),
      );
      given(...h)
        .when(fire('post-birth-plan-1.escalation-1.g2'), SYSTEM_ACTOR, at('2027-02-08T08:00:00.000Z'))
        .thenMilestones([
          event('MilestoneEscalated', {
            occurredAt: '2027-02-08T08:00:00.000Z',
            milestone: 'post-birth-plan-1',
            step: 'escalation-1',
            level: 1,
            owner: 'municipality:851',
            dueAt: imminent,
            reason: 'birth-imminent',
          }),
        ]);
    });

    it('given the paused milestone escalated, when it is resumed, then escalation-1 keeps its firing and does not fire again; the steps the pause held back come due', () => {
      let h = play(
        registeredCase,
        pause('post-birth-plan-1', 'in hospital'),
        actors.aalborg,
        at('2027-02-02T09:00:00.000Z'),
      );
      h = play(h, fire('post-birth-plan-1.escalation-1.g2'), SYSTEM_ACTOR, at('2027-02-08T08:00:00.000Z'));
      h = play(h, resume('post-birth-plan-1'), actors.aalborg, at('2027-02-09T09:00:00.000Z'));
      const m = stateAfter(h, []).milestones['post-birth-plan-1'];
      expect(m.ladder.find((l) => l.step === 'escalation-1')).toMatchObject({ firedAt: '2027-02-08T08:00:00.000Z' });
      const events = given(...h)
        .when(fire('post-birth-plan-1.warning.g3'), SYSTEM_ACTOR, at('2027-02-20T09:00:00.000Z'))
        .events();
      // Paused 7 days: warning 13 Feb 05:00Z, breach 14 Feb 23:00Z; escalation-2 at 21 Feb 23:00Z is next.
      expect(events.map((e) => (e.data as { step: string }).step)).toEqual(['warning', 'breach']);
      expect(pendingTimers(stateAfter(h, events), defaultPolicy())).toContainEqual(
        expect.objectContaining({
          milestone: 'post-birth-plan-1',
          step: 'escalation-2',
          fireAt: '2027-02-21T23:00:00.000Z',
        }),
      );
    });

    it('given a case registered now, when the case timer of the old engine (birth-imminent.r0) fires, then nothing happens: the case has none', () => {
      given(...registeredCase)
        .when(fire('birth-imminent.r0'), SYSTEM_ACTOR, at('2027-02-08T08:00:00.000Z'))
        .thenMilestones([]);
    });
  });

  it('given a person rather than the engine, when fire-timer is sent, then it is forbidden', () => {
    given(...registeredCase)
      .when(fire('municipality-notification-1.warning.g1'), actors.aalborg, at('2026-11-24T03:00:00.000Z'))
      .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
  });
});

describe('a referrer and the milestones she owns', () => {
  it('given her open clinic referral (PROP), when the GP pauses it, then it is paused; when she resumes it, then it runs again', () => {
    const paused = play(registeredCase, pause('clinic-referral-1'), actors.gp);
    expect(stateAfter(registeredCase, paused.slice(registeredCase.length)).milestones['clinic-referral-1'].status).toBe(
      'paused',
    );
    expect(
      kinds(
        given(...paused)
          .when(resume('clinic-referral-1'), actors.gp)
          .events(),
      ),
    ).toEqual([['MilestoneResumed', 'clinic-referral-1']]);
  });

  it('given her open clinic referral, when the GP waives it, then it is waived with her reason', () => {
    given(...registeredCase)
      .when(waive('clinic-referral-1', 'the clinic already knows her'), actors.gp)
      .thenMilestones([
        event('MilestoneWaived', {
          occurredAt: AT,
          milestone: 'clinic-referral-1',
          reason: 'the clinic already knows her',
        }),
      ]);
  });

  it('given her duty to notify the municipality (LAW), when the GP pauses or waives it, then it is refused', () => {
    given(...registeredCase)
      .when(pause('municipality-notification-1'), actors.gp)
      .thenRefused('LEGAL_DEADLINE_NOT_PAUSABLE');
    given(...registeredCase)
      .when(waive('municipality-notification-1'), actors.gp)
      .thenRefused('LEGAL_DEADLINE_NOT_WAIVABLE');
  });

  it('given a milestone the GP is not shown, when she pauses, waives or resumes it, then it is refused exactly as a missing one (its existence and owner untold)', () => {
    const missing = given(...registeredCase).when(pause('coordinator-assignment-9'), actors.gp).decision;
    for (const command of [
      pause('coordinator-assignment-1'),
      waive('coordinator-assignment-1'),
      resume('coordinator-assignment-1'),
    ]) {
      const refused = given(...registeredCase).when(command, actors.gp).decision;
      expect(refused.ok).toBe(false);
      if (refused.ok || missing.ok) continue;
      expect(refused.error).toMatchObject({
        code: 'MILESTONE_NOT_FOUND',
        kind: missing.error.kind,
        message: 'the case has no milestone coordinator-assignment-1',
      });
      expect(refused.error.message).not.toContain('municipality:851');
    }
  });
});
