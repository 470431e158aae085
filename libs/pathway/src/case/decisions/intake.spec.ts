import { event } from '../case.events';
import { AT, CASE_ID, DUE, actors, after, given, registered } from '../testing/given-when-then';

const registerBody = {
  caseId: CASE_ID,
  reference: 'K7F3QX',
  cprRecorded: false,
  estimatedDueDate: DUE,
  municipality: '851',
  referrer: { kind: 'gp' as const, name: 'Lægehuset Hansen' },
  substances: ['cocaine' as const, 'cocaine' as const],
};

describe('register-concern', () => {
  it('given no case, when a GP registers a concern, then the concern is registered (substances de-duplicated)', () => {
    given().when({ type: 'register-concern', data: registerBody }, actors.gp).then([registered()]);
  });

  it('given no case, when the municipality registers a concern itself, then it is also notified (no hand-off)', () => {
    given()
      .when({ type: 'register-concern', data: registerBody }, actors.aalborg)
      .then([
        registered({ registeredBy: 'municipality:851' }),
        event('MunicipalityNotified', {
          occurredAt: AT,
          notificationId: 'notification-1',
          municipality: '851',
          byProfessional: false,
          handoffId: null,
        }),
      ]);
  });

  it('records a detection time in the past when given', () => {
    const occurredAt = '2026-11-20T14:00:00.000Z';
    given()
      .when({ type: 'register-concern', data: { ...registerBody, occurredAt } }, actors.gp)
      .then([registered({ occurredAt })]);
  });

  it.each([
    ['an unknown municipality', { municipality: '999' }, 'UNKNOWN_MUNICIPALITY'],
    ['a due date more than 40 weeks ahead', { estimatedDueDate: '2027-09-01' }, 'DUE_DATE_OUT_OF_RANGE'],
    ['a due date more than 4 weeks past', { estimatedDueDate: '2026-10-01' }, 'DUE_DATE_OUT_OF_RANGE'],
    ['a detection time in the future', { occurredAt: '2026-11-24T09:00:00.000Z' }, 'OCCURRED_IN_FUTURE'],
    [
      'a detection time before the pregnancy began (due 1 March 2027: from 25 May 2026)',
      { occurredAt: '2026-05-24T09:00:00.000Z' },
      'OCCURRED_BEFORE_PREGNANCY',
    ],
    ['a detection time centuries ago', { occurredAt: '1000-01-01T00:00:00.000Z' }, 'OCCURRED_BEFORE_PREGNANCY'],
  ])('refuses %s', (_what, override, code) => {
    given()
      .when({ type: 'register-concern', data: { ...registerBody, ...override } }, actors.gp)
      .thenRefused(code);
  });

  it('refuses an auditor and an admin', () => {
    given()
      .when({ type: 'register-concern', data: registerBody }, actors.auditor)
      .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
    given()
      .when({ type: 'register-concern', data: registerBody }, actors.admin)
      .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
  });

  it('refuses to register the same case twice', () => {
    given(registered())
      .when({ type: 'register-concern', data: registerBody }, actors.gp)
      .thenRefused('CASE_ALREADY_EXISTS');
  });
});

describe('refer-to-clinic', () => {
  it('given a registered case, when the GP refers, then the region clinic receives a hand-off', () => {
    given(registered())
      .when({ type: 'refer-to-clinic', data: {} }, actors.gp)
      .then([event('ClinicReferralMade', { occurredAt: AT, clinic: 'clinic:1081', handoffId: 'handoff-1' })]);
  });

  it('refers to another clinic when named', () => {
    given(registered())
      .when(
        { type: 'refer-to-clinic', data: { clinic: 'clinic:1082', note: 'lives in Aarhus for now' } },
        actors.coordinator,
      )
      .then([
        event('ClinicReferralMade', {
          occurredAt: AT,
          clinic: 'clinic:1082',
          handoffId: 'handoff-1',
          note: 'lives in Aarhus for now',
        }),
      ]);
  });

  it('refuses a second referral to the same clinic, and a referral when the clinic registered the concern', () => {
    given(registered(), ...after.referredToClinic)
      .when({ type: 'refer-to-clinic', data: {} }, actors.gp)
      .thenRefused('ALREADY_REFERRED_TO_CLINIC');
    given(registered({ registeredBy: 'clinic:1081' }))
      .when({ type: 'refer-to-clinic', data: {} }, actors.coordinator)
      .thenRefused('ALREADY_REFERRED_TO_CLINIC');
  });

  it('refuses an organisation that is not a clinic, and a clinic as sender', () => {
    given(registered())
      .when({ type: 'refer-to-clinic', data: { clinic: 'facility:holmegaardshuset' } }, actors.gp)
      .thenRefused('UNKNOWN_CLINIC');
    given(registered())
      .when({ type: 'refer-to-clinic', data: {} }, actors.clinicNord)
      .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
  });

  it('refuses anything but reading once the case is closed', () => {
    given(registered(), ...after.closed)
      .when({ type: 'refer-to-clinic', data: {} }, actors.gp)
      .thenRefused('CASE_CLOSED');
  });

  it('refuses a command on a case that does not exist', () => {
    given().when({ type: 'refer-to-clinic', data: {} }, actors.gp).thenRefused('CASE_NOT_FOUND', 'not-found');
  });
});

describe('acknowledge-handoff', () => {
  it('given a referral, when the clinic acknowledges it, then the hand-off is acknowledged', () => {
    given(registered(), ...after.referredToClinic)
      .when({ type: 'acknowledge-handoff', data: { handoffId: 'handoff-1' } }, actors.clinicNord)
      .then([event('HandoffAcknowledged', { occurredAt: AT, handoffId: 'handoff-1', organisation: 'clinic:1081' })]);
  });

  it('refuses an unknown hand-off, a second acknowledgement, and anyone but the recipient', () => {
    const h = given(registered(), ...after.referredToClinic);
    h.when({ type: 'acknowledge-handoff', data: { handoffId: 'handoff-9' } }, actors.clinicNord).thenRefused(
      'HANDOFF_NOT_FOUND',
    );
    h.when({ type: 'acknowledge-handoff', data: { handoffId: 'handoff-1' } }, actors.aalborg).thenRefused(
      'NOT_HANDOFF_RECIPIENT',
      'forbidden',
    );
    given(
      registered(),
      ...after.referredToClinic,
      event('HandoffAcknowledged', { occurredAt: AT, handoffId: 'handoff-1', organisation: 'clinic:1081' }),
    )
      .when({ type: 'acknowledge-handoff', data: { handoffId: 'handoff-1' } }, actors.clinicNord)
      .thenRefused('HANDOFF_ALREADY_ACKNOWLEDGED');
  });
});

describe('record-clinic-visit', () => {
  it('given an unacknowledged referral, when the clinic records a visit, then the referral is acknowledged and the visit counted', () => {
    given(registered(), ...after.referredToClinic)
      .when({ type: 'record-clinic-visit', data: {} }, actors.clinicNord)
      .then([
        event('HandoffAcknowledged', { occurredAt: AT, handoffId: 'handoff-1', organisation: 'clinic:1081' }),
        event('ClinicVisitRecorded', { occurredAt: AT, visitNumber: 1 }),
      ]);
  });

  it('counts the second visit and accepts a backdated one', () => {
    const yesterday = '2026-11-22T09:00:00.000Z';
    given(
      registered({ registeredBy: 'clinic:1081', occurredAt: '2026-11-20T09:00:00.000Z' }),
      event('ClinicVisitRecorded', { occurredAt: AT, visitNumber: 1 }),
    )
      .when({ type: 'record-clinic-visit', data: { occurredAt: yesterday } }, actors.clinicNord)
      .then([event('ClinicVisitRecorded', { occurredAt: yesterday, visitNumber: 2 })]);
  });

  it('refuses a visit before any referral, by another clinic, or before the concern was detected', () => {
    given(registered())
      .when({ type: 'record-clinic-visit', data: {} }, actors.clinicNord)
      .thenRefused('NOT_REFERRED_TO_CLINIC');
    given(registered(), ...after.referredToClinic)
      .when({ type: 'record-clinic-visit', data: {} }, actors.clinicMidt)
      .thenRefused('NOT_CASE_CLINIC', 'forbidden');
    given(registered(), ...after.referredToClinic)
      .when({ type: 'record-clinic-visit', data: { occurredAt: '2026-11-01T09:00:00.000Z' } }, actors.clinicNord)
      .thenRefused('OCCURRED_BEFORE_CASE');
  });
});

describe('update-due-date', () => {
  it('given a case, when the clinic corrects the due date after a scan, then the new date and the previous are recorded', () => {
    given(registered())
      .when(
        { type: 'update-due-date', data: { estimatedDueDate: '2027-02-20', note: 'scan week 26' } },
        actors.clinicNord,
      )
      .then([
        event('DueDateUpdated', {
          occurredAt: AT,
          estimatedDueDate: '2027-02-20',
          previous: DUE,
          note: 'scan week 26',
        }),
      ]);
  });

  it('refuses the same date, an impossible date, and a change after the birth', () => {
    given(registered())
      .when({ type: 'update-due-date', data: { estimatedDueDate: DUE } }, actors.clinicNord)
      .thenRefused('DUE_DATE_UNCHANGED');
    given(registered())
      .when({ type: 'update-due-date', data: { estimatedDueDate: '2028-01-01' } }, actors.clinicNord)
      .thenRefused('DUE_DATE_OUT_OF_RANGE');
    given(registered(), ...after.born)
      .when({ type: 'update-due-date', data: { estimatedDueDate: '2027-02-20' } }, actors.clinicNord)
      .thenRefused('BIRTH_ALREADY_RECORDED');
  });

  it('uses the clock it is given', () => {
    // On 1 March 2027 the same due date is 40+0: still in range.
    given(registered())
      .when(
        { type: 'update-due-date', data: { estimatedDueDate: '2027-03-02' } },
        actors.clinicNord,
        new Date('2027-03-01T09:00:00Z'),
      )
      .then([
        event('DueDateUpdated', {
          occurredAt: '2027-03-01T09:00:00.000Z',
          estimatedDueDate: '2027-03-02',
          previous: DUE,
        }),
      ]);
  });
});
