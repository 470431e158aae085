import { event } from '../case.events';
import { AT, actors, given, registered } from '../testing/given-when-then';

const alice = { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' };
const aliceAssigned = event('CoordinatorAssigned', { occurredAt: AT, coordinator: alice, previous: null });
/** A coordinator employed by Aarhus, not assigned to this Aalborg case. */
const foreignCoordinator = { id: 'per', role: 'coordinator' as const, organisation: 'municipality:751' };
/** A coordinator employed by Aalborg, not assigned to the case. */
const colleague = { id: 'bent', role: 'coordinator' as const, organisation: 'municipality:851' };
const movedToAarhus = event('MunicipalityTransferred', {
  occurredAt: AT,
  from: '851',
  to: '751',
  handoffId: 'handoff-1',
});

describe('coordinator authority over municipal decisions', () => {
  it('given an Aalborg case coordinated by Alice, when a coordinator from Aarhus closes it, then it is refused', () => {
    given(registered(), aliceAssigned)
      .when({ type: 'close-case', data: { reason: 'completed' } }, foreignCoordinator)
      .thenRefused('NOT_RESPONSIBLE_MUNICIPALITY', 'forbidden');
  });

  it('given an Aalborg case coordinated by Alice, when a coordinator from Aarhus assigns herself, then it is refused', () => {
    given(registered(), aliceAssigned)
      .when(
        {
          type: 'assign-coordinator',
          data: { coordinator: { id: 'per', name: 'Per', organisation: 'municipality:751' } },
        },
        foreignCoordinator,
      )
      .thenRefused('NOT_RESPONSIBLE_MUNICIPALITY', 'forbidden');
  });

  it('given an Aalborg case, when an Aalborg coordinator assigns herself, then she coordinates it', () => {
    given(registered())
      .when(
        {
          type: 'assign-coordinator',
          data: { coordinator: { id: 'bent', name: 'Bent', organisation: 'municipality:851' } },
        },
        colleague,
      )
      .then([
        event('CoordinatorAssigned', {
          occurredAt: AT,
          coordinator: { id: 'bent', name: 'Bent', organisation: 'municipality:851' },
          previous: null,
        }),
      ]);
  });

  it('given the case moved to Aarhus, then the former municipality and its unassigned coordinators may not close it, but the assigned coordinator still may', () => {
    const history = [registered(), aliceAssigned, movedToAarhus];
    given(...history)
      .when({ type: 'close-case', data: { reason: 'completed' } }, actors.aalborg)
      .thenRefused('NOT_RESPONSIBLE_MUNICIPALITY', 'forbidden');
    given(...history)
      .when({ type: 'close-case', data: { reason: 'completed' } }, colleague)
      .thenRefused('NOT_RESPONSIBLE_MUNICIPALITY', 'forbidden');
    given(...history)
      .when({ type: 'close-case', data: { reason: 'completed' } }, actors.coordinator)
      .then([event('CaseClosed', { occurredAt: AT, reason: 'completed' })]);
  });
});
