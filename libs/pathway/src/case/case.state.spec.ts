import { defaultPolicy } from '../policy/default-policy';
import { policyRegistry } from '../policy/policy';
import { pregnancyAt, summarise, viewAt } from './case-summary';
import { event, type CaseEvent } from './case.events';
import { evolve, fold, initialState, occupiedFacility, stageOf, type OpenCase, type Stage } from './case.state';
import { AT, DUE, NOW, POLICIES, after, registered } from './testing/given-when-then';

function open(...events: CaseEvent[]): OpenCase {
  const state = fold(events);
  if (state.status === 'none') throw new Error('no case');
  return state;
}

const alice = { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' };
const bent = { id: 'bent', name: 'Bent Nielsen', organisation: 'clinic:1082' };

describe('evolve', () => {
  it('given no case, when a concern is registered, then the case opens at version 1 with the registration facts', () => {
    const state = evolve(initialState, registered({ cprRecorded: true, substances: ['opioids', 'benzodiazepines'] }));
    expect(state).toMatchObject({
      status: 'open',
      version: 1,
      detectedAt: AT,
      registeredBy: 'gp:hansen',
      municipality: '851',
      estimatedDueDate: DUE,
      substances: ['opioids', 'benzodiazepines'],
      cprRecorded: true,
      clinic: null,
      coordinator: null,
      closed: null,
      consent: { residential: null, 'information-sharing': null, 'retention-contract': null },
    });
  });

  it('given no case, when any other event comes first, then it throws', () => {
    expect(() => evolve(initialState, event('BirthRecorded', { occurredAt: AT }))).toThrow(/before ConcernRegistered/);
  });

  it('given a case, when events are folded, then each one counts a version and the input state is not changed', () => {
    const first = open(registered());
    const second = evolve(first, event('ContactLost', { occurredAt: AT }));
    expect(second.version).toBe(2);
    expect(first.version).toBe(1);
    expect(first.contactLostSince).toBeNull();
    expect(open(registered(), ...after.referredToClinic, ...after.contactLost).version).toBe(3);
  });

  it('given a concern registered by the clinic, then the clinic is the case clinic', () => {
    expect(open(registered({ registeredBy: 'clinic:1081' })).clinic).toBe('clinic:1081');
  });

  it('given a notification, when it is assessed "investigate", then an investigation opens; a second "investigate" keeps it; after conclusion a new one opens', () => {
    const later = '2026-11-23T12:00:00.000Z';
    const notified2 = event('MunicipalityNotified', {
      occurredAt: AT,
      notificationId: 'notification-2',
      municipality: '851',
      byProfessional: true,
      handoffId: 'handoff-2',
    });
    const investigating = open(registered(), ...after.notified, ...after.investigating);
    expect(investigating.investigation).toEqual({ openedAt: AT, concludedAt: null });
    expect(investigating.notifications).toEqual([
      {
        id: 'notification-1',
        municipality: '851',
        byProfessional: true,
        notifiedAt: AT,
        receiptConfirmedAt: null,
        assessedAt: AT,
        outcome: 'investigate',
      },
    ]);

    const again = open(
      registered(),
      ...after.notified,
      ...after.investigating,
      notified2,
      event('NotificationAssessed', { occurredAt: later, notificationId: 'notification-2', outcome: 'investigate' }),
    );
    expect(again.investigation).toEqual({ openedAt: AT, concludedAt: null });

    const reopened = open(
      registered(),
      ...after.notified,
      ...after.investigating,
      event('InvestigationConcluded', { occurredAt: AT }),
      notified2,
      event('NotificationAssessed', { occurredAt: later, notificationId: 'notification-2', outcome: 'investigate' }),
    );
    expect(reopened.investigation).toEqual({ openedAt: later, concludedAt: null });
  });

  it('given the residential path, then the placement goes requested → granted → used and the admission is held until discharge', () => {
    expect(open(registered(), ...after.placementRequested).placement).toEqual({
      status: 'requested',
      requestedAt: AT,
      facility: null,
    });
    expect(open(registered(), ...after.placementGranted).placement).toEqual({
      status: 'granted',
      requestedAt: AT,
      facility: 'facility:holmegaardshuset',
    });
    const admitted = open(registered(), ...after.placementGranted, ...after.residentialConsent, ...after.admitted);
    expect(admitted.placement?.status).toBe('used');
    expect(admitted.admission).toEqual({ facility: 'facility:holmegaardshuset', admittedAt: AT });
    expect(admitted.admissions).toBe(1);
    const discharged = evolve(
      admitted,
      event('DischargedFromResidential', { occurredAt: AT, facility: 'facility:holmegaardshuset' }),
    );
    expect(discharged).toMatchObject({ admission: null, admissions: 1 });
  });

  it('given the residential path, then she takes a place of the facility only while admitted in an open case', () => {
    const granted = open(registered(), ...after.placementGranted, ...after.residentialConsent);
    expect(occupiedFacility(initialState)).toBeNull();
    expect(occupiedFacility(granted)).toBeNull();
    const admitted = open(registered(), ...after.placementGranted, ...after.residentialConsent, ...after.admitted);
    expect(occupiedFacility(admitted)).toBe('facility:holmegaardshuset');
    const discharged = evolve(
      admitted,
      event('DischargedFromResidential', { occurredAt: AT, facility: 'facility:holmegaardshuset' }),
    );
    expect(occupiedFacility(discharged)).toBeNull();
    expect(occupiedFacility(evolve(admitted, after.closed[0]))).toBeNull();
  });

  it('given a hand-off, when it is acknowledged, then only that hand-off records the time', () => {
    const later = '2026-11-23T12:00:00.000Z';
    const state = open(
      registered(),
      ...after.referredToClinic,
      event('MunicipalityNotified', {
        occurredAt: AT,
        notificationId: 'notification-1',
        municipality: '851',
        byProfessional: true,
        handoffId: 'handoff-2',
      }),
      event('HandoffAcknowledged', { occurredAt: later, handoffId: 'handoff-2', organisation: 'municipality:851' }),
    );
    expect(state.handoffs).toEqual([
      { id: 'handoff-1', kind: 'clinic-referral', to: 'clinic:1081', sentAt: AT, acknowledgedAt: null },
      { id: 'handoff-2', kind: 'municipality-notification', to: 'municipality:851', sentAt: AT, acknowledgedAt: later },
    ]);
  });

  it('given a signed contract and a retention episode, when they end, then the contract records its end and the episode is cleared but counted', () => {
    const state = open(
      registered(),
      ...after.placementGranted,
      ...after.residentialConsent,
      ...after.contractSigned,
      ...after.admitted,
      ...after.retentionEpisode,
      event('RetentionEpisodeEnded', { occurredAt: AT, episode: 1, reason: 'birth' }),
      event('RetentionContractEnded', { occurredAt: AT, reason: 'birth' }),
    );
    expect(state.retentionContract).toEqual({ status: 'signed', offeredAt: AT, endedAt: AT });
    expect(state.retentionEpisode).toBeNull();
    expect(state.retentionEpisodes).toBe(1);
    expect(state.consent['retention-contract']).toBe('given');
  });

  it('given a move, then the new municipality is responsible and the old one is a former municipality', () => {
    const state = open(
      registered(),
      event('MunicipalityTransferred', { occurredAt: AT, from: '851', to: '751', handoffId: 'handoff-1' }),
    );
    expect(state.municipality).toBe('751');
    expect(state.formerMunicipalities).toEqual(['851']);
    expect(state.handoffs).toEqual([
      { id: 'handoff-1', kind: 'municipality-transfer', to: 'municipality:751', sentAt: AT, acknowledgedAt: null },
    ]);
  });
});

describe('stageOf', () => {
  const at = (h: number) => `2026-11-${String(10 + h).padStart(2, '0')}T09:00:00.000Z`;
  // One course along the whole path, in order; each step names the stage it leaves the case in.
  const course: [string, CaseEvent, Stage][] = [
    ['registered by the GP', registered({ occurredAt: at(0) }), 'detected'],
    [
      'coordinator assigned',
      event('CoordinatorAssigned', { occurredAt: at(0), coordinator: alice, previous: null }),
      'detected',
    ],
    [
      'referred to the clinic',
      event('ClinicReferralMade', { occurredAt: at(0), clinic: 'clinic:1081', handoffId: 'handoff-1' }),
      'clinic',
    ],
    ['first clinic visit', event('ClinicVisitRecorded', { occurredAt: at(1), visitNumber: 1 }), 'clinic'],
    [
      'municipality notified',
      event('MunicipalityNotified', {
        occurredAt: at(1),
        notificationId: 'notification-1',
        municipality: '851',
        byProfessional: true,
        handoffId: 'handoff-2',
      }),
      'municipality',
    ],
    [
      'notification assessed',
      event('NotificationAssessed', { occurredAt: at(1), notificationId: 'notification-1', outcome: 'support' }),
      'municipality',
    ],
    ['placement requested', event('ResidentialPlacementRequested', { occurredAt: at(2) }), 'municipality'],
    [
      'placement granted',
      event('ResidentialPlacementGranted', {
        occurredAt: at(2),
        facility: 'facility:holmegaardshuset',
        handoffId: 'handoff-3',
      }),
      'municipality',
    ],
    ['consent given', event('ConsentGiven', { occurredAt: at(2), scope: 'residential' }), 'municipality'],
    [
      'admitted',
      event('AdmittedToResidential', { occurredAt: at(3), facility: 'facility:holmegaardshuset' }),
      'residential',
    ],
    [
      'discharged',
      event('DischargedFromResidential', { occurredAt: at(4), facility: 'facility:holmegaardshuset' }),
      'municipality',
    ],
    ['placement requested again', event('ResidentialPlacementRequested', { occurredAt: at(5) }), 'municipality'],
    [
      'granted again',
      event('ResidentialPlacementGranted', {
        occurredAt: at(5),
        facility: 'facility:holmegaardshuset',
        handoffId: 'handoff-4',
      }),
      'municipality',
    ],
    [
      'admitted again',
      event('AdmittedToResidential', { occurredAt: at(6), facility: 'facility:holmegaardshuset' }),
      'residential',
    ],
    ['birth while admitted', event('BirthRecorded', { occurredAt: at(7) }), 'post_birth'],
    [
      'discharged after the birth',
      event('DischargedFromResidential', { occurredAt: at(8), facility: 'facility:holmegaardshuset' }),
      'post_birth',
    ],
    ['health-visitor visit', event('HealthVisitorVisitRecorded', { occurredAt: at(9), visitNumber: 1 }), 'post_birth'],
    ['closed', event('CaseClosed', { occurredAt: at(10), reason: 'completed' }), 'closed'],
  ];

  it.each(course.map((step, i) => [step[0], step[2], i] as const))(
    'given the course up to "%s", then the stage is %s',
    (_step, stage, i) => {
      expect(stageOf(open(...course.slice(0, i + 1).map(([, e]) => e)))).toBe(stage);
    },
  );

  it('given a concern registered by the clinic, then the case starts in the clinic stage', () => {
    expect(stageOf(open(registered({ registeredBy: 'clinic:1081' })))).toBe('clinic');
  });

  it('given a concern the municipality registered itself (and so was notified), then the stage is municipality without a clinic', () => {
    const state = open(
      registered({ registeredBy: 'municipality:851' }),
      event('MunicipalityNotified', {
        occurredAt: AT,
        notificationId: 'notification-1',
        municipality: '851',
        byProfessional: false,
        handoffId: null,
      }),
    );
    expect(stageOf(state)).toBe('municipality');
  });

  it('given the municipality granted a placement and she was admitted and discharged without any notification, then the stage goes back to municipality', () => {
    const history = [
      registered(),
      ...after.placementGranted,
      ...after.residentialConsent,
      ...after.admitted,
      event('DischargedFromResidential', { occurredAt: AT, facility: 'facility:holmegaardshuset' }),
    ];
    expect(stageOf(open(...history))).toBe('municipality');
  });

  it('given a case closed before the birth, then the stage is closed', () => {
    expect(stageOf(open(registered(), ...after.closed))).toBe('closed');
  });
});

describe('parties', () => {
  it('given a registration, then the registrar and the responsible municipality are the parties', () => {
    expect(open(registered()).parties).toEqual(['gp:hansen', 'municipality:851']);
  });

  it('given the municipality registered the concern, then it is a party once', () => {
    expect(open(registered({ registeredBy: 'municipality:851' })).parties).toEqual(['municipality:851']);
  });

  it('given a course through clinic, coordinator, facility and a move, then every organisation with a part is a party, once, the former municipality included', () => {
    const state = open(
      registered(),
      ...after.referredToClinic,
      event('CoordinatorAssigned', { occurredAt: AT, coordinator: alice, previous: null }),
      event('CoordinatorAssigned', { occurredAt: AT, coordinator: bent, previous: alice }),
      event('ResidentialPlacementRequested', { occurredAt: AT }),
      event('ResidentialPlacementGranted', {
        occurredAt: AT,
        facility: 'facility:kastaniegaarden',
        handoffId: 'handoff-2',
      }),
      event('AdmittedToResidential', { occurredAt: AT, facility: 'facility:kastaniegaarden' }),
      event('MunicipalityTransferred', { occurredAt: AT, from: '851', to: '751', handoffId: 'handoff-3' }),
    );
    expect([...state.parties].sort()).toEqual([
      'clinic:1081',
      'clinic:1082',
      'facility:kastaniegaarden',
      'gp:hansen',
      'municipality:751',
      'municipality:851',
    ]);
    expect(new Set(state.parties).size).toBe(state.parties.length);
  });

  it('given a refused placement or a mere notification, then no new party is added', () => {
    const state = open(
      registered(),
      ...after.notified,
      ...after.placementRequested,
      event('ResidentialPlacementRefused', { occurredAt: AT }),
    );
    expect(state.parties).toEqual(['gp:hansen', 'municipality:851']);
  });
});

describe('summarise', () => {
  const envelope = 'v1:Zm9v:YmFy:c2VjcmV0LWNwci1lbnZlbG9wZQ==';

  it('given a CPR recorded, then the summary reports hasCpr and nothing of the CPR', () => {
    const summary = summarise(open(registered({ cprRecorded: true })));
    expect(summary.hasCpr).toBe(true);
    expect('cprRecorded' in summary).toBe(false);
    expect('encryptedCpr' in summary).toBe(false);
  });

  it('given a legacy event that carries the envelope itself, then the case has a CPR, and neither state nor summary holds the envelope', () => {
    const state = open(registered({ cprRecorded: undefined, encryptedCpr: envelope }));
    expect(state.cprRecorded).toBe(true);
    expect(JSON.stringify(state)).not.toContain(envelope);
    const summary = summarise(state);
    expect(JSON.stringify(summary)).not.toContain(envelope);
    expect(summary.hasCpr).toBe(true);
  });

  it('given no CPR, in either shape, then hasCpr is false and encryptedCpr is absent', () => {
    for (const data of [{ cprRecorded: false }, { cprRecorded: undefined, encryptedCpr: null }]) {
      const summary = summarise(open(registered(data)));
      expect(summary.hasCpr).toBe(false);
      expect('encryptedCpr' in summary).toBe(false);
    }
  });

  it('given a case, then the summary names the responsible municipality with its region and carries the stage', () => {
    const summary = summarise(open(registered(), ...after.referredToClinic));
    expect(summary.municipality).toEqual({ code: '851', name: 'Aalborg', region: '1081' });
    expect(summary.stage).toBe('clinic');
    expect(summary.reference).toBe('K7F3QX');
  });

  it('given a move to Aarhus, then the summary names Aarhus in Region Midtjylland', () => {
    const summary = summarise(
      open(
        registered(),
        event('MunicipalityTransferred', { occurredAt: AT, from: '851', to: '751', handoffId: 'handoff-1' }),
      ),
    );
    expect(summary.municipality).toEqual({ code: '751', name: 'Aarhus', region: '1082' });
    expect(summary.formerMunicipalities).toEqual(['851']);
  });
});

describe('viewAt', () => {
  it('given a pregnancy due 1 March 2027, on 23 November 2026 the gestational age is 26+0 and the birth not imminent', () => {
    const view = viewAt(summarise(open(registered())), NOW, POLICIES);
    expect(view.gestationalAge).toEqual({ weeks: 26, days: 0 });
    expect(view.birthImminent).toBe(false);
  });

  it('given the same case three days later, then the age moves with the clock (26+3)', () => {
    expect(viewAt(summarise(open(registered())), new Date('2026-11-26T09:00:00Z'), POLICIES).gestationalAge).toEqual({
      weeks: 26,
      days: 3,
    });
  });

  it.each([
    ['2026-12-15', { weeks: 36, days: 6 }, false],
    ['2026-12-14', { weeks: 37, days: 0 }, true],
    ['2026-12-01', { weeks: 38, days: 6 }, true],
  ])('given a due date %s, then at NOW the age is %o and birthImminent %s', (due, age, imminent) => {
    const view = viewAt(summarise(open(registered({ estimatedDueDate: due }))), NOW, POLICIES);
    expect(view.gestationalAge).toEqual(age);
    expect(view.birthImminent).toBe(imminent);
  });

  it('given a corrected due date, then the age is derived from the new date', () => {
    const view = viewAt(
      summarise(
        open(registered(), event('DueDateUpdated', { occurredAt: AT, estimatedDueDate: '2026-12-14', previous: DUE })),
      ),
      NOW,
      POLICIES,
    );
    expect(view.gestationalAge).toEqual({ weeks: 37, days: 0 });
    expect(view.birthImminent).toBe(true);
  });

  it("given a policy whose birth-imminent week is 38, then the birth is imminent from 38+0 for the cases under it, and the work queue's pregnancies say the same", () => {
    const v3 = { ...defaultPolicy(), version: 3, scaling: { ...defaultPolicy().scaling, birthImminentWeek: 38 } };
    const policies = policyRegistry(defaultPolicy(), [v3]);
    const at = (due: string, version: number) =>
      viewAt(
        summarise(open(registered({ estimatedDueDate: due, policy: { name: 'pregnancy-substance-use', version } }))),
        NOW,
        policies,
      ).birthImminent;
    expect([at('2026-12-14', 1), at('2026-12-14', 3), at('2026-12-07', 3)]).toEqual([true, false, true]); // 37+0, 37+0, 38+0
    const pregnancy = { estimatedDueDate: '2026-12-14', birthAt: null, pregnancyEnded: null, status: 'open' as const };
    expect(
      pregnancyAt({ ...pregnancy, policy: { name: 'pregnancy-substance-use', version: 3 } }, NOW, policies),
    ).toEqual({
      age: { days: 259, weeks: 37, extraDays: 0 },
      birthImminent: false,
    });
    // A summary from before cases recorded their policy runs under version 1; a version not loaded here reads the active one's week.
    expect(pregnancyAt(pregnancy, NOW, policies)?.birthImminent).toBe(true);
    expect(
      pregnancyAt({ ...pregnancy, policy: { name: 'pregnancy-substance-use', version: 9 } }, NOW, policyRegistry(v3))
        ?.birthImminent,
    ).toBe(false);
  });

  it.each([
    ['the birth', [...after.born]],
    ['the end of the pregnancy', [event('PregnancyEnded', { occurredAt: AT, reason: 'miscarriage' })]],
    ['close-case', [...after.closed]],
  ])('given %s, then there is no gestational age and the birth is not imminent, even past week 37', (_what, events) => {
    const view = viewAt(summarise(open(registered({ estimatedDueDate: '2026-12-01' }), ...events)), NOW, POLICIES);
    expect(view.gestationalAge).toBeNull();
    expect(view.birthImminent).toBe(false);
  });
});
