import type { CaseCommand } from '../case.commands';
import { event, type CaseEvent } from '../case.events';
import { AT, DUE, actors, after, given, happenedAt, registered, stateAfter } from '../testing/given-when-then';

const EARLIER = '2026-11-20T09:00:00.000Z';
const YESTERDAY = '2026-11-22T09:00:00.000Z';

const alice = { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' };
const bent = { id: 'bent', name: 'Bent Nielsen', organisation: 'clinic:1081' };
const aliceAssigned = event('CoordinatorAssigned', { occurredAt: AT, coordinator: alice, previous: null });

const placementHandoffAcknowledged = event('HandoffAcknowledged', {
  occurredAt: AT,
  handoffId: 'handoff-1',
  organisation: 'facility:holmegaardshuset',
});
const admittedWithContract = [
  ...after.placementGranted,
  ...after.residentialConsent,
  ...after.contractSigned,
  placementHandoffAcknowledged,
  ...after.admitted,
];
const discharged = event('DischargedFromResidential', { occurredAt: AT, facility: 'facility:holmegaardshuset' });

describe('assign-coordinator', () => {
  it('given no coordinator, when the municipality assigns one, then she is assigned with no previous coordinator', () => {
    given(registered())
      .when({ type: 'assign-coordinator', data: { coordinator: alice, note: 'case owner' } }, actors.aalborg)
      .then([event('CoordinatorAssigned', { occurredAt: AT, coordinator: alice, previous: null, note: 'case owner' })]);
  });

  it('given a coordinator, when the coordinator hands over to a clinic employee, then the new one is assigned and the previous carried', () => {
    const history = [registered(), aliceAssigned];
    const when = given(...history).when(
      { type: 'assign-coordinator', data: { coordinator: bent } },
      actors.coordinator,
    );
    when.then([event('CoordinatorAssigned', { occurredAt: AT, coordinator: bent, previous: alice })]);
    if (!when.decision.ok) throw new Error('refused');
    const state = stateAfter(history, when.decision.events);
    expect(state.coordinator).toEqual(bent);
    expect(state.parties).toContain('clinic:1081');
  });

  it('given the same coordinator, when she is assigned again, then it is refused', () => {
    given(registered(), aliceAssigned)
      .when({ type: 'assign-coordinator', data: { coordinator: { ...alice, name: 'Alice H.' } } }, actors.aalborg)
      .thenRefused('COORDINATOR_ALREADY_ASSIGNED');
  });

  it.each([
    ['a residential facility', 'facility:holmegaardshuset'],
    ['a GP practice', 'gp:hansen'],
    ['a region', 'region:1081'],
    ['an unknown municipality', 'municipality:999'],
  ])('given a case, when a coordinator employed by %s is assigned, then it is refused', (_what, organisation) => {
    given(registered())
      .when({ type: 'assign-coordinator', data: { coordinator: { ...alice, organisation } } }, actors.aalborg)
      .thenRefused('UNKNOWN_ORGANISATION');
  });

  it('given a case in Aalborg, when Aarhus assigns a coordinator, then it is refused as not the responsible municipality', () => {
    given(registered())
      .when({ type: 'assign-coordinator', data: { coordinator: alice } }, actors.aarhus)
      .thenRefused('NOT_RESPONSIBLE_MUNICIPALITY', 'forbidden');
  });

  it('given the case moved to Aarhus, when Aarhus assigns its coordinator, then the Aalborg coordinator is the previous', () => {
    const ole = { id: 'ole', name: 'Ole Berg', organisation: 'municipality:751' };
    given(
      registered(),
      aliceAssigned,
      event('MunicipalityTransferred', { occurredAt: AT, from: '851', to: '751', handoffId: 'handoff-1' }),
    )
      .when({ type: 'assign-coordinator', data: { coordinator: ole } }, actors.aarhus)
      .then([event('CoordinatorAssigned', { occurredAt: AT, coordinator: ole, previous: alice })]);
  });

  it('given a case, when a clinic assigns a coordinator, then its role is not permitted', () => {
    given(registered())
      .when({ type: 'assign-coordinator', data: { coordinator: bent } }, actors.clinicNord)
      .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
  });
});

describe('record-network-meeting', () => {
  it('given no meeting, when the coordinator records one without participants, then it is meeting 1 with her organisation as participant', () => {
    given(registered(), aliceAssigned)
      .when({ type: 'record-network-meeting', data: {} }, actors.coordinator)
      .then([
        event('NetworkMeetingRecorded', { occurredAt: AT, meetingNumber: 1, participants: ['municipality:851'] }),
      ]);
  });

  it('given no meeting, when the clinic records one without participants, then the clinic is the participant', () => {
    given(registered())
      .when({ type: 'record-network-meeting', data: {} }, actors.clinicNord)
      .then([event('NetworkMeetingRecorded', { occurredAt: AT, meetingNumber: 1, participants: ['clinic:1081'] })]);
  });

  it('given two meetings, when a third is recorded with participants (one repeated), then it is meeting 3 with each participant once', () => {
    const history = [
      registered(),
      event('NetworkMeetingRecorded', { occurredAt: AT, meetingNumber: 1, participants: ['municipality:851'] }),
      event('NetworkMeetingRecorded', { occurredAt: AT, meetingNumber: 2, participants: ['municipality:851'] }),
    ];
    const when = given(...history).when(
      {
        type: 'record-network-meeting',
        data: { participants: ['municipality:851', 'clinic:1081', 'municipality:851'], note: 'plan for birth' },
      },
      actors.coordinator,
    );
    when.then([
      event('NetworkMeetingRecorded', {
        occurredAt: AT,
        meetingNumber: 3,
        participants: ['municipality:851', 'clinic:1081'],
        note: 'plan for birth',
      }),
    ]);
    if (!when.decision.ok) throw new Error('refused');
    const state = stateAfter(history, when.decision.events);
    expect({ networkMeetings: state.networkMeetings, lastNetworkMeetingAt: state.lastNetworkMeetingAt }).toEqual({
      networkMeetings: 3,
      lastNetworkMeetingAt: AT,
    });
  });

  it('given a case, when a meeting held yesterday is recorded, then it is recorded at that time', () => {
    given(registered({ occurredAt: EARLIER }))
      .when({ type: 'record-network-meeting', data: { occurredAt: YESTERDAY } }, actors.facilityA)
      .then([
        event('NetworkMeetingRecorded', {
          occurredAt: YESTERDAY,
          meetingNumber: 1,
          participants: ['facility:holmegaardshuset'],
        }),
      ]);
  });

  it('given a case, when a referrer records a meeting, then its role is not permitted', () => {
    given(registered())
      .when({ type: 'record-network-meeting', data: {} }, actors.gp)
      .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
  });
});

describe('record-lost-contact', () => {
  it('given contact, when the shelter records lost contact, then contact is lost from now', () => {
    const history = [registered()];
    const when = given(...history).when(
      { type: 'record-lost-contact', data: { note: 'left the shelter' } },
      actors.shelter,
    );
    when.then([event('ContactLost', { occurredAt: AT, note: 'left the shelter' })]);
    if (!when.decision.ok) throw new Error('refused');
    expect(stateAfter(history, when.decision.events).contactLostSince).toBe(AT);
  });

  it('given contact was lost and restored, when it is lost again, then it is recorded', () => {
    given(registered(), ...after.contactLost, event('ContactRestored', { occurredAt: AT }))
      .when({ type: 'record-lost-contact', data: {} }, actors.aalborg)
      .then([event('ContactLost', { occurredAt: AT })]);
  });

  it('given contact is lost, when it is recorded as lost again, then it is refused', () => {
    given(registered(), ...after.contactLost)
      .when({ type: 'record-lost-contact', data: {} }, actors.clinicNord)
      .thenRefused('CONTACT_ALREADY_LOST');
  });
});

describe('record-contact-restored', () => {
  it('given contact is lost, when the GP records it restored, then contact is restored', () => {
    const history = [registered(), ...after.contactLost];
    const when = given(...history).when(
      { type: 'record-contact-restored', data: { note: 'came to the clinic' } },
      actors.gp,
    );
    when.then([event('ContactRestored', { occurredAt: AT, note: 'came to the clinic' })]);
    if (!when.decision.ok) throw new Error('refused');
    expect(stateAfter(history, when.decision.events).contactLostSince).toBeNull();
  });

  it('given contact was never lost (or already restored), when it is recorded restored, then it is refused', () => {
    given(registered())
      .when({ type: 'record-contact-restored', data: {} }, actors.coordinator)
      .thenRefused('CONTACT_NOT_LOST');
    given(registered(), ...after.contactLost, event('ContactRestored', { occurredAt: AT }))
      .when({ type: 'record-contact-restored', data: {} }, actors.coordinator)
      .thenRefused('CONTACT_NOT_LOST');
  });
});

describe('record-name', () => {
  it('given a case, when her name is recorded, then the event says only that (the name never reaches the decider)', () => {
    const history = [registered()];
    const when = given(...history).when(
      { type: 'record-name', data: { note: 'spelled as on her card' } },
      actors.aalborg,
    );
    when.then([event('NameRecorded', { occurredAt: AT, note: 'spelled as on her card' })]);
    if (!when.decision.ok) throw new Error('refused');
    // Nothing of the case's state changes but its version (a fact was recorded): her name is kept outside it.
    const { version, factVersion, ...state } = stateAfter(history, []);
    const { version: v, factVersion: f, ...stateAfterwards } = stateAfter(history, when.decision.events);
    expect([v, f, stateAfterwards]).toEqual([version + 1, factVersion + 1, state]);
  });

  it('is refused to the roles that only read', () => {
    given(registered())
      .when({ type: 'record-name', data: {} }, actors.auditor)
      .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
  });
});

describe('close-case', () => {
  it('given an open case, when the municipality closes it, then it is closed with the reason', () => {
    const history = [registered(), ...after.born];
    const when = given(...history).when(
      { type: 'close-case', data: { reason: 'completed', note: 'handed to health visitor' } },
      actors.aalborg,
    );
    when.then([event('CaseClosed', { occurredAt: AT, reason: 'completed', note: 'handed to health visitor' })]);
    if (!when.decision.ok) throw new Error('refused');
    const state = stateAfter(history, when.decision.events);
    expect({ status: state.status, closed: state.closed }).toEqual({
      status: 'closed',
      closed: { reason: 'completed', closedAt: AT },
    });
  });

  it('given an open case, when the coordinator closes it as a duplicate, then it is closed', () => {
    given(registered())
      .when({ type: 'close-case', data: { reason: 'duplicate' } }, actors.coordinator)
      .then([event('CaseClosed', { occurredAt: AT, reason: 'duplicate' })]);
  });

  it('given she is admitted, when the case is closed, then it is refused until she is discharged', () => {
    given(registered(), ...admittedWithContract)
      .when({ type: 'close-case', data: { reason: 'declined-help' } }, actors.aalborg)
      .thenRefused('ADMISSION_ACTIVE');
  });

  it('given a signed retention contract still running after discharge, when the case is closed, then the contract ends with reason "case-closed" first', () => {
    given(registered(), ...admittedWithContract, discharged)
      .when({ type: 'close-case', data: { reason: 'declined-help' } }, actors.aalborg)
      .then([
        event('RetentionContractEnded', { occurredAt: AT, reason: 'case-closed' }),
        event('CaseClosed', { occurredAt: AT, reason: 'declined-help' }),
      ]);
  });

  it('given a signed contract and a granted placement (not admitted), when the case is closed, then the contract ends', () => {
    given(registered(), ...after.placementGranted, ...after.contractSigned)
      .when({ type: 'close-case', data: { reason: 'moved-abroad' } }, actors.aalborg)
      .then([
        event('RetentionContractEnded', { occurredAt: AT, reason: 'case-closed' }),
        event('CaseClosed', { occurredAt: AT, reason: 'moved-abroad' }),
      ]);
  });

  it('given a contract that ended at birth, or one she declined, when the case is closed, then no contract ends again', () => {
    given(
      registered(),
      ...after.placementGranted,
      ...after.contractSigned,
      ...after.born,
      event('RetentionContractEnded', { occurredAt: AT, reason: 'birth' }),
    )
      .when({ type: 'close-case', data: { reason: 'completed' } }, actors.aalborg)
      .then([event('CaseClosed', { occurredAt: AT, reason: 'completed' })]);
    given(
      registered(),
      ...after.placementGranted,
      event('RetentionContractOffered', { occurredAt: AT, outcome: 'declined' }),
    )
      .when({ type: 'close-case', data: { reason: 'declined-help' } }, actors.aalborg)
      .then([event('CaseClosed', { occurredAt: AT, reason: 'declined-help' })]);
  });

  it('given a case in Aalborg, when Aarhus closes it, then it is refused as not the responsible municipality', () => {
    given(registered())
      .when({ type: 'close-case', data: { reason: 'completed' } }, actors.aarhus)
      .thenRefused('NOT_RESPONSIBLE_MUNICIPALITY', 'forbidden');
  });

  it('given a case, when a clinic closes it, then its role is not permitted', () => {
    given(registered())
      .when({ type: 'close-case', data: { reason: 'completed' } }, actors.clinicNord)
      .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
  });

  describe('after close-case, nothing but reading', () => {
    // A case closed late in its course: every command below would be accepted on the same history left open.
    const open = [
      registered({ occurredAt: EARLIER }),
      ...happenedAt(EARLIER, after.referredToClinic),
      event('MunicipalityNotified', {
        occurredAt: EARLIER,
        notificationId: 'notification-1',
        municipality: '851',
        byProfessional: true,
        handoffId: 'handoff-2',
      }),
      ...happenedAt(EARLIER, after.treatmentRequested),
      ...happenedAt(EARLIER, after.placementRequested),
      ...happenedAt(EARLIER, after.contactLost),
    ];
    /** A placement granted and consented: admission and the retention contract would be accepted. */
    const granted = [
      registered({ occurredAt: EARLIER }),
      ...happenedAt(EARLIER, [...after.placementGranted, ...after.residentialConsent]),
    ];
    const closedAfter = (history: CaseEvent[]) => [...history, ...happenedAt(YESTERDAY, after.closed)];

    const commands: [string, CaseCommand, (typeof actors)[keyof typeof actors], CaseEvent[]][] = [
      ['assign-coordinator', { type: 'assign-coordinator', data: { coordinator: alice } }, actors.aalborg, open],
      [
        'acknowledge-handoff',
        { type: 'acknowledge-handoff', data: { handoffId: 'handoff-1' } },
        actors.clinicNord,
        open,
      ],
      ['record-clinic-visit', { type: 'record-clinic-visit', data: {} }, actors.clinicNord, open],
      ['notify-municipality', { type: 'notify-municipality', data: {} }, actors.gp, open],
      ['confirm-notification-receipt', { type: 'confirm-notification-receipt', data: {} }, actors.aalborg, open],
      ['assess-notification', { type: 'assess-notification', data: { outcome: 'acute' } }, actors.aalborg, open],
      ['start-treatment', { type: 'start-treatment', data: {} }, actors.aalborg, open],
      [
        'decide-residential-placement',
        { type: 'decide-residential-placement', data: { decision: 'granted', facility: 'facility:holmegaardshuset' } },
        actors.aalborg,
        open,
      ],
      [
        'record-consent',
        { type: 'record-consent', data: { scope: 'residential', status: 'given' } },
        actors.clinicNord,
        open,
      ],
      ['record-network-meeting', { type: 'record-network-meeting', data: {} }, actors.coordinator, open],
      [
        'update-due-date',
        { type: 'update-due-date', data: { estimatedDueDate: '2027-03-08' } },
        actors.clinicNord,
        open,
      ],
      [
        'transfer-municipality',
        { type: 'transfer-municipality', data: { toMunicipality: '751' } },
        actors.aalborg,
        open,
      ],
      ['record-birth', { type: 'record-birth', data: {} }, actors.clinicNord, open],
      ['record-post-birth-plan', { type: 'record-post-birth-plan', data: {} }, actors.aalborg, open],
      [
        'record-pregnancy-ended',
        { type: 'record-pregnancy-ended', data: { reason: 'miscarriage' } },
        actors.clinicNord,
        open,
      ],
      ['record-contact-restored', { type: 'record-contact-restored', data: {} }, actors.shelter, open],
      ['close-case', { type: 'close-case', data: { reason: 'completed' } }, actors.aalborg, open],
      ['admit-to-residential', { type: 'admit-to-residential', data: {} }, actors.facilityA, granted],
      [
        'offer-retention-contract',
        { type: 'offer-retention-contract', data: { outcome: 'signed' } },
        actors.aalborg,
        granted,
      ],
    ];

    it.each(commands)(
      'given the case is closed, when %s is sent (accepted were it open), then it is refused with CASE_CLOSED',
      (_name, command, actor, history) => {
        expect(given(...history).when(command, actor).decision).toMatchObject({ ok: true });
        given(...closedAfter(history))
          .when(command, actor)
          .thenRefused('CASE_CLOSED');
      },
    );

    it('given the case is closed, when the same concern is registered again, then the case already exists', () => {
      given(...closedAfter(open))
        .when(
          {
            type: 'register-concern',
            data: {
              caseId: 'x',
              reference: 'K7F3QX',
              cprRecorded: false,
              estimatedDueDate: DUE,
              municipality: '851',
              referrer: { kind: 'gp' },
              substances: ['alcohol'],
            },
          },
          actors.gp,
        )
        .thenRefused('CASE_ALREADY_EXISTS');
    });
  });
});

describe('assign-coordinator: the same person again', () => {
  it('given a coordinator, when the same person id is assigned for another organisation, then she is reassigned', () => {
    const aliceAtClinic = { ...alice, organisation: 'clinic:1081' };
    given(registered(), aliceAssigned)
      .when({ type: 'assign-coordinator', data: { coordinator: aliceAtClinic } }, actors.aalborg)
      .then([event('CoordinatorAssigned', { occurredAt: AT, coordinator: aliceAtClinic, previous: alice })]);
  });
});
