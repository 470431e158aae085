import { event } from '../case.events';
import { fold } from '../case.state';
import { AT, PEOPLE, actors, given, registered, withMilestones } from '../testing/given-when-then';

const mia = { id: 'mia', name: 'Name of mia', organisation: 'municipality:851' };
const alice = { id: 'alice', name: 'Name of alice', organisation: 'municipality:851' };
/** An open coordinator assignment (Aalborg's) and clinic referral (the GP's). */
const open = withMilestones(registered());

describe('assign-caseworker and claim-case', () => {
  it('given a case, when Aalborg assigns a person of its directory, then CaseworkerAssigned with her directory name', () => {
    given(registered())
      .when({ type: 'assign-caseworker', data: { person: 'mia', note: 'hers now' } }, actors.coordinator)
      .then([
        event('CaseworkerAssigned', {
          occurredAt: AT,
          caseworker: mia,
          previous: null,
          claimed: false,
          note: 'hers now',
        }),
      ]);
  });

  it('given mia is the caseworker, when alice takes the case, then alice is, and mia was', () => {
    const assigned = event('CaseworkerAssigned', { occurredAt: AT, caseworker: mia, previous: null, claimed: false });
    const g = given(registered(), assigned);
    g.when({ type: 'claim-case', data: {} }, actors.coordinator).then([
      event('CaseworkerAssigned', { occurredAt: AT, caseworker: alice, previous: mia, claimed: true }),
    ]);
    expect(fold(g.when({ type: 'claim-case', data: {} }, actors.coordinator).events(), g.state)).toMatchObject({
      caseworker: alice,
    });
  });

  it('unassigns with null, and refuses to unassign nobody or assign her again', () => {
    const assigned = event('CaseworkerAssigned', { occurredAt: AT, caseworker: mia, previous: null, claimed: false });
    given(registered(), assigned)
      .when({ type: 'assign-caseworker', data: { person: null } }, actors.aalborg)
      .then([event('CaseworkerAssigned', { occurredAt: AT, caseworker: null, previous: mia, claimed: false })]);
    given(registered())
      .when({ type: 'assign-caseworker', data: { person: null } }, actors.aalborg)
      .thenRefused('CASEWORKER_NOT_ASSIGNED');
    given(registered(), assigned)
      .when({ type: 'assign-caseworker', data: { person: 'mia' } }, actors.aalborg)
      .thenRefused('CASEWORKER_ALREADY_ASSIGNED');
  });

  it('refuses a person the municipality’s directory does not know, even one of another organisation', () => {
    given(registered())
      .when({ type: 'assign-caseworker', data: { person: 'nobody' } }, actors.aalborg)
      .thenRefused('PERSON_NOT_IN_ORGANISATION');
    given(registered())
      .when({ type: 'assign-caseworker', data: { person: 'ole' } }, actors.aalborg)
      .thenRefused('PERSON_NOT_IN_ORGANISATION');
    // Without the directory (not looked up), nobody can be assigned.
    given(registered())
      .when({ type: 'claim-case', data: {} }, actors.aalborg, undefined, undefined, [])
      .thenRefused('PERSON_NOT_IN_ORGANISATION');
  });

  it('lets only people of the responsible municipality assign or take the case', () => {
    given(registered())
      .when({ type: 'assign-caseworker', data: { person: 'mia' } }, actors.aarhus)
      .thenRefused('NOT_RESPONSIBLE_MUNICIPALITY', 'forbidden');
    const clinicCoordinator = { id: 'cc', role: 'coordinator' as const, organisation: 'clinic:1081' };
    given(
      registered(),
      event('CoordinatorAssigned', {
        occurredAt: AT,
        coordinator: { ...clinicCoordinator, name: 'C' },
        previous: null,
      }),
    )
      .when({ type: 'claim-case', data: {} }, clinicCoordinator, undefined, undefined, [
        ...PEOPLE,
        { id: 'cc', name: 'C', organisation: 'clinic:1081' },
      ])
      .thenRefused('NOT_RESPONSIBLE_MUNICIPALITY', 'forbidden');
    given(registered())
      .when({ type: 'claim-case', data: {} }, actors.clinicNord)
      .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
  });
});

describe('assign-milestone and claim-milestone', () => {
  it('given Aalborg’s open milestone, when mia takes it, then she is its assignee', () => {
    const g = given(...open);
    const events = g.when({ type: 'claim-milestone', data: { milestone: 'coordinator-assignment-1' } }, actors.aalborg);
    events.then([
      event('MilestoneAssigneeChanged', {
        occurredAt: AT,
        milestone: 'coordinator-assignment-1',
        assignee: mia,
        previous: null,
        claimed: true,
      }),
    ]);
    const taken = fold(events.events(), g.state);
    expect(taken.status === 'open' && taken.milestones['coordinator-assignment-1']?.assignee).toEqual(mia);
  });

  it('assigns a person of the owner, unassigns with null (the milestone has no assignee then)', () => {
    const taken = event('MilestoneAssigneeChanged', {
      occurredAt: AT,
      milestone: 'coordinator-assignment-1',
      assignee: mia,
      previous: null,
      claimed: true,
    });
    given(...open, taken)
      .when(
        { type: 'assign-milestone', data: { milestone: 'coordinator-assignment-1', person: 'alice' } },
        actors.aalborg,
      )
      .then([
        event('MilestoneAssigneeChanged', {
          occurredAt: AT,
          milestone: 'coordinator-assignment-1',
          assignee: alice,
          previous: mia,
          claimed: false,
        }),
      ]);
    const g = given(...open, taken);
    const unassigned = g
      .when({ type: 'assign-milestone', data: { milestone: 'coordinator-assignment-1', person: null } }, actors.aalborg)
      .events();
    const state = fold(unassigned, g.state);
    expect(state.status === 'open' && state.milestones['coordinator-assignment-1']).not.toHaveProperty('assignee');
    given(...open)
      .when({ type: 'assign-milestone', data: { milestone: 'coordinator-assignment-1', person: null } }, actors.aalborg)
      .thenRefused('MILESTONE_NOT_ASSIGNED');
    given(...open, taken)
      .when({ type: 'claim-milestone', data: { milestone: 'coordinator-assignment-1' } }, actors.aalborg)
      .thenRefused('MILESTONE_ALREADY_ASSIGNED');
  });

  it('refuses another organisation than the owner, even the case’s municipality for the GP’s milestone', () => {
    given(...open)
      .when({ type: 'claim-milestone', data: { milestone: 'clinic-referral-1' } }, actors.aalborg)
      .thenRefused('NOT_MILESTONE_OWNER', 'forbidden');
    // A milestone the GP is not shown: refused as a missing one, its owner untold.
    for (const command of [
      { type: 'assign-milestone', data: { milestone: 'coordinator-assignment-1', person: 'dr-hansen' } },
      { type: 'claim-milestone', data: { milestone: 'coordinator-assignment-1' } },
    ] as const) {
      const { decision } = given(...open).when(command, actors.gp);
      expect(decision.ok || decision.error).toMatchObject({
        code: 'MILESTONE_NOT_FOUND',
        message: 'the case has no milestone coordinator-assignment-1',
      });
    }
    // The owner, but a person of another organisation.
    given(...open)
      .when(
        { type: 'assign-milestone', data: { milestone: 'coordinator-assignment-1', person: 'dr-hansen' } },
        actors.aalborg,
      )
      .thenRefused('PERSON_NOT_IN_ORGANISATION');
    given(...open)
      .when({ type: 'claim-milestone', data: { milestone: 'clinic-referral-1' } }, actors.gp)
      .then([
        event('MilestoneAssigneeChanged', {
          occurredAt: AT,
          milestone: 'clinic-referral-1',
          assignee: { id: 'dr-hansen', name: 'Name of dr-hansen', organisation: 'gp:hansen' },
          previous: null,
          claimed: true,
        }),
      ]);
  });

  it('refuses an unknown milestone and one no longer active', () => {
    given(...open)
      .when({ type: 'claim-milestone', data: { milestone: 'no-such-1' } }, actors.aalborg)
      .thenRefused('MILESTONE_NOT_FOUND');
    const met = withMilestones(
      registered(),
      event('CoordinatorAssigned', { occurredAt: AT, coordinator: { ...alice, name: 'A' }, previous: null }),
    );
    given(...met)
      .when({ type: 'claim-milestone', data: { milestone: 'coordinator-assignment-1' } }, actors.aalborg)
      .thenRefused('MILESTONE_NOT_OPEN');
  });
});

describe('when the case moves to another municipality', () => {
  it('ends the former municipality’s caseworker and its people’s milestones, so the new one assigns its own', () => {
    const g = given(
      ...withMilestones(registered()),
      event('CaseworkerAssigned', { occurredAt: AT, caseworker: mia, previous: null, claimed: false }),
      event('MilestoneAssigneeChanged', {
        occurredAt: AT,
        milestone: 'coordinator-assignment-1',
        assignee: mia,
        previous: null,
        claimed: true,
      }),
    );
    const moved = fold(
      g.when({ type: 'transfer-municipality', data: { toMunicipality: '751' } }, actors.aalborg).events(),
      g.state,
    );
    if (moved.status !== 'open') throw new Error('the case is open');
    expect(moved.caseworker).toBeNull();
    const assignment = Object.values(moved.milestones).find((m) => m.rule === 'coordinator-assignment');
    expect(assignment?.owner).toBe('municipality:751');
    expect(assignment).not.toHaveProperty('assignee');
    given(...withMilestones(registered()))
      .when({ type: 'claim-case', data: {} }, actors.aarhus)
      .thenRefused('NOT_RESPONSIBLE_MUNICIPALITY', 'forbidden');
  });
});
