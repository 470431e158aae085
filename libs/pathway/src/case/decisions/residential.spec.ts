import { CONSENT_SCOPES } from '../case.commands';
import { event } from '../case.events';
import {
  AT,
  actors,
  after,
  given,
  happenedAt,
  registered,
  stateAfter,
  withMilestones,
} from '../testing/given-when-then';

const EARLIER = '2026-11-20T09:00:00.000Z';
const YESTERDAY = '2026-11-22T09:00:00.000Z';

const refused = [...after.placementRequested, event('ResidentialPlacementRefused', { occurredAt: AT })];
const readyToAdmit = [...after.placementGranted, ...after.residentialConsent];
const placementHandoffAcknowledged = event('HandoffAcknowledged', {
  occurredAt: AT,
  handoffId: 'handoff-1',
  organisation: 'facility:holmegaardshuset',
});
/** Granted, consented, contract signed and admitted to facility A (the hand-off acknowledged at admission). */
const admittedWithContract = [
  ...readyToAdmit,
  ...after.contractSigned,
  placementHandoffAcknowledged,
  ...after.admitted,
];
const admittedWithoutContract = [...readyToAdmit, placementHandoffAcknowledged, ...after.admitted];
const discharged = event('DischargedFromResidential', { occurredAt: AT, facility: 'facility:holmegaardshuset' });
const episodeEnded = event('RetentionEpisodeEnded', { occurredAt: AT, episode: 1, reason: 'ended' });

describe('request-residential-placement', () => {
  it('given a case, when the municipality requests a residential placement, then the request is recorded', () => {
    given(registered())
      .when({ type: 'request-residential-placement', data: { note: 'relapse' } }, actors.aalborg)
      .then([event('ResidentialPlacementRequested', { occurredAt: AT, note: 'relapse' })]);
  });

  it('given a refused placement, when the clinic requests one again, then a new request is recorded', () => {
    given(registered(), ...refused)
      .when({ type: 'request-residential-placement', data: {} }, actors.clinicNord)
      .then([event('ResidentialPlacementRequested', { occurredAt: AT })]);
  });

  it('given she was admitted and discharged, when the coordinator requests a new placement, then it is recorded', () => {
    given(registered(), ...admittedWithoutContract, discharged)
      .when({ type: 'request-residential-placement', data: {} }, actors.coordinator)
      .then([event('ResidentialPlacementRequested', { occurredAt: AT })]);
  });

  it('given a request awaiting a decision, when another is requested, then it is refused', () => {
    given(registered(), ...after.placementRequested)
      .when({ type: 'request-residential-placement', data: {} }, actors.aalborg)
      .thenRefused('PLACEMENT_ALREADY_REQUESTED');
  });

  it('given a granted placement awaiting admission, when another is requested, then it is refused', () => {
    given(registered(), ...after.placementGranted)
      .when({ type: 'request-residential-placement', data: {} }, actors.aalborg)
      .thenRefused('PLACEMENT_ALREADY_GRANTED');
  });

  it('given she is admitted, when a placement is requested, then it is refused', () => {
    given(registered(), ...admittedWithoutContract)
      .when({ type: 'request-residential-placement', data: {} }, actors.aalborg)
      .thenRefused('ALREADY_ADMITTED');
  });

  it('given a case, when a facility requests a placement, then its role is not permitted', () => {
    given(registered())
      .when({ type: 'request-residential-placement', data: {} }, actors.facilityA)
      .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
  });
});

describe('decide-residential-placement', () => {
  it('given a request, when the municipality grants it at facility A, then the placement is granted with a hand-off to the facility', () => {
    given(registered(), ...after.placementRequested)
      .when(
        {
          type: 'decide-residential-placement',
          data: { decision: 'granted', facility: 'facility:holmegaardshuset', note: '§ 101' },
        },
        actors.aalborg,
      )
      .then([
        event('ResidentialPlacementGranted', {
          occurredAt: AT,
          facility: 'facility:holmegaardshuset',
          handoffId: 'handoff-1',
          note: '§ 101',
        }),
      ]);
  });

  it('given earlier hand-offs, when a placement is granted, then the hand-off id counts on', () => {
    given(registered(), ...after.referredToClinic, ...after.placementRequested)
      .when(
        { type: 'decide-residential-placement', data: { decision: 'granted', facility: 'facility:kastaniegaarden' } },
        actors.aalborg,
      )
      .then([
        event('ResidentialPlacementGranted', {
          occurredAt: AT,
          facility: 'facility:kastaniegaarden',
          handoffId: 'handoff-2',
        }),
      ]);
  });

  it('given a request, when the municipality refuses it, then the refusal is recorded (any facility named is ignored)', () => {
    given(registered(), ...after.placementRequested)
      .when(
        { type: 'decide-residential-placement', data: { decision: 'refused', note: 'outpatient first' } },
        actors.aalborg,
      )
      .then([event('ResidentialPlacementRefused', { occurredAt: AT, note: 'outpatient first' })]);
    given(registered(), ...after.placementRequested)
      .when(
        { type: 'decide-residential-placement', data: { decision: 'refused', facility: 'nowhere' } },
        actors.aalborg,
      )
      .then([event('ResidentialPlacementRefused', { occurredAt: AT })]);
  });

  it('given a request, when it is granted without a facility, then it is refused', () => {
    given(registered(), ...after.placementRequested)
      .when({ type: 'decide-residential-placement', data: { decision: 'granted' } }, actors.aalborg)
      .thenRefused('FACILITY_REQUIRED');
  });

  it.each([
    ['an unknown organisation', 'facility:nowhere'],
    ['a clinic', 'clinic:1081'],
    ['a municipality', 'municipality:851'],
  ])('given a request, when it is granted at %s, then it is refused', (_what, facility) => {
    given(registered(), ...after.placementRequested)
      .when({ type: 'decide-residential-placement', data: { decision: 'granted', facility } }, actors.aalborg)
      .thenRefused('UNKNOWN_FACILITY');
  });

  it('given no request waiting (none, granted, refused), when a placement is decided, then it is refused', () => {
    const grant = {
      type: 'decide-residential-placement' as const,
      data: { decision: 'granted' as const, facility: 'facility:holmegaardshuset' },
    };
    given(registered()).when(grant, actors.aalborg).thenRefused('NO_PLACEMENT_REQUESTED');
    given(registered(), ...after.placementGranted)
      .when(grant, actors.aalborg)
      .thenRefused('NO_PLACEMENT_REQUESTED');
    given(registered(), ...refused)
      .when(grant, actors.aalborg)
      .thenRefused('NO_PLACEMENT_REQUESTED');
  });

  it('given a request, when another municipality decides it, then it is refused as not the responsible municipality', () => {
    given(registered(), ...after.placementRequested)
      .when(
        { type: 'decide-residential-placement', data: { decision: 'granted', facility: 'facility:holmegaardshuset' } },
        actors.aarhus,
      )
      .thenRefused('NOT_RESPONSIBLE_MUNICIPALITY', 'forbidden');
  });
});

describe('record-consent', () => {
  it.each(CONSENT_SCOPES)('given no consent, when consent to %s is given, then it is recorded', (scope) => {
    const history = [registered()];
    const when = given(...history).when(
      { type: 'record-consent', data: { scope, status: 'given' } },
      actors.clinicNord,
    );
    when.then([event('ConsentGiven', { occurredAt: AT, scope })]);
    if (!when.decision.ok) throw new Error('refused');
    const consent = stateAfter(history, when.decision.events).consent;
    // Only the scope consented to changes.
    expect(consent).toEqual({
      residential: null,
      'information-sharing': null,
      'retention-contract': null,
      [scope]: 'given',
    });
  });

  it.each(CONSENT_SCOPES)('given consent to %s, when she withdraws it, then the withdrawal is recorded', (scope) => {
    given(registered(), event('ConsentGiven', { occurredAt: AT, scope }))
      .when({ type: 'record-consent', data: { scope, status: 'withdrawn', note: 'changed her mind' } }, actors.aalborg)
      .then([event('ConsentWithdrawn', { occurredAt: AT, scope, note: 'changed her mind' })]);
  });

  it.each(CONSENT_SCOPES)('given withdrawn consent to %s, when she gives it again, then it is recorded', (scope) => {
    given(
      registered(),
      event('ConsentGiven', { occurredAt: AT, scope }),
      event('ConsentWithdrawn', { occurredAt: AT, scope }),
    )
      .when({ type: 'record-consent', data: { scope, status: 'given' } }, actors.facilityA)
      .then([event('ConsentGiven', { occurredAt: AT, scope })]);
  });

  it.each(CONSENT_SCOPES)('given consent to %s, when it is given again, then it is refused', (scope) => {
    given(registered(), event('ConsentGiven', { occurredAt: AT, scope }))
      .when({ type: 'record-consent', data: { scope, status: 'given' } }, actors.coordinator)
      .thenRefused('CONSENT_ALREADY_GIVEN');
  });

  it.each(CONSENT_SCOPES)(
    'given no consent to %s (never given, or withdrawn), when it is withdrawn, then it is refused',
    (scope) => {
      given(registered())
        .when({ type: 'record-consent', data: { scope, status: 'withdrawn' } }, actors.aalborg)
        .thenRefused('CONSENT_NOT_GIVEN');
      given(
        registered(),
        event('ConsentGiven', { occurredAt: AT, scope }),
        event('ConsentWithdrawn', { occurredAt: AT, scope }),
      )
        .when({ type: 'record-consent', data: { scope, status: 'withdrawn' } }, actors.aalborg)
        .thenRefused('CONSENT_NOT_GIVEN');
    },
  );

  it('given consent to information sharing only, when residential consent is withdrawn, then it is refused (scopes are separate)', () => {
    given(registered(), event('ConsentGiven', { occurredAt: AT, scope: 'information-sharing' }))
      .when({ type: 'record-consent', data: { scope: 'residential', status: 'withdrawn' } }, actors.aalborg)
      .thenRefused('CONSENT_NOT_GIVEN');
  });

  it('given a case, when a referrer records consent, then the role is not permitted', () => {
    given(registered())
      .when({ type: 'record-consent', data: { scope: 'residential', status: 'given' } }, actors.gp)
      .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
  });
});

describe('offer-retention-contract', () => {
  it('given a granted placement and no retention consent, when she signs, then her consent to retention is recorded before the signed contract', () => {
    given(registered(), ...after.placementGranted)
      .when(
        { type: 'offer-retention-contract', data: { outcome: 'signed', note: 'signed with her lawyer' } },
        actors.aalborg,
      )
      .then([
        event('ConsentGiven', { occurredAt: AT, scope: 'retention-contract' }),
        event('RetentionContractOffered', { occurredAt: AT, outcome: 'signed', note: 'signed with her lawyer' }),
      ]);
  });

  it('given retention consent already given, when she signs, then only the signed contract is recorded', () => {
    given(
      registered(),
      ...after.placementGranted,
      event('ConsentGiven', { occurredAt: AT, scope: 'retention-contract' }),
    )
      .when({ type: 'offer-retention-contract', data: { outcome: 'signed' } }, actors.aalborg)
      .then([event('RetentionContractOffered', { occurredAt: AT, outcome: 'signed' })]);
  });

  it('given retention consent was withdrawn, when she signs, then her consent is given again', () => {
    given(
      registered(),
      ...after.placementGranted,
      event('ConsentGiven', { occurredAt: AT, scope: 'retention-contract' }),
      event('ConsentWithdrawn', { occurredAt: AT, scope: 'retention-contract' }),
    )
      .when({ type: 'offer-retention-contract', data: { outcome: 'signed' } }, actors.aalborg)
      .then([
        event('ConsentGiven', { occurredAt: AT, scope: 'retention-contract' }),
        event('RetentionContractOffered', { occurredAt: AT, outcome: 'signed' }),
      ]);
  });

  it('given a granted placement, when she declines the contract, then the declined offer is recorded and no consent', () => {
    given(registered(), ...after.placementGranted)
      .when({ type: 'offer-retention-contract', data: { outcome: 'declined' } }, actors.aalborg)
      .then([event('RetentionContractOffered', { occurredAt: AT, outcome: 'declined' })]);
  });

  it('given she is admitted (placement used) and declined before, when the contract is offered again and signed, then it is recorded', () => {
    given(
      registered(),
      ...admittedWithoutContract,
      event('RetentionContractOffered', { occurredAt: AT, outcome: 'declined' }),
    )
      .when({ type: 'offer-retention-contract', data: { outcome: 'signed' } }, actors.aalborg)
      .then([
        event('ConsentGiven', { occurredAt: AT, scope: 'retention-contract' }),
        event('RetentionContractOffered', { occurredAt: AT, outcome: 'signed' }),
      ]);
  });

  it('given no granted placement (none, requested, refused), when a contract is offered, then it is refused', () => {
    const offer = { type: 'offer-retention-contract' as const, data: { outcome: 'signed' as const } };
    given(registered()).when(offer, actors.aalborg).thenRefused('PLACEMENT_NOT_GRANTED');
    given(registered(), ...after.placementRequested)
      .when(offer, actors.aalborg)
      .thenRefused('PLACEMENT_NOT_GRANTED');
    given(registered(), ...refused)
      .when(offer, actors.aalborg)
      .thenRefused('PLACEMENT_NOT_GRANTED');
  });

  it('given a signed contract that has not ended, when another is offered, then it is refused', () => {
    given(registered(), ...after.placementGranted, ...after.contractSigned)
      .when({ type: 'offer-retention-contract', data: { outcome: 'signed' } }, actors.aalborg)
      .thenRefused('RETENTION_CONTRACT_ACTIVE');
  });

  it('given the birth or the end of the pregnancy, when a contract is offered, then it is refused', () => {
    given(registered(), ...after.placementGranted, ...after.born)
      .when({ type: 'offer-retention-contract', data: { outcome: 'signed' } }, actors.aalborg)
      .thenRefused('BIRTH_ALREADY_RECORDED');
    given(registered(), ...after.placementGranted, event('PregnancyEnded', { occurredAt: AT, reason: 'miscarriage' }))
      .when({ type: 'offer-retention-contract', data: { outcome: 'signed' } }, actors.aalborg)
      .thenRefused('PREGNANCY_ENDED');
  });

  it('given a granted placement, when another municipality offers the contract, then it is refused as not the responsible municipality', () => {
    given(registered(), ...after.placementGranted)
      .when({ type: 'offer-retention-contract', data: { outcome: 'signed' } }, actors.aarhus)
      .thenRefused('NOT_RESPONSIBLE_MUNICIPALITY', 'forbidden');
  });
});

describe('admit-to-residential', () => {
  it('given a granted placement and her consent, when the facility admits her, then the pending hand-off is acknowledged and she is admitted', () => {
    const history = [registered(), ...readyToAdmit];
    const when = given(...history).when({ type: 'admit-to-residential', data: { note: 'room 2' } }, actors.facilityA);
    when.then([
      event('HandoffAcknowledged', {
        occurredAt: AT,
        handoffId: 'handoff-1',
        organisation: 'facility:holmegaardshuset',
      }),
      event('AdmittedToResidential', { occurredAt: AT, facility: 'facility:holmegaardshuset', note: 'room 2' }),
    ]);
    if (!when.decision.ok) throw new Error('refused');
    const state = stateAfter(history, when.decision.events);
    expect(state.admission).toEqual({ facility: 'facility:holmegaardshuset', admittedAt: AT });
    expect(state.placement?.status).toBe('used');
  });

  it('given the hand-off was acknowledged, when she is admitted yesterday, then only the backdated admission is recorded', () => {
    given(registered({ occurredAt: EARLIER }), ...happenedAt(EARLIER, [...readyToAdmit, placementHandoffAcknowledged]))
      .when({ type: 'admit-to-residential', data: { occurredAt: YESTERDAY } }, actors.facilityA)
      .then([event('AdmittedToResidential', { occurredAt: YESTERDAY, facility: 'facility:holmegaardshuset' })]);
  });

  it('given her consent but no granted placement (none, requested, refused), when the facility admits her, then it is refused', () => {
    const admit = { type: 'admit-to-residential' as const, data: {} };
    given(registered(), ...after.residentialConsent)
      .when(admit, actors.facilityA)
      .thenRefused('PLACEMENT_NOT_GRANTED');
    given(registered(), ...after.placementRequested, ...after.residentialConsent)
      .when(admit, actors.facilityA)
      .thenRefused('PLACEMENT_NOT_GRANTED');
    given(registered(), ...refused, ...after.residentialConsent)
      .when(admit, actors.facilityA)
      .thenRefused('PLACEMENT_NOT_GRANTED');
  });

  it('given a granted placement without her consent to residential treatment, when the facility admits her, then it is refused', () => {
    given(registered(), ...after.placementGranted)
      .when({ type: 'admit-to-residential', data: {} }, actors.facilityA)
      .thenRefused('CONSENT_REQUIRED');
  });

  it('given a granted placement and only consent to other scopes, when the facility admits her, then it is refused', () => {
    given(
      registered(),
      ...after.placementGranted,
      event('ConsentGiven', { occurredAt: AT, scope: 'information-sharing' }),
      ...after.contractSigned,
    )
      .when({ type: 'admit-to-residential', data: {} }, actors.facilityA)
      .thenRefused('CONSENT_REQUIRED');
  });

  it('given her residential consent was withdrawn, when the facility admits her, then it is refused', () => {
    given(registered(), ...readyToAdmit, event('ConsentWithdrawn', { occurredAt: AT, scope: 'residential' }))
      .when({ type: 'admit-to-residential', data: {} }, actors.facilityA)
      .thenRefused('CONSENT_REQUIRED');
  });

  it('given a placement granted at facility A, when facility B admits her, then it is refused as not the case facility', () => {
    given(registered(), ...readyToAdmit)
      .when({ type: 'admit-to-residential', data: {} }, actors.facilityB)
      .thenRefused('NOT_CASE_FACILITY', 'forbidden');
  });

  it('given she is admitted, when she is admitted again, then it is refused', () => {
    given(registered(), ...admittedWithoutContract)
      .when({ type: 'admit-to-residential', data: {} }, actors.facilityA)
      .thenRefused('ALREADY_ADMITTED');
  });

  it('given she was discharged, when she is re-admitted on the used placement, then a new placement is required', () => {
    given(registered(), ...admittedWithoutContract, discharged)
      .when({ type: 'admit-to-residential', data: {} }, actors.facilityA)
      .thenRefused('PLACEMENT_NOT_GRANTED');
  });

  it('given a ready placement, when the municipality admits her, then only a facility may', () => {
    given(registered(), ...readyToAdmit)
      .when({ type: 'admit-to-residential', data: {} }, actors.aalborg)
      .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
  });
});

describe('start-retention-episode', () => {
  it('given she is admitted with a signed contract, when the facility starts retention, then episode 1 starts', () => {
    given(registered(), ...admittedWithContract)
      .when({ type: 'start-retention-episode', data: { note: 'wanted to leave' } }, actors.facilityA)
      .then([event('RetentionEpisodeStarted', { occurredAt: AT, episode: 1, note: 'wanted to leave' })]);
  });

  it('given an ended episode, when retention starts again (backdated), then it is episode 2', () => {
    given(
      registered({ occurredAt: EARLIER }),
      ...happenedAt(EARLIER, [...admittedWithContract, ...after.retentionEpisode, episodeEnded]),
    )
      .when({ type: 'start-retention-episode', data: { occurredAt: YESTERDAY } }, actors.facilityA)
      .then([event('RetentionEpisodeStarted', { occurredAt: YESTERDAY, episode: 2 })]);
  });

  it('given a signed contract but no admission, when the facility starts retention, then it is refused', () => {
    given(registered(), ...readyToAdmit, ...after.contractSigned)
      .when({ type: 'start-retention-episode', data: {} }, actors.facilityA)
      .thenRefused('NOT_ADMITTED');
  });

  it('given she is admitted at facility A, when facility B starts retention, then it is refused as not the case facility', () => {
    given(registered(), ...admittedWithContract)
      .when({ type: 'start-retention-episode', data: {} }, actors.facilityB)
      .thenRefused('NOT_CASE_FACILITY', 'forbidden');
  });

  it('given she is admitted without a signed contract, when the facility starts retention, then a contract is required', () => {
    given(registered(), ...admittedWithoutContract)
      .when({ type: 'start-retention-episode', data: {} }, actors.facilityA)
      .thenRefused('RETENTION_CONTRACT_REQUIRED');
  });

  it('given she declined the contract, when the facility starts retention, then a contract is required', () => {
    given(
      registered(),
      ...admittedWithoutContract,
      event('RetentionContractOffered', { occurredAt: AT, outcome: 'declined' }),
    )
      .when({ type: 'start-retention-episode', data: {} }, actors.facilityA)
      .thenRefused('RETENTION_CONTRACT_REQUIRED');
  });

  it('given the signed contract has ended, when the facility starts retention, then a contract is required', () => {
    given(
      registered(),
      ...admittedWithContract,
      event('RetentionContractEnded', { occurredAt: AT, reason: 'case-closed' }),
    )
      .when({ type: 'start-retention-episode', data: {} }, actors.facilityA)
      .thenRefused('RETENTION_CONTRACT_REQUIRED');
  });

  it('given an episode is running, when another starts, then it is refused', () => {
    given(registered(), ...admittedWithContract, ...after.retentionEpisode)
      .when({ type: 'start-retention-episode', data: {} }, actors.facilityA)
      .thenRefused('RETENTION_EPISODE_ACTIVE');
  });

  it('given the birth (which ended the contract), when the facility starts retention, then it is refused', () => {
    given(
      registered(),
      ...admittedWithContract,
      ...after.born,
      event('RetentionContractEnded', { occurredAt: AT, reason: 'birth' }),
    )
      .when({ type: 'start-retention-episode', data: {} }, actors.facilityA)
      .thenRefused('BIRTH_ALREADY_RECORDED');
  });

  it('given the pregnancy ended, when the facility starts retention, then it is refused', () => {
    given(
      registered(),
      ...admittedWithContract,
      event('PregnancyEnded', { occurredAt: AT, reason: 'stillbirth' }),
      event('RetentionContractEnded', { occurredAt: AT, reason: 'pregnancy-ended' }),
    )
      .when({ type: 'start-retention-episode', data: {} }, actors.facilityA)
      .thenRefused('PREGNANCY_ENDED');
  });
});

describe('end-retention-episode', () => {
  it('given episode 1 is running, when the facility ends it, then episode 1 ends with reason "ended"', () => {
    given(registered(), ...admittedWithContract, ...after.retentionEpisode)
      .when({ type: 'end-retention-episode', data: { note: 'calm again' } }, actors.facilityA)
      .then([event('RetentionEpisodeEnded', { occurredAt: AT, episode: 1, reason: 'ended', note: 'calm again' })]);
  });

  it('given episode 2 is running, when it is ended yesterday, then episode 2 ends at the backdated time', () => {
    given(
      registered({ occurredAt: EARLIER }),
      ...happenedAt(EARLIER, [...admittedWithContract, ...after.retentionEpisode, episodeEnded]),
      event('RetentionEpisodeStarted', { occurredAt: '2026-11-21T09:00:00.000Z', episode: 2 }),
    )
      .when({ type: 'end-retention-episode', data: { occurredAt: YESTERDAY } }, actors.facilityA)
      .then([event('RetentionEpisodeEnded', { occurredAt: YESTERDAY, episode: 2, reason: 'ended' })]);
  });

  it('given no episode is running, when the facility ends one, then it is refused', () => {
    given(registered(), ...admittedWithContract)
      .when({ type: 'end-retention-episode', data: {} }, actors.facilityA)
      .thenRefused('NO_RETENTION_EPISODE');
    given(registered(), ...admittedWithContract, ...after.retentionEpisode, episodeEnded)
      .when({ type: 'end-retention-episode', data: {} }, actors.facilityA)
      .thenRefused('NO_RETENTION_EPISODE');
  });

  it('given episode 1 is running at facility A, when facility B ends it, then it is refused as not the case facility', () => {
    given(registered(), ...admittedWithContract, ...after.retentionEpisode)
      .when({ type: 'end-retention-episode', data: {} }, actors.facilityB)
      .thenRefused('NOT_CASE_FACILITY', 'forbidden');
  });
});

describe('discharge-from-residential', () => {
  it('given she is admitted, when the facility discharges her, then she is discharged from the facility', () => {
    const history = [registered(), ...admittedWithoutContract];
    const when = given(...history).when(
      { type: 'discharge-from-residential', data: { note: 'planned' } },
      actors.facilityA,
    );
    when.then([
      event('DischargedFromResidential', { occurredAt: AT, facility: 'facility:holmegaardshuset', note: 'planned' }),
    ]);
    if (!when.decision.ok) throw new Error('refused');
    expect(stateAfter(history, when.decision.events).admission).toBeNull();
  });

  it('given the retention episode has ended, when she is discharged yesterday, then the backdated discharge is recorded', () => {
    given(
      registered({ occurredAt: EARLIER }),
      ...happenedAt(EARLIER, [...admittedWithContract, ...after.retentionEpisode, episodeEnded]),
    )
      .when({ type: 'discharge-from-residential', data: { occurredAt: YESTERDAY } }, actors.facilityA)
      .then([event('DischargedFromResidential', { occurredAt: YESTERDAY, facility: 'facility:holmegaardshuset' })]);
  });

  it('given a retention episode is running, when the facility discharges her, then it is refused', () => {
    given(registered(), ...admittedWithContract, ...after.retentionEpisode)
      .when({ type: 'discharge-from-residential', data: {} }, actors.facilityA)
      .thenRefused('RETENTION_EPISODE_ACTIVE');
  });

  it('given she is not admitted (never, or already discharged), when the facility discharges her, then it is refused', () => {
    given(registered(), ...readyToAdmit)
      .when({ type: 'discharge-from-residential', data: {} }, actors.facilityA)
      .thenRefused('NOT_ADMITTED');
    given(registered(), ...admittedWithoutContract, discharged)
      .when({ type: 'discharge-from-residential', data: {} }, actors.facilityA)
      .thenRefused('NOT_ADMITTED');
  });

  it('given she is admitted at facility A, when facility B discharges her, then it is refused as not the case facility', () => {
    given(registered(), ...admittedWithoutContract)
      .when({ type: 'discharge-from-residential', data: {} }, actors.facilityB)
      .thenRefused('NOT_CASE_FACILITY', 'forbidden');
  });
});

describe('end-retention-contract', () => {
  it('given a signed contract and no episode running, when the facility ends it, then it ends and its total clock is met', () => {
    const history = withMilestones(registered(), ...admittedWithContract);
    const events = given(...history)
      .when({ type: 'end-retention-contract', data: { note: 'no longer needed' } }, actors.facilityA)
      .events();
    expect(events[0]).toEqual(
      event('RetentionContractEnded', { occurredAt: AT, reason: 'ended', note: 'no longer needed' }),
    );
    expect(stateAfter(history, events).milestones['retention-total-1']).toMatchObject({ status: 'met', late: false });
    // Ended, it cannot be ended again, and a new episode needs a new contract.
    given(...history, ...events)
      .when({ type: 'end-retention-contract', data: {} }, actors.facilityA)
      .thenRefused('NO_RETENTION_CONTRACT');
    given(...history, ...events)
      .when({ type: 'start-retention-episode', data: {} }, actors.facilityA)
      .thenRefused('RETENTION_CONTRACT_REQUIRED');
  });

  it('given an episode running, when the facility ends the contract, then it is refused: the episode ends first', () => {
    given(registered(), ...admittedWithContract, ...after.retentionEpisode)
      .when({ type: 'end-retention-contract', data: {} }, actors.facilityA)
      .thenRefused('RETENTION_EPISODE_ACTIVE');
  });

  it('given no signed contract, when the facility ends one, then it is refused', () => {
    given(registered(), ...admittedWithoutContract)
      .when({ type: 'end-retention-contract', data: {} }, actors.facilityA)
      .thenRefused('NO_RETENTION_CONTRACT');
  });

  it('given her contract at facility A, when facility B ends it, then it is refused as not the case facility, also after her discharge', () => {
    given(registered(), ...admittedWithContract)
      .when({ type: 'end-retention-contract', data: {} }, actors.facilityB)
      .thenRefused('NOT_CASE_FACILITY', 'forbidden');
    given(registered(), ...admittedWithContract, discharged)
      .when({ type: 'end-retention-contract', data: {} }, actors.facilityB)
      .thenRefused('NOT_CASE_FACILITY', 'forbidden');
    given(registered(), ...admittedWithContract, discharged)
      .when({ type: 'end-retention-contract', data: {} }, actors.facilityA)
      .then([event('RetentionContractEnded', { occurredAt: AT, reason: 'ended' })]);
  });
});
