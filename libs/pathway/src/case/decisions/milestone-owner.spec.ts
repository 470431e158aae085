import { event } from '../case.events';
import { AT, given, registered, withMilestones } from '../testing/given-when-then';

const alice = { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' };
/** A coordinator employed by the clinic, which is a party to the case once referred, but not the case's coordinator. */
const clinicCoordinator = { id: 'bent', role: 'coordinator' as const, organisation: 'clinic:1081' };
/** A coordinator employed by Aarhus, with no part in this Aalborg case (the API would not show her the case: decider-level only). */
const foreignCoordinator = { id: 'per', role: 'coordinator' as const, organisation: 'municipality:751' };

describe("only the owner or the case's coordinator acts on a milestone", () => {
  const history = withMilestones(
    registered(),
    event('CoordinatorAssigned', { occurredAt: AT, coordinator: alice, previous: null }),
  );

  it('given an Aalborg case coordinated by Alice, when a coordinator from Aarhus (no part) pauses its coordinator milestone, then it is refused as a missing one', () => {
    given(...history)
      .when({ type: 'pause-milestone', data: { milestone: 'network-meeting-1', reason: 'x' } }, foreignCoordinator)
      .thenRefused('MILESTONE_NOT_FOUND');
  });

  it('given an Aalborg case coordinated by Alice, when a coordinator from Aarhus (no part) waives the post-birth plan, then it is refused as a missing one', () => {
    given(...history)
      .when({ type: 'waive-milestone', data: { milestone: 'post-birth-plan-1', reason: 'x' } }, foreignCoordinator)
      .thenRefused('MILESTONE_NOT_FOUND');
  });

  it("given an Aalborg case referred to clinic 1081 and coordinated by Alice, when a clinic coordinator who is not the case's pauses Aalborg's milestone, then it is forbidden", () => {
    const referred = withMilestones(
      registered(),
      event('CoordinatorAssigned', { occurredAt: AT, coordinator: alice, previous: null }),
      event('ClinicReferralMade', { occurredAt: AT, clinic: 'clinic:1081', handoffId: 'handoff-1' }),
    );
    given(...referred)
      .when({ type: 'pause-milestone', data: { milestone: 'post-birth-plan-1', reason: 'x' } }, clinicCoordinator)
      .thenRefused('NOT_MILESTONE_OWNER', 'forbidden');
  });
});
