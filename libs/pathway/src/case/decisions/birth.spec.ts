import { PREGNANCY_END_REASONS } from '../case.commands';
import { event } from '../case.events';
import {
  AT,
  actors,
  after,
  given,
  happenedAt,
  play,
  registered,
  stateAfter,
  withMilestones,
} from '../testing/given-when-then';

const EARLIER = '2026-11-20T09:00:00.000Z';
const LAST_NIGHT = '2026-11-23T02:30:00.000Z';

const placementHandoffAcknowledged = event('HandoffAcknowledged', {
  occurredAt: AT,
  handoffId: 'handoff-1',
  organisation: 'facility:holmegaardshuset',
});
/** Admitted to facility A with a signed retention contract (no episode running). */
const admittedWithContract = [
  ...after.placementGranted,
  ...after.residentialConsent,
  ...after.contractSigned,
  placementHandoffAcknowledged,
  ...after.admitted,
];
const inRetention = [...admittedWithContract, ...after.retentionEpisode];
const miscarriage = event('PregnancyEnded', { occurredAt: AT, reason: 'miscarriage' });

describe('record-birth', () => {
  it('given a pregnancy, when the clinic records the birth, then the birth is recorded', () => {
    given(registered())
      .when({ type: 'record-birth', data: { note: 'healthy girl' } }, actors.clinicNord)
      .then([event('BirthRecorded', { occurredAt: AT, note: 'healthy girl' })]);
  });

  it('given a pregnancy, when the birth is reported for last night, then it is recorded at that time', () => {
    given(registered({ occurredAt: EARLIER }))
      .when({ type: 'record-birth', data: { occurredAt: LAST_NIGHT } }, actors.coordinator)
      .then([event('BirthRecorded', { occurredAt: LAST_NIGHT })]);
  });

  it('given an active retention episode, when the birth is recorded, then the episode and the contract end with reason "birth"', () => {
    const history = [registered(), ...inRetention];
    const when = given(...history).when({ type: 'record-birth', data: {} }, actors.facilityA);
    when.then([
      event('BirthRecorded', { occurredAt: AT }),
      event('RetentionEpisodeEnded', { occurredAt: AT, episode: 1, reason: 'birth' }),
      event('RetentionContractEnded', { occurredAt: AT, reason: 'birth' }),
    ]);
    if (!when.decision.ok) throw new Error('refused');
    const state = stateAfter(history, when.decision.events);
    expect(state.retentionEpisode).toBeNull();
    expect(state.retentionContract).toEqual({ status: 'signed', offeredAt: AT, endedAt: AT });
    expect(state.birthAt).toBe(AT);
  });

  it('given a running episode, when the birth is backdated, then the retention ends at the birth time', () => {
    given(registered({ occurredAt: EARLIER }), ...happenedAt(EARLIER, inRetention))
      .when({ type: 'record-birth', data: { occurredAt: LAST_NIGHT } }, actors.facilityA)
      .then([
        event('BirthRecorded', { occurredAt: LAST_NIGHT }),
        event('RetentionEpisodeEnded', { occurredAt: LAST_NIGHT, episode: 1, reason: 'birth' }),
        event('RetentionContractEnded', { occurredAt: LAST_NIGHT, reason: 'birth' }),
      ]);
  });

  it('given episode 2 is running, when the birth is recorded, then episode 2 ends', () => {
    given(
      registered(),
      ...inRetention,
      event('RetentionEpisodeEnded', { occurredAt: AT, episode: 1, reason: 'ended' }),
      event('RetentionEpisodeStarted', { occurredAt: AT, episode: 2 }),
    )
      .when({ type: 'record-birth', data: {} }, actors.facilityA)
      .then([
        event('BirthRecorded', { occurredAt: AT }),
        event('RetentionEpisodeEnded', { occurredAt: AT, episode: 2, reason: 'birth' }),
        event('RetentionContractEnded', { occurredAt: AT, reason: 'birth' }),
      ]);
  });

  it('given a signed contract but no episode running, when the birth is recorded, then only the contract ends', () => {
    given(registered(), ...admittedWithContract)
      .when({ type: 'record-birth', data: {} }, actors.facilityA)
      .then([
        event('BirthRecorded', { occurredAt: AT }),
        event('RetentionContractEnded', { occurredAt: AT, reason: 'birth' }),
      ]);
  });

  it('given a declined or already ended contract, when the birth is recorded, then there is no retention to end', () => {
    given(
      registered(),
      ...after.placementGranted,
      event('RetentionContractOffered', { occurredAt: AT, outcome: 'declined' }),
    )
      .when({ type: 'record-birth', data: {} }, actors.aalborg)
      .then([event('BirthRecorded', { occurredAt: AT })]);
    given(
      registered(),
      ...after.placementGranted,
      ...after.contractSigned,
      event('RetentionContractEnded', { occurredAt: AT, reason: 'case-closed' }),
    )
      .when({ type: 'record-birth', data: {} }, actors.aalborg)
      .then([event('BirthRecorded', { occurredAt: AT })]);
  });

  it('given the birth was recorded, when it is recorded again, then it is refused (a birth is recorded once)', () => {
    given(registered(), ...after.born)
      .when({ type: 'record-birth', data: {} }, actors.clinicNord)
      .thenRefused('BIRTH_ALREADY_RECORDED');
  });

  it('given the pregnancy ended, when a birth is recorded, then it is refused', () => {
    given(registered(), miscarriage)
      .when({ type: 'record-birth', data: {} }, actors.clinicNord)
      .thenRefused('PREGNANCY_ENDED');
  });

  it('given a pregnancy, when the birth is reported in the future, then it is refused', () => {
    given(registered())
      .when({ type: 'record-birth', data: { occurredAt: '2026-11-23T12:00:00.000Z' } }, actors.clinicNord)
      .thenRefused('OCCURRED_IN_FUTURE');
  });
});

describe('record-post-birth-plan', () => {
  it('given a pregnancy (28 days before the due date the plan is due), when the municipality records the plan, then it is recorded', () => {
    given(registered())
      .when({ type: 'record-post-birth-plan', data: { note: 'health visitor from day 2' } }, actors.aalborg)
      .then([event('PostBirthPlanRecorded', { occurredAt: AT, note: 'health visitor from day 2' })]);
  });

  it('given the birth, when the clinic records the plan, then it is recorded', () => {
    const history = [registered(), ...after.born];
    const when = given(...history).when({ type: 'record-post-birth-plan', data: {} }, actors.clinicNord);
    when.then([event('PostBirthPlanRecorded', { occurredAt: AT })]);
    if (!when.decision.ok) throw new Error('refused');
    expect(stateAfter(history, when.decision.events).postBirthPlanAt).toBe(AT);
  });

  it('given a case, when a facility records the plan, then its role is not permitted', () => {
    given(registered())
      .when({ type: 'record-post-birth-plan', data: {} }, actors.facilityA)
      .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
  });
});

describe('record-health-visitor-visit', () => {
  it('given the birth, when the municipality records the first health-visitor visit, then visit 1 is recorded', () => {
    given(registered(), ...after.born)
      .when({ type: 'record-health-visitor-visit', data: { note: 'day 4' } }, actors.aalborg)
      .then([event('HealthVisitorVisitRecorded', { occurredAt: AT, visitNumber: 1, note: 'day 4' })]);
  });

  it('given a first visit, when a second is recorded for yesterday, then visit 2 is recorded at that time', () => {
    given(
      registered({ occurredAt: EARLIER }),
      ...happenedAt(EARLIER, after.born),
      event('HealthVisitorVisitRecorded', { occurredAt: EARLIER, visitNumber: 1 }),
    )
      .when({ type: 'record-health-visitor-visit', data: { occurredAt: LAST_NIGHT } }, actors.aalborg)
      .then([event('HealthVisitorVisitRecorded', { occurredAt: LAST_NIGHT, visitNumber: 2 })]);
  });

  it('given no birth (still pregnant, or the pregnancy ended), when a health-visitor visit is recorded, then it is refused', () => {
    given(registered())
      .when({ type: 'record-health-visitor-visit', data: {} }, actors.aalborg)
      .thenRefused('BIRTH_NOT_RECORDED');
    given(registered(), miscarriage)
      .when({ type: 'record-health-visitor-visit', data: {} }, actors.aalborg)
      .thenRefused('BIRTH_NOT_RECORDED');
  });

  it('given the birth, when another municipality records a visit, then it is refused as not the responsible municipality', () => {
    given(registered(), ...after.born)
      .when({ type: 'record-health-visitor-visit', data: {} }, actors.aarhus)
      .thenRefused('NOT_RESPONSIBLE_MUNICIPALITY', 'forbidden');
  });
});

describe('record-postpartum-check', () => {
  it('given the birth, when the clinic records the postpartum check, then it is recorded', () => {
    given(registered(), ...after.born)
      .when({ type: 'record-postpartum-check', data: { note: 'week 6' } }, actors.clinicNord)
      .then([event('PostpartumCheckRecorded', { occurredAt: AT, note: 'week 6' })]);
  });

  it('given the pregnancy ended, when the GP records the check for last night, then it is recorded at that time', () => {
    given(registered({ occurredAt: EARLIER }), happenedAt(EARLIER, [miscarriage])[0])
      .when({ type: 'record-postpartum-check', data: { occurredAt: LAST_NIGHT } }, actors.gp)
      .then([event('PostpartumCheckRecorded', { occurredAt: LAST_NIGHT })]);
  });

  it('given she is still pregnant, when a postpartum check is recorded, then it is refused', () => {
    given(registered())
      .when({ type: 'record-postpartum-check', data: {} }, actors.clinicNord)
      .thenRefused('BIRTH_NOT_RECORDED');
  });

  it('given the check was recorded, when it is recorded again, then it is refused (once)', () => {
    given(registered(), ...after.born, event('PostpartumCheckRecorded', { occurredAt: AT }))
      .when({ type: 'record-postpartum-check', data: {} }, actors.gp)
      .thenRefused('POSTPARTUM_CHECK_ALREADY_RECORDED');
  });

  it('given the birth, when the municipality records the check, then its role is not permitted', () => {
    given(registered(), ...after.born)
      .when({ type: 'record-postpartum-check', data: {} }, actors.aalborg)
      .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
  });
});

describe('record-pregnancy-ended', () => {
  it.each(PREGNANCY_END_REASONS)(
    'given a pregnancy, when it ends by %s, then the end and its reason are recorded',
    (reason) => {
      const history = [registered()];
      const when = given(...history).when({ type: 'record-pregnancy-ended', data: { reason } }, actors.clinicNord);
      when.then([event('PregnancyEnded', { occurredAt: AT, reason })]);
      if (!when.decision.ok) throw new Error('refused');
      expect(stateAfter(history, when.decision.events).pregnancyEnded).toEqual({ reason, occurredAt: AT });
    },
  );

  it('given a pregnancy, when the GP reports a miscarriage last night with a note, then it is recorded at that time', () => {
    given(registered({ occurredAt: EARLIER }))
      .when(
        { type: 'record-pregnancy-ended', data: { reason: 'miscarriage', occurredAt: LAST_NIGHT, note: 'week 12' } },
        actors.gp,
      )
      .then([event('PregnancyEnded', { occurredAt: LAST_NIGHT, reason: 'miscarriage', note: 'week 12' })]);
  });

  it('given an active retention episode, when the pregnancy ends, then the episode and the contract end with reason "pregnancy-ended"', () => {
    given(registered(), ...inRetention)
      .when({ type: 'record-pregnancy-ended', data: { reason: 'stillbirth' } }, actors.clinicNord)
      .then([
        event('PregnancyEnded', { occurredAt: AT, reason: 'stillbirth' }),
        event('RetentionEpisodeEnded', { occurredAt: AT, episode: 1, reason: 'pregnancy-ended' }),
        event('RetentionContractEnded', { occurredAt: AT, reason: 'pregnancy-ended' }),
      ]);
  });

  it('given a signed contract without an episode, when the pregnancy ends, then the contract ends', () => {
    given(registered(), ...admittedWithContract)
      .when({ type: 'record-pregnancy-ended', data: { reason: 'termination' } }, actors.aalborg)
      .then([
        event('PregnancyEnded', { occurredAt: AT, reason: 'termination' }),
        event('RetentionContractEnded', { occurredAt: AT, reason: 'pregnancy-ended' }),
      ]);
  });

  it('given the pregnancy ended, when it is recorded as ended again, then it is refused', () => {
    given(registered(), miscarriage)
      .when({ type: 'record-pregnancy-ended', data: { reason: 'termination' } }, actors.clinicNord)
      .thenRefused('PREGNANCY_ALREADY_ENDED');
  });

  it('given the birth, when the pregnancy is recorded as ended, then it is refused', () => {
    given(registered(), ...after.born)
      .when({ type: 'record-pregnancy-ended', data: { reason: 'stillbirth' } }, actors.clinicNord)
      .thenRefused('BIRTH_ALREADY_RECORDED');
  });

  it('given a pregnancy, when a facility records its end, then its role is not permitted', () => {
    given(registered())
      .when({ type: 'record-pregnancy-ended', data: { reason: 'miscarriage' } }, actors.facilityA)
      .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
  });
});

describe('a retention contract not yet offered when the pregnancy is over', () => {
  // Registered by the municipality itself (no notification duty), placement granted: the LAW offer of a
  // retention contract is due the same day, and the municipality has not made it.
  const granted = withMilestones(registered({ registeredBy: 'municipality:851' }), ...after.placementGranted);

  it.each([
    ['record-birth', {}, 'waived: birth-recorded'],
    ['record-pregnancy-ended', { reason: 'miscarriage' }, 'waived: pregnancy-ended'],
  ] as const)(
    'given the offer open, when %s, then it is waived (retention is for pregnant women) and the case can be closed',
    (type, data, reason) => {
      expect(stateAfter(granted, []).milestones['retention-contract-offer-1'].status).toBe('open');
      const h = play(granted, { type, data } as Parameters<typeof play>[1], actors.clinicNord);
      expect(stateAfter(h, []).milestones['retention-contract-offer-1']).toMatchObject({ status: 'waived' });
      expect(h).toContainEqual(
        expect.objectContaining({
          type: 'MilestoneWaived',
          data: expect.objectContaining({ milestone: 'retention-contract-offer-1', reason }),
        }),
      );
      // No open legal duty is left in the way of closing it.
      given(...h)
        .when({ type: 'close-case', data: { reason: 'completed' } }, actors.aalborg)
        .then([event('CaseClosed', { occurredAt: AT, reason: 'completed' })]);
    },
  );
});
