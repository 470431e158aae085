import type { CaseCommand, CaseCommandData } from '../case/case.commands';
import { event, type CaseEvent, type CaseEventData } from '../case/case.events';
import { fold } from '../case/case.state';
import {
  AT,
  CASE_ID,
  DUE,
  NOW,
  POLICIES,
  SYSTEM_ACTOR,
  actors,
  after,
  given,
  play,
  registered,
  stateAfter,
  withMilestones,
} from '../case/testing/given-when-then';
import { defaultPolicy } from '../policy/default-policy';
import { isScaled, policyRegistry, ruleOf, type MilestoneRule } from '../policy/policy';

/**
 * The milestone engine as the decider drives it: which facts open, meet, waive and reschedule which
 * milestones, with which owner, key and due time. NOW is Monday 23 November 2026, 10:00 in Copenhagen
 * (09:00Z, CET = UTC+1); with the due date 1 March 2027 she is 26+0 (98 days to go), so PROP
 * deadlines are scaled by 0.75 (weeks 14–27).
 */

const at = (iso: string) => new Date(iso);
const alice = { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' };
const bent = { id: 'bent', name: 'Bent Nielsen', organisation: 'clinic:1081' };
const aliceAssigned = event('CoordinatorAssigned', { occurredAt: AT, coordinator: alice, previous: null });

const registerBody: CaseCommandData['register-concern'] = {
  caseId: CASE_ID,
  reference: 'K7F3QX',
  cprRecorded: false,
  estimatedDueDate: DUE,
  municipality: '851',
  referrer: { kind: 'gp', name: 'Lægehuset Hansen' },
  substances: ['cocaine'],
};

type Opened = CaseEventData['MilestoneOpened'];
const openedIn = (events: CaseEvent[]): Opened[] =>
  events.flatMap((e) => (e.type === 'MilestoneOpened' ? [e.data] : []));
/** The essentials of each milestone opened: id, rule, key, owner, anchor and due time. */
const opened = (events: CaseEvent[]) =>
  openedIn(events).map(({ milestone, rule, key, owner, anchor, dueAt }) => ({
    milestone,
    rule,
    key,
    owner,
    anchor,
    dueAt,
  }));
/** Every milestone event as [type, milestone]. */
const kinds = (events: CaseEvent[]) =>
  events
    .filter((e) => e.type.startsWith('Milestone'))
    .map((e) => [e.type, (e.data as { milestone: string }).milestone]);
const statusOf = (history: CaseEvent[], id: string) => stateAfter(history, []).milestones[id]?.status;

describe('which milestones open on which facts, and whose they are', () => {
  it('given no case, when a GP registers a concern, then notification, clinic referral, coordinator and post-birth plan open; the GP owns the first two', () => {
    const events = given().when({ type: 'register-concern', data: registerBody }, actors.gp).events();
    expect(opened(events)).toEqual([
      // 2 working days = Wednesday 25 Nov 10:00 CET (48 h); × 0.75 = 36 h after NOW.
      {
        milestone: 'coordinator-assignment-1',
        rule: 'coordinator-assignment',
        key: '',
        owner: 'municipality:851',
        anchor: { signal: 'concern-registered', at: AT },
        dueAt: '2026-11-24T21:00:00.000Z',
      },
      // 1 March 2027 − 28 days = 1 February, 00:00 CET; + 7 days (not scaled).
      {
        milestone: 'post-birth-plan-1',
        rule: 'post-birth-plan',
        key: '',
        owner: 'municipality:851',
        anchor: { signal: 'due-date-minus-P28D', at: '2027-01-31T23:00:00.000Z' },
        dueAt: '2027-02-07T23:00:00.000Z',
      },
      // LAW, not scaled: NOW + 1 working day = Tuesday 24 Nov 10:00 CET.
      {
        milestone: 'municipality-notification-1',
        rule: 'municipality-notification',
        key: '',
        owner: 'gp:hansen',
        anchor: { signal: 'concern-registered-not-by-municipality', at: AT },
        dueAt: '2026-11-24T09:00:00.000Z',
      },
      // PROP: 1 working day (24 h) × 0.75 = 18 h after NOW.
      {
        milestone: 'clinic-referral-1',
        rule: 'clinic-referral',
        key: '',
        owner: 'gp:hansen',
        anchor: { signal: 'concern-registered-not-by-clinic', at: AT },
        dueAt: '2026-11-24T03:00:00.000Z',
      },
    ]);
  });

  it('given no case, when the municipality registers a concern itself, then no notification milestone opens, but its assessment does (keyed by the notification)', () => {
    const events = given().when({ type: 'register-concern', data: registerBody }, actors.aalborg).events();
    expect(opened(events).map((m) => [m.milestone, m.key, m.owner])).toEqual([
      ['coordinator-assignment-1', '', 'municipality:851'],
      ['post-birth-plan-1', '', 'municipality:851'],
      ['clinic-referral-1', '', 'municipality:851'],
      ['notification-assessment-1', 'notification-1', 'municipality:851'],
    ]);
    // LAW 24 hours in calendar time: NOW + 24 h.
    expect(opened(events)[3]).toMatchObject({
      anchor: { signal: 'municipality-notified', at: AT },
      dueAt: '2026-11-24T09:00:00.000Z',
    });
    // Not by a professional and nothing handed off: no receipt to confirm, no hand-off to acknowledge.
    expect(opened(events).map((m) => m.rule)).not.toEqual(expect.arrayContaining(['notification-receipt']));
    expect(opened(events).map((m) => m.rule)).not.toEqual(expect.arrayContaining(['handoff-acceptance']));
    expect(opened(events).map((m) => m.rule)).not.toEqual(expect.arrayContaining(['municipality-notification']));
  });

  it('given no case, when a clinic registers a concern, then no clinic referral opens and the clinic owns the notification', () => {
    const events = given().when({ type: 'register-concern', data: registerBody }, actors.clinicNord).events();
    expect(opened(events).map((m) => [m.milestone, m.owner])).toEqual([
      ['coordinator-assignment-1', 'municipality:851'],
      ['post-birth-plan-1', 'municipality:851'],
      ['municipality-notification-1', 'clinic:1081'],
    ]);
  });

  it('given a registered case, when the GP refers to the clinic, then the referral is met and the clinic owns the first visit and the hand-off', () => {
    const events = given(...withMilestones(registered()))
      .when({ type: 'refer-to-clinic', data: {} }, actors.gp)
      .events();
    expect(kinds(events)).toEqual([
      ['MilestoneMet', 'clinic-referral-1'],
      ['MilestoneOpened', 'clinic-first-visit-1'],
      ['MilestoneOpened', 'handoff-acceptance-1'],
    ]);
    expect(events).toContainEqual(
      event('MilestoneMet', {
        occurredAt: AT,
        milestone: 'clinic-referral-1',
        late: false,
        signal: 'clinic-referral-made',
      }),
    );
    expect(opened(events)).toEqual([
      // 7 days × 0.75 = 126 h after NOW.
      {
        milestone: 'clinic-first-visit-1',
        rule: 'clinic-first-visit',
        key: '',
        owner: 'clinic:1081',
        anchor: { signal: 'clinic-referral-made', at: AT },
        dueAt: '2026-11-28T15:00:00.000Z',
      },
      // 1 working day (24 h) × 0.75 = 18 h after NOW.
      {
        milestone: 'handoff-acceptance-1',
        rule: 'handoff-acceptance',
        key: 'handoff-1',
        owner: 'clinic:1081',
        anchor: { signal: 'handoff-sent', at: AT },
        dueAt: '2026-11-24T03:00:00.000Z',
      },
    ]);
  });

  it('given a granted placement, when she consents, then residential admission opens for the facility (and not twice)', () => {
    const history = withMilestones(registered(), ...after.placementGranted);
    const events = given(...history)
      .when({ type: 'record-consent', data: { scope: 'residential', status: 'given' } }, actors.aalborg)
      .events();
    // 7 days × 0.75 = 126 h after NOW; the legal cap (14 days) does not bite.
    expect(opened(events)).toEqual([
      {
        milestone: 'residential-admission-1',
        rule: 'residential-admission',
        key: '',
        owner: 'facility:holmegaardshuset',
        anchor: { signal: 'admission-possible', at: AT },
        dueAt: '2026-11-28T15:00:00.000Z',
      },
    ]);
    const withdrawnAndGiven = play(
      play(
        [...history, ...events],
        { type: 'record-consent', data: { scope: 'residential', status: 'withdrawn' } },
        actors.aalborg,
      ),
      { type: 'record-consent', data: { scope: 'residential', status: 'given' } },
      actors.aalborg,
    );
    expect(
      openedIn(withdrawnAndGiven)
        .filter((m) => m.rule === 'residential-admission')
        .map((m) => m.milestone),
    ).toEqual(['residential-admission-1', 'residential-admission-2']);
  });

  it('given a granted placement, then the retention-contract offer is due by the end of the decision day', () => {
    const history = withMilestones(registered(), ...after.placementGranted);
    expect(opened(history).find((m) => m.rule === 'retention-contract-offer')).toEqual({
      milestone: 'retention-contract-offer-1',
      rule: 'retention-contract-offer',
      key: '',
      owner: 'municipality:851',
      anchor: { signal: 'placement-granted', at: AT },
      // P0D rounded up to the end of Monday 23 November in Copenhagen: 23:59:59.999 CET.
      dueAt: '2026-11-23T22:59:59.999Z',
    });
  });
});

describe('keys: an instance is met only by the fact about the same thing', () => {
  it('given two notifications, when the second is assessed, then only its assessment is met (and both hand-offs, acknowledged by the assessment)', () => {
    const history = play(
      withMilestones(registered(), ...after.notified),
      { type: 'notify-municipality', data: {} },
      actors.shelter,
    );
    expect(
      opened(history)
        .filter((m) => m.rule.startsWith('notification-'))
        .map((m) => [m.milestone, m.key]),
    ).toEqual([
      ['notification-assessment-1', 'notification-1'],
      ['notification-receipt-1', 'notification-1'],
      ['notification-assessment-2', 'notification-2'],
      ['notification-receipt-2', 'notification-2'],
    ]);
    given(...history)
      .when(
        { type: 'assess-notification', data: { notificationId: 'notification-2', outcome: 'support' } },
        actors.aalborg,
      )
      .thenMilestones([
        event('MilestoneMet', {
          occurredAt: AT,
          milestone: 'handoff-acceptance-1',
          late: false,
          signal: 'handoff-acknowledged',
        }),
        event('MilestoneMet', {
          occurredAt: AT,
          milestone: 'handoff-acceptance-2',
          late: false,
          signal: 'handoff-acknowledged',
        }),
        event('MilestoneMet', {
          occurredAt: AT,
          milestone: 'notification-assessment-2',
          late: false,
          signal: 'notification-assessed',
        }),
      ]);
  });

  it('given two notifications, when receipt of the first is confirmed, then only its receipt milestone is met', () => {
    const history = play(
      withMilestones(registered(), ...after.notified),
      { type: 'notify-municipality', data: {} },
      actors.shelter,
    );
    const events = given(...history)
      .when({ type: 'confirm-notification-receipt', data: { notificationId: 'notification-1' } }, actors.aalborg)
      .events();
    expect(kinds(events).filter(([, m]) => m.startsWith('notification-'))).toEqual([
      ['MilestoneMet', 'notification-receipt-1'],
    ]);
    expect(statusOf([...history, ...events], 'notification-receipt-2')).toBe('open');
  });

  it('given hand-offs to the clinic (handoff-1) and a facility (handoff-2), when the facility acknowledges handoff-2, then the instance of handoff-1 stays open', () => {
    const history = withMilestones(
      registered(),
      ...after.referredToClinic,
      event('ResidentialPlacementRequested', { occurredAt: AT }),
      event('ResidentialPlacementGranted', {
        occurredAt: AT,
        facility: 'facility:holmegaardshuset',
        handoffId: 'handoff-2',
      }),
    );
    expect(
      opened(history)
        .filter((m) => m.rule === 'handoff-acceptance')
        .map((m) => [m.milestone, m.key, m.owner]),
    ).toEqual([
      ['handoff-acceptance-1', 'handoff-1', 'clinic:1081'],
      ['handoff-acceptance-2', 'handoff-2', 'facility:holmegaardshuset'],
    ]);
    const when = given(...history).when(
      { type: 'acknowledge-handoff', data: { handoffId: 'handoff-2' } },
      actors.facilityA,
    );
    when.thenMilestones([
      event('MilestoneMet', {
        occurredAt: AT,
        milestone: 'handoff-acceptance-2',
        late: false,
        signal: 'handoff-acknowledged',
      }),
    ]);
    expect(statusOf([...history, ...when.events()], 'handoff-acceptance-1')).toBe('open');
  });
});

describe('meeting a milestone', () => {
  it('given an open coordinator assignment, when a coordinator is assigned in time, then it is met, not late', () => {
    const events = given(...withMilestones(registered()))
      .when({ type: 'assign-coordinator', data: { coordinator: alice } }, actors.aalborg)
      .events();
    // The fact first, then what it causes: the assignment is met, the first network meeting opens.
    expect(events.slice(0, 2)).toEqual([
      aliceAssigned,
      event('MilestoneMet', {
        occurredAt: AT,
        milestone: 'coordinator-assignment-1',
        late: false,
        signal: 'coordinator-assigned',
      }),
    ]);
    expect(kinds(events)).toEqual([
      ['MilestoneMet', 'coordinator-assignment-1'],
      ['MilestoneOpened', 'network-meeting-1'],
    ]);
  });

  it('given an open coordinator assignment due 24 Nov 21:00Z, when the coordinator is assigned on 25 Nov, then it is met late and stays met', () => {
    const later = at('2026-11-25T09:00:00.000Z');
    const events = given(...withMilestones(registered()))
      .when({ type: 'assign-coordinator', data: { coordinator: alice } }, actors.aalborg, later)
      .events();
    expect(events).toContainEqual(
      event('MilestoneMet', {
        occurredAt: '2026-11-25T09:00:00.000Z',
        milestone: 'coordinator-assignment-1',
        late: true,
        signal: 'coordinator-assigned',
      }),
    );
    const state = stateAfter(withMilestones(registered()), events);
    expect(state.milestones['coordinator-assignment-1']).toMatchObject({
      status: 'met',
      late: true,
      closedAt: '2026-11-25T09:00:00.000Z',
    });
  });

  it('given a notification due 24 Nov 09:00Z whose timers have not run yet, when the GP notifies 50 ms after, then its warning and breach are recorded first, then the late met', () => {
    // The breach job runs a few ms after its time; a command may land in between. It must not skip the breach.
    const justLate = at('2026-11-24T09:00:00.050Z');
    const events = given(...withMilestones(registered()))
      .when({ type: 'notify-municipality', data: {} }, actors.gp, justLate)
      .events();
    expect(kinds(events).filter(([, m]) => m === 'municipality-notification-1')).toEqual([
      ['MilestoneWarned', 'municipality-notification-1'],
      ['MilestoneBreached', 'municipality-notification-1'],
      ['MilestoneMet', 'municipality-notification-1'],
    ]);
    expect(events).toContainEqual(
      event('MilestoneBreached', {
        occurredAt: justLate.toISOString(),
        milestone: 'municipality-notification-1',
        step: 'breach',
        owner: 'gp:hansen',
        dueAt: '2026-11-24T09:00:00.000Z',
      }),
    );
    const state = stateAfter(withMilestones(registered()), events);
    expect(state.milestones['municipality-notification-1']).toMatchObject({ status: 'met', late: true });
    // In time, with the warning already fired by its timer: nothing but the met (no second warning, no breach).
    const warned = event('MilestoneWarned', {
      occurredAt: '2026-11-24T03:00:00.000Z',
      milestone: 'municipality-notification-1',
      step: 'warning',
      owner: 'gp:hansen',
      dueAt: '2026-11-24T09:00:00.000Z',
    });
    const onTime = given(...withMilestones(registered()), warned)
      .when({ type: 'notify-municipality', data: {} }, actors.gp, at('2026-11-24T08:59:59.000Z'))
      .events();
    expect(kinds(onTime).filter(([, m]) => m === 'municipality-notification-1')).toEqual([
      ['MilestoneMet', 'municipality-notification-1'],
    ]);
  });

  it("given a GP registration, when the GP notifies the municipality, then the notification milestone is met and the notification's own milestones open", () => {
    const events = given(...withMilestones(registered()))
      .when({ type: 'notify-municipality', data: {} }, actors.gp)
      .events();
    expect(kinds(events)).toEqual([
      ['MilestoneMet', 'municipality-notification-1'],
      ['MilestoneOpened', 'notification-assessment-1'],
      ['MilestoneOpened', 'notification-receipt-1'],
      ['MilestoneOpened', 'handoff-acceptance-1'],
    ]);
    expect(events).toContainEqual(
      event('MilestoneMet', {
        occurredAt: AT,
        milestone: 'municipality-notification-1',
        late: false,
        signal: 'municipality-notified',
      }),
    );
    expect(opened(events)).toEqual([
      // LAW: 24 hours in calendar time.
      {
        milestone: 'notification-assessment-1',
        rule: 'notification-assessment',
        key: 'notification-1',
        owner: 'municipality:851',
        anchor: { signal: 'municipality-notified', at: AT },
        dueAt: '2026-11-24T09:00:00.000Z',
      },
      // LAW: 6 weekdays from Monday = Tuesday 1 December, 10:00 CET.
      {
        milestone: 'notification-receipt-1',
        rule: 'notification-receipt',
        key: 'notification-1',
        owner: 'municipality:851',
        anchor: { signal: 'municipality-notified-by-professional', at: AT },
        dueAt: '2026-12-01T09:00:00.000Z',
      },
      // PROP: 1 working day × 0.75 = 18 h; the receiving municipality owns it.
      {
        milestone: 'handoff-acceptance-1',
        rule: 'handoff-acceptance',
        key: 'handoff-1',
        owner: 'municipality:851',
        anchor: { signal: 'handoff-sent', at: AT },
        dueAt: '2026-11-24T03:00:00.000Z',
      },
    ]);
  });

  it('given two notifications, when the second is made, then the (already met) notification milestone is not met again', () => {
    const history = play(withMilestones(registered()), { type: 'notify-municipality', data: {} }, actors.gp);
    const events = given(...history)
      .when({ type: 'notify-municipality', data: {} }, actors.shelter)
      .events();
    expect(kinds(events).filter(([type]) => type === 'MilestoneMet')).toEqual([]);
  });

  it('given a met milestone, when the fact that meets it happens again, then nothing more happens to it', () => {
    const history = withMilestones(registered(), aliceAssigned);
    const events = given(...history)
      .when({ type: 'assign-coordinator', data: { coordinator: bent } }, actors.aalborg)
      .events();
    expect(kinds(events)).toEqual([]);
  });
});

describe('recurring network meetings', () => {
  const assigned = withMilestones(registered(), aliceAssigned);

  it('given a case, when the first coordinator is assigned, then the first network meeting is due within 14 days, owned by her organisation', () => {
    expect(opened(assigned).filter((m) => m.rule === 'network-meeting')).toEqual([
      // REC, not scaled: NOW + 14 days.
      {
        milestone: 'network-meeting-1',
        rule: 'network-meeting',
        key: '',
        owner: 'municipality:851',
        anchor: { signal: 'coordinator-first-assigned', at: AT },
        dueAt: '2026-12-07T09:00:00.000Z',
      },
    ]);
  });

  it('given a coordinator employed by the clinic, then the clinic owns the network meetings', () => {
    const history = withMilestones(
      registered(),
      event('CoordinatorAssigned', { occurredAt: AT, coordinator: bent, previous: null }),
    );
    expect(opened(history).find((m) => m.rule === 'network-meeting')?.owner).toBe('clinic:1081');
  });

  it('given the first meeting open, when a meeting is held in week 27 (1 Dec), then it is met and the next is due 28 days later', () => {
    const dec1 = at('2026-12-01T09:00:00.000Z'); // 90 days before 1 March: 27+1
    const events = given(...assigned)
      .when({ type: 'record-network-meeting', data: {} }, actors.coordinator, dec1)
      .events();
    expect(kinds(events)).toEqual([
      ['MilestoneMet', 'network-meeting-1'],
      ['MilestoneOpened', 'network-meeting-2'],
    ]);
    expect(events).toContainEqual(
      event('MilestoneMet', {
        occurredAt: '2026-12-01T09:00:00.000Z',
        milestone: 'network-meeting-1',
        late: false,
        signal: 'network-meeting-recorded',
      }),
    );
    expect(opened(events)).toEqual([
      {
        milestone: 'network-meeting-2',
        rule: 'network-meeting',
        key: '',
        owner: 'municipality:851',
        anchor: { signal: 'network-meeting-recorded', at: '2026-12-01T09:00:00.000Z' },
        dueAt: '2026-12-29T09:00:00.000Z',
      },
    ]);
    expect(openedIn(events)[0].explanation).toMatchObject({ duration: 'P28D', scaling: null });
  });

  it('given the first meeting open, when a meeting is held late in week 28 (8 Dec), then it is met late and the next is due 14 days later', () => {
    const dec8 = at('2026-12-08T09:00:00.000Z'); // 83 days before 1 March: 28+1
    const events = given(...assigned)
      .when({ type: 'record-network-meeting', data: {} }, actors.coordinator, dec8)
      .events();
    expect(events).toContainEqual(
      event('MilestoneMet', {
        occurredAt: '2026-12-08T09:00:00.000Z',
        milestone: 'network-meeting-1',
        late: true,
        signal: 'network-meeting-recorded',
      }),
    );
    expect(opened(events).map((m) => [m.milestone, m.dueAt])).toEqual([
      ['network-meeting-2', '2026-12-22T09:00:00.000Z'],
    ]);
    expect(openedIn(events)[0].explanation.duration).toBe('P14D');
  });

  it('given meetings in a row, then each meets the open one and opens the next, switching to 14 days at week 28', () => {
    let history = play(
      assigned,
      { type: 'record-network-meeting', data: {} },
      actors.coordinator,
      at('2026-11-30T09:00:00.000Z'),
    ); // 27+0
    history = play(
      history,
      { type: 'record-network-meeting', data: {} },
      actors.coordinator,
      at('2026-12-14T09:00:00.000Z'),
    ); // 29+0
    const meetings = Object.values(stateAfter(history, []).milestones).filter((m) => m.rule === 'network-meeting');
    expect(meetings.map((m) => [m.id, m.status, m.dueAt])).toEqual([
      ['network-meeting-1', 'met', '2026-12-07T09:00:00.000Z'],
      ['network-meeting-2', 'met', '2026-12-28T09:00:00.000Z'], // 30 Nov + 28 days
      ['network-meeting-3', 'open', '2026-12-28T09:00:00.000Z'], // 14 Dec + 14 days
    ]);
  });

  describe('after the birth, only within the post-birth window (recurrence.stopsAfterBirth, P8W)', () => {
    // Born at NOW (Mon 23 Nov 2026 10:00 CET): the window ends 56 days later, Mon 18 Jan 2027 10:00 CET.
    const born = withMilestones(registered(), aliceAssigned, event('BirthRecorded', { occurredAt: AT }));
    const meetingAt = (iso: string) =>
      given(...born)
        .when({ type: 'record-network-meeting', data: {} }, actors.coordinator, at(iso))
        .events();

    it('given a meeting on 4 Jan, then the next is due 14 days later, 18 Jan 09:00Z: the last day of the window, so it opens', () => {
      expect(opened(meetingAt('2027-01-04T09:00:00.000Z')).map((m) => [m.milestone, m.dueAt])).toEqual([
        ['network-meeting-2', '2027-01-18T09:00:00.000Z'],
      ]);
    });

    it('given a meeting on 5 Jan, then the next would be due after the window: it is met and no next one opens', () => {
      // (The first meeting, due 7 Dec, was late: its ladder fires first.)
      const events = meetingAt('2027-01-05T09:00:00.000Z');
      expect(kinds(events)).toContainEqual(['MilestoneMet', 'network-meeting-1']);
      expect(opened(events)).toEqual([]);
    });
  });

  it('given a coordinator, when another coordinator is assigned, then no second network meeting opens', () => {
    given(...assigned)
      .when({ type: 'assign-coordinator', data: { coordinator: bent } }, actors.aalborg)
      .thenMilestones([]);
  });

  it('given no coordinator, when a meeting is recorded, then nothing opens or is met', () => {
    given(...withMilestones(registered()))
      .when({ type: 'record-network-meeting', data: {} }, actors.clinicNord)
      .thenMilestones([]);
  });
});

describe('waiving by facts', () => {
  it('given open milestones and a met one, when the case is closed, then every open one is waived and the met one is left alone', () => {
    given(...withMilestones(registered(), aliceAssigned))
      // She moved abroad: the only reason that closes over the open legal duty (municipality-notification).
      .when({ type: 'close-case', data: { reason: 'moved-abroad' } }, actors.aalborg)
      .thenMilestones(
        ['post-birth-plan-1', 'municipality-notification-1', 'clinic-referral-1', 'network-meeting-1'].map(
          (milestone) =>
            event('MilestoneWaived', {
              occurredAt: AT,
              milestone,
              reason: 'waived: case-closed (moved-abroad)',
              signal: 'case-closed',
            }),
        ),
      );
  });

  it('given an investigation and a post-birth plan open, when the pregnancy ends, then exactly those two are waived', () => {
    const history = withMilestones(registered(), ...after.notified, ...after.investigating);
    expect(statusOf(history, 'child-welfare-investigation-1')).toBe('open');
    given(...history)
      .when({ type: 'record-pregnancy-ended', data: { reason: 'miscarriage' } }, actors.aalborg)
      .thenMilestones([
        event('MilestoneWaived', {
          occurredAt: AT,
          milestone: 'post-birth-plan-1',
          reason: 'waived: pregnancy-ended',
          signal: 'pregnancy-ended',
        }),
        event('MilestoneWaived', {
          occurredAt: AT,
          milestone: 'child-welfare-investigation-1',
          reason: 'waived: pregnancy-ended',
          signal: 'pregnancy-ended',
        }),
      ]);
  });

  it('given residential admission open, when she withdraws her consent, then the admission milestone is waived', () => {
    const history = withMilestones(registered(), ...after.placementGranted, ...after.residentialConsent);
    expect(statusOf(history, 'residential-admission-1')).toBe('open');
    given(...history)
      .when({ type: 'record-consent', data: { scope: 'residential', status: 'withdrawn' } }, actors.aalborg)
      .thenMilestones([
        event('MilestoneWaived', {
          occurredAt: AT,
          milestone: 'residential-admission-1',
          reason: 'waived: residential-consent-withdrawn',
          signal: 'residential-consent-withdrawn',
        }),
      ]);
  });

  it('given a closed case, then its milestones are met or waived and none is active', () => {
    const history = play(
      withMilestones(registered(), aliceAssigned),
      { type: 'close-case', data: { reason: 'moved-abroad' } },
      actors.aalborg,
    );
    const statuses = Object.values(stateAfter(history, []).milestones).map((m) => m.status);
    expect(new Set(statuses)).toEqual(new Set(['met', 'waived']));
  });
});

describe('the post-birth plan', () => {
  it('in summer time: anchored at 00:00 CEST 28 days before the due date', () => {
    // Due 20 May 2027: 22 April 2027 00:00 CEST = 21 April 22:00Z; + 7 days.
    const history = withMilestones(registered({ estimatedDueDate: '2027-05-20' }));
    expect(opened(history).find((m) => m.rule === 'post-birth-plan')).toMatchObject({
      anchor: { signal: 'due-date-minus-P28D', at: '2027-04-21T22:00:00.000Z' },
      dueAt: '2027-04-28T22:00:00.000Z',
    });
  });

  it('given a case discovered less than 28 days before the due date, then the plan clock starts at registration', () => {
    // Due 13 December 2026: 28 days before is 15 November, already past at NOW.
    const history = withMilestones(registered({ estimatedDueDate: '2026-12-13' }));
    expect(opened(history).find((m) => m.rule === 'post-birth-plan')).toMatchObject({
      anchor: { signal: 'due-date-minus-P28D', at: AT },
      dueAt: '2026-11-30T09:00:00.000Z',
    });
  });

  it('given a plan anchored on 1 February, when she gives birth on 24 November, then the plan is due 7 days after the birth and the birth milestones open', () => {
    const birth = at('2026-11-24T09:00:00.000Z');
    const events = given(...withMilestones(registered()))
      .when({ type: 'record-birth', data: {} }, actors.clinicNord, birth)
      .events();
    expect(kinds(events)).toEqual([
      ['MilestoneRescheduled', 'post-birth-plan-1'],
      ['MilestoneOpened', 'health-visitor-visit-1'],
      ['MilestoneOpened', 'postpartum-check-1'],
    ]);
    const rescheduled = events.find((e) => e.type === 'MilestoneRescheduled') as Extract<
      CaseEvent,
      { type: 'MilestoneRescheduled' }
    >;
    expect(rescheduled.data).toMatchObject({
      milestone: 'post-birth-plan-1',
      reason: 'anchor-moved',
      dueAt: '2026-12-01T09:00:00.000Z', // birth + 7 days
      explanation: {
        anchor: { signal: 'birth-recorded', at: '2026-11-24T09:00:00.000Z' },
        dueAt: '2026-12-01T09:00:00.000Z',
      },
    });
    expect(opened(events)).toEqual([
      // REC, not scaled: birth + 6 days; birth + 8 weeks. The clinic of region Nordjylland (851 Aalborg) owns the check.
      {
        milestone: 'health-visitor-visit-1',
        rule: 'health-visitor-visit',
        key: '',
        owner: 'municipality:851',
        anchor: { signal: 'birth-recorded', at: '2026-11-24T09:00:00.000Z' },
        dueAt: '2026-11-30T09:00:00.000Z',
      },
      {
        milestone: 'postpartum-check-1',
        rule: 'postpartum-check',
        key: '',
        owner: 'clinic:1081',
        anchor: { signal: 'birth-recorded', at: '2026-11-24T09:00:00.000Z' },
        dueAt: '2027-01-19T09:00:00.000Z',
      },
    ]);
  });

  it('given the plan clock already running, when the birth comes after its anchor, then the plan keeps its anchor', () => {
    const history = withMilestones(registered({ estimatedDueDate: '2026-12-13' })); // anchored at NOW
    const events = given(...history)
      .when({ type: 'record-birth', data: {} }, actors.clinicNord, at('2026-11-25T09:00:00.000Z'))
      .events();
    expect(kinds(events)).toEqual([
      ['MilestoneOpened', 'health-visitor-visit-1'],
      ['MilestoneOpened', 'postpartum-check-1'],
    ]);
  });
});

describe('update-due-date reschedules the open milestones that depend on it', () => {
  type Rescheduled = CaseEventData['MilestoneRescheduled'];
  const rescheduled = (events: CaseEvent[]): Rescheduled[] =>
    events.flatMap((e) => (e.type === 'MilestoneRescheduled' ? [e.data] : []));

  it('given the due date moves 4 days later (same week band), then only the post-birth plan moves', () => {
    // 5 March 2027 is 25+3 at NOW: factor still 0.75. Plan: 5 Feb 00:00 CET = 4 Feb 23:00Z, + 7 days.
    const events = given(...withMilestones(registered()))
      .when({ type: 'update-due-date', data: { estimatedDueDate: '2027-03-05' } }, actors.clinicNord)
      .events();
    expect(kinds(events)).toEqual([['MilestoneRescheduled', 'post-birth-plan-1']]);
    expect(rescheduled(events)[0]).toMatchObject({
      occurredAt: AT,
      reason: 'due-date-updated',
      dueAt: '2027-02-11T23:00:00.000Z',
      explanation: {
        anchor: { signal: 'due-date-minus-P28D', at: '2027-02-04T23:00:00.000Z' },
        dueAt: '2027-02-11T23:00:00.000Z',
      },
    });
  });

  it('given the due date moves into an earlier week band (27 May: 13+4, factor 1), then the scaled milestones are rescheduled unscaled and the LAW one is left alone', () => {
    const events = given(...withMilestones(registered()))
      .when({ type: 'update-due-date', data: { estimatedDueDate: '2027-05-27' } }, actors.clinicNord)
      .events();
    expect(rescheduled(events).map((r) => [r.milestone, r.reason, r.dueAt, r.explanation.scaling])).toEqual([
      // 2 working days, unscaled: Wednesday 25 Nov 10:00 CET.
      ['coordinator-assignment-1', 'due-date-updated', '2026-11-25T09:00:00.000Z', { week: 13, factor: 1 }],
      // 27 May − 28 days = 29 April 00:00 CEST = 28 April 22:00Z; + 7 days.
      ['post-birth-plan-1', 'due-date-updated', '2027-05-05T22:00:00.000Z', null],
      // 1 working day, unscaled: Tuesday 24 Nov 10:00 CET.
      ['clinic-referral-1', 'due-date-updated', '2026-11-24T09:00:00.000Z', { week: 13, factor: 1 }],
    ]);
  });

  it('given an investigation "no later than 28 days before the due date", when the due date moves to 15 March, then its deadline moves with it', () => {
    const history = withMilestones(registered(), ...after.notified, ...after.investigating);
    const investigation = openedIn(history).find((m) => m.rule === 'child-welfare-investigation');
    // 4 months from NOW would be 23 March 2027; 28 days before 1 March is 1 February 00:00 CET.
    expect(investigation?.dueAt).toBe('2027-01-31T23:00:00.000Z');
    expect(investigation?.explanation.notLaterThan).toEqual({
      beforeDueDate: 'P28D',
      at: '2027-01-31T23:00:00.000Z',
      applied: true,
    });
    expect(investigation?.explanation.unscaledDueAt).toBe('2027-03-23T09:00:00.000Z');

    // 15 March 2027 is 24+0 at NOW: same week band, so the scaled milestones do not move.
    const events = given(...history)
      .when({ type: 'update-due-date', data: { estimatedDueDate: '2027-03-15' } }, actors.clinicNord)
      .events();
    expect(rescheduled(events).map((r) => [r.milestone, r.dueAt])).toEqual([
      ['post-birth-plan-1', '2027-02-21T23:00:00.000Z'], // 15 Feb 00:00 CET + 7 days
      ['child-welfare-investigation-1', '2027-02-14T23:00:00.000Z'], // 15 Feb 00:00 CET
    ]);
    expect(rescheduled(events)[1].explanation.notLaterThan).toEqual({
      beforeDueDate: 'P28D',
      at: '2027-02-14T23:00:00.000Z',
      applied: true,
    });
  });

  it('given a rescheduled milestone, then its state carries the new schedule and a new generation', () => {
    const history = play(
      withMilestones(registered()),
      { type: 'update-due-date', data: { estimatedDueDate: '2027-05-27' } },
      actors.clinicNord,
    );
    const state = stateAfter(history, []);
    expect(state.milestones['coordinator-assignment-1']).toMatchObject({
      dueAt: '2026-11-25T09:00:00.000Z',
      generation: 2,
    });
    expect(state.milestones['municipality-notification-1']).toMatchObject({
      dueAt: '2026-11-24T09:00:00.000Z',
      generation: 1,
    });
  });
});

describe('from the birth-imminent week every newly opened milestone escalates at once', () => {
  // Due 13 December 2026: 37+1 at NOW; scaling factor 0.5.
  const LATE_DUE = '2026-12-13';
  const imminent = withMilestones(registered({ estimatedDueDate: LATE_DUE }));

  it('given a concern registered at 37+1, then each milestone it opens escalates at once, its escalation-1 at the anchor', () => {
    expect(kinds(imminent)).toEqual([
      ['MilestoneOpened', 'coordinator-assignment-1'],
      ['MilestoneOpened', 'post-birth-plan-1'],
      ['MilestoneOpened', 'municipality-notification-1'],
      ['MilestoneOpened', 'clinic-referral-1'],
      ['MilestoneEscalated', 'coordinator-assignment-1'],
      ['MilestoneEscalated', 'post-birth-plan-1'],
      ['MilestoneEscalated', 'municipality-notification-1'],
      ['MilestoneEscalated', 'clinic-referral-1'],
    ]);
    expect(
      imminent.every(
        (e) =>
          e.type !== 'MilestoneEscalated' ||
          (e.data.occurredAt === AT && e.data.step === 'escalation-1' && e.data.reason === 'birth-imminent'),
      ),
    ).toBe(true);
    expect(openedIn(imminent).map((m) => m.ladder.find((l) => l.step === 'escalation-1')?.at)).toEqual([
      AT,
      AT,
      AT,
      AT,
    ]);
  });

  it('given the birth-imminent week reached, when the GP refers to the clinic, then the new milestones open and escalate at level 1 with reason birth-imminent', () => {
    const events = given(...imminent)
      .when({ type: 'refer-to-clinic', data: {} }, actors.gp)
      .events();
    expect(kinds(events)).toEqual([
      ['MilestoneMet', 'clinic-referral-1'],
      ['MilestoneOpened', 'clinic-first-visit-1'],
      ['MilestoneOpened', 'handoff-acceptance-1'],
      ['MilestoneEscalated', 'clinic-first-visit-1'],
      ['MilestoneEscalated', 'handoff-acceptance-1'],
    ]);
    expect(events.filter((e) => e.type === 'MilestoneEscalated')).toEqual([
      // 7 days × 0.5 = 84 h after NOW.
      event('MilestoneEscalated', {
        occurredAt: AT,
        milestone: 'clinic-first-visit-1',
        step: 'escalation-1',
        level: 1,
        owner: 'clinic:1081',
        dueAt: '2026-11-26T21:00:00.000Z',
        reason: 'birth-imminent',
      }),
      // 1 working day (24 h) × 0.5 = 12 h after NOW.
      event('MilestoneEscalated', {
        occurredAt: AT,
        milestone: 'handoff-acceptance-1',
        step: 'escalation-1',
        level: 1,
        owner: 'clinic:1081',
        dueAt: '2026-11-23T21:00:00.000Z',
        reason: 'birth-imminent',
      }),
    ]);
  });

  it('given the birth-imminent week reached and the birth recorded, when milestones open, then they do not escalate', () => {
    const events = given(...imminent)
      .when({ type: 'record-birth', data: {} }, actors.clinicNord, at('2026-11-25T09:00:00.000Z'))
      .events();
    expect(kinds(events)).toEqual([
      ['MilestoneOpened', 'health-visitor-visit-1'],
      ['MilestoneOpened', 'postpartum-check-1'],
    ]);
  });

  it('before the birth-imminent week, a newly opened milestone does not escalate', () => {
    const events = given(...withMilestones(registered()))
      .when({ type: 'refer-to-clinic', data: {} }, actors.gp)
      .events();
    expect(events.some((e) => e.type === 'MilestoneEscalated')).toBe(false);
  });
});

describe('every deadline is explainable', () => {
  it('given a GP registration, then the clinic referral explains policy, rule, anchor, calendar, scaling, caps, pauses and due time', () => {
    const events = given().when({ type: 'register-concern', data: registerBody }, actors.gp).events();
    expect(openedIn(events).find((m) => m.rule === 'clinic-referral')?.explanation).toEqual({
      policy: { name: 'pregnancy-substance-use', version: 2 },
      rule: 'clinic-referral',
      basis: 'PROP',
      anchor: { signal: 'concern-registered-not-by-clinic', at: AT },
      calendar: 'working-days',
      duration: 'P1D',
      unscaledDueAt: '2026-11-24T09:00:00.000Z', // Tuesday 10:00 CET
      endOfDay: false,
      scaling: { week: 26, factor: 0.75 },
      legalCap: null,
      notLaterThan: null,
      pauses: [],
      pausedMs: 0,
      maxPause: 'P14D',
      // 37+0 is 8 February 2027, 00:00 CET: long after escalation-1.
      birthImminent: { week: 37, at: '2027-02-07T23:00:00.000Z', step: 'escalation-1', applied: false },
      dueAt: '2026-11-24T03:00:00.000Z', // 18 h after NOW
    });
  });

  it('given a treatment request, then its explanation shows the legal cap (14 days) not applied to 7 days × 0.75', () => {
    const events = given(...withMilestones(registered()))
      .when({ type: 'request-treatment', data: { kind: 'drugs' } }, actors.aalborg)
      .events();
    expect(openedIn(events)).toHaveLength(1);
    expect(openedIn(events)[0]).toMatchObject({
      milestone: 'treatment-start-1',
      owner: 'municipality:851',
      dueAt: '2026-11-28T15:00:00.000Z',
      explanation: {
        scaling: { week: 26, factor: 0.75 },
        legalCap: { duration: 'P14D', at: '2026-12-07T09:00:00.000Z', applied: false },
        maxPause: 'P14D',
      },
    });
  });

  it('given a LAW milestone, then its explanation has no scaling and no pause allowance', () => {
    const history = withMilestones(registered(), ...after.notified);
    expect(openedIn(history).find((m) => m.rule === 'notification-assessment')?.explanation).toMatchObject({
      basis: 'LAW',
      calendar: 'calendar',
      duration: 'PT24H',
      scaling: null,
      maxPause: null,
      dueAt: '2026-11-24T09:00:00.000Z',
    });
  });

  it('along a whole course, every MilestoneOpened carries an explanation consistent with the event and the rule', () => {
    let h = withMilestones(registered());
    const steps: [Parameters<typeof play>[1], Parameters<typeof play>[2], string][] = [
      [{ type: 'assign-coordinator', data: { coordinator: alice } }, actors.aalborg, '2026-11-23T10:00:00.000Z'],
      [{ type: 'refer-to-clinic', data: {} }, actors.gp, '2026-11-23T11:00:00.000Z'],
      [{ type: 'notify-municipality', data: {} }, actors.gp, '2026-11-23T12:00:00.000Z'],
      [{ type: 'assess-notification', data: { outcome: 'investigate' } }, actors.aalborg, '2026-11-24T08:00:00.000Z'],
      [{ type: 'request-treatment', data: { kind: 'drugs' } }, actors.clinicNord, '2026-11-24T09:00:00.000Z'],
      [{ type: 'request-residential-placement', data: {} }, actors.coordinator, '2026-11-25T09:00:00.000Z'],
      [
        { type: 'decide-residential-placement', data: { decision: 'granted', facility: 'facility:holmegaardshuset' } },
        actors.aalborg,
        '2026-11-26T09:00:00.000Z',
      ],
      [
        { type: 'record-consent', data: { scope: 'residential', status: 'given' } },
        actors.aalborg,
        '2026-11-26T10:00:00.000Z',
      ],
      [{ type: 'offer-retention-contract', data: { outcome: 'signed' } }, actors.aalborg, '2026-11-26T11:00:00.000Z'],
      [{ type: 'admit-to-residential', data: {} }, actors.facilityA, '2026-11-30T09:00:00.000Z'],
      [{ type: 'start-retention-episode', data: {} }, actors.facilityA, '2026-12-02T09:00:00.000Z'],
      [{ type: 'record-network-meeting', data: {} }, actors.coordinator, '2026-12-03T09:00:00.000Z'],
      [{ type: 'transfer-municipality', data: { toMunicipality: '751' } }, actors.aalborg, '2026-12-04T09:00:00.000Z'],
      [{ type: 'record-birth', data: {} }, actors.facilityA, '2027-02-20T09:00:00.000Z'],
    ];
    for (const [command, actor, when] of steps) h = play(h, command, actor, at(when));
    const policy = defaultPolicy();
    const all = openedIn(h);
    // All 19 rules of the default policy open somewhere along this course.
    expect(new Set(all.map((m) => m.rule)).size).toBe(19);
    for (const m of all) {
      const rule = ruleOf(policy, m.rule) as MilestoneRule;
      expect({ milestone: m.milestone, ...m.explanation }).toMatchObject({
        milestone: m.milestone,
        policy: { name: 'pregnancy-substance-use', version: 2 },
        rule: m.rule,
        basis: rule.basis,
        anchor: m.anchor,
        calendar: rule.deadline.calendar,
        legalCap: rule.legalCap ? expect.objectContaining({ duration: rule.legalCap }) : null,
        pauses: [],
        pausedMs: 0,
        dueAt: m.dueAt,
      });
      if (isScaled(policy, rule))
        expect(m.explanation.scaling).toEqual({ week: expect.any(Number), factor: expect.any(Number) });
      else expect(m.explanation.scaling).toBeNull();
      expect(m.ladder.find((l) => l.kind === 'breach')?.at).toBe(m.dueAt);
    }
    // The move to Aarhus: the former municipality owns the handover.
    expect(all.find((m) => m.rule === 'move-handover')).toMatchObject({ owner: 'municipality:851', key: 'handoff-4' });
  });
});

describe('the policy a case runs under', () => {
  const v2 = defaultPolicy();
  const v3 = { ...defaultPolicy(), version: 3 };
  const v3Active = policyRegistry(v3, [v2]);

  it('given version 3 is active, when a concern is registered, then the case and its milestones run under version 3', () => {
    const events = given().when({ type: 'register-concern', data: registerBody }, actors.gp, NOW, v3Active).events();
    expect(events[0]).toMatchObject({
      type: 'ConcernRegistered',
      data: { policy: { name: 'pregnancy-substance-use', version: 3 } },
    });
    expect(openedIn(events).map((m) => m.explanation.policy.version)).toEqual([3, 3, 3, 3]);
  });

  it('given a case started under version 2, when version 3 becomes active, then its new milestones still open under version 2', () => {
    const history = withMilestones(registered());
    const events = given(...history)
      .when({ type: 'refer-to-clinic', data: {} }, actors.gp, NOW, v3Active)
      .events();
    expect(openedIn(events).map((m) => [m.milestone, m.explanation.policy.version])).toEqual([
      ['clinic-first-visit-1', 2],
      ['handoff-acceptance-1', 2],
    ]);
    expect(fold(history)).toMatchObject({ policy: { version: 2 } });
  });

  it('given a case under a version the engine does not know, when anything is decided for it or its milestones, then it is refused: POLICY_VERSION_UNKNOWN, naming the version', () => {
    const onlyV3 = policyRegistry(v3);
    const history = withMilestones(registered());
    const commands: CaseCommand[] = [
      { type: 'refer-to-clinic', data: {} },
      { type: 'pause-milestone', data: { milestone: 'coordinator-assignment-1', reason: 'in hospital' } },
      { type: 'fire-timer', data: { timer: 'coordinator-assignment-1.warning.g1' } },
    ];
    for (const command of commands) {
      const decision = given(...history).when(
        command,
        command.type === 'fire-timer' ? SYSTEM_ACTOR : actors.aalborg,
        NOW,
        onlyV3,
      ).decision;
      expect(decision).toMatchObject({
        ok: false,
        error: { code: 'POLICY_VERSION_UNKNOWN', message: 'policy pregnancy-substance-use version 2 is not loaded' },
      });
    }
  });

  it('given the POLICIES of the specs, then the default policy (version 2) is active, version 1 and a version 3 are known', () => {
    expect(POLICIES.active.version).toBe(2);
    expect(POLICIES.get({ name: 'pregnancy-substance-use', version: 1 })?.version).toBe(1);
    expect(POLICIES.get({ name: 'pregnancy-substance-use', version: 3 })?.version).toBe(3);
    expect(DUE).toBe('2027-03-01');
  });
});
