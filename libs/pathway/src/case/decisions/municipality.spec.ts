import { ASSESSMENT_OUTCOMES } from '../case.commands';
import { event } from '../case.events';
import { AT, actors, after, given, happenedAt, registered, stateAfter } from '../testing/given-when-then';

const EARLIER = '2026-11-20T09:00:00.000Z';
const YESTERDAY = '2026-11-22T09:00:00.000Z';

const referred = event('ClinicReferralMade', { occurredAt: AT, clinic: 'clinic:1081', handoffId: 'handoff-1' });
const notifiedAfterReferral = event('MunicipalityNotified', {
  occurredAt: AT,
  notificationId: 'notification-1',
  municipality: '851',
  byProfessional: true,
  handoffId: 'handoff-2',
});
const notificationHandoffAcknowledged = event('HandoffAcknowledged', {
  occurredAt: AT,
  handoffId: 'handoff-1',
  organisation: 'municipality:851',
});
const secondNotification = event('MunicipalityNotified', {
  occurredAt: AT,
  notificationId: 'notification-2',
  municipality: '851',
  byProfessional: true,
  handoffId: 'handoff-2',
});
const transferredToAarhus = event('MunicipalityTransferred', {
  occurredAt: AT,
  from: '851',
  to: '751',
  handoffId: 'handoff-1',
});

describe('notify-municipality', () => {
  it('given a case registered by the GP, when the GP notifies, then the responsible municipality receives a professional notification and a hand-off', () => {
    given(registered())
      .when({ type: 'notify-municipality', data: {} }, actors.gp)
      .then([
        event('MunicipalityNotified', {
          occurredAt: AT,
          notificationId: 'notification-1',
          municipality: '851',
          byProfessional: true,
          handoffId: 'handoff-1',
        }),
      ]);
  });

  it('given a case, when a notification says it is not by a professional and carries a note, then both are recorded', () => {
    given(registered())
      .when({ type: 'notify-municipality', data: { byProfessional: false, note: 'her sister called' } }, actors.shelter)
      .then([
        event('MunicipalityNotified', {
          occurredAt: AT,
          notificationId: 'notification-1',
          municipality: '851',
          byProfessional: false,
          handoffId: 'handoff-1',
          note: 'her sister called',
        }),
      ]);
  });

  it('given a referral and a notification, when the shelter notifies again, then the notification and hand-off numbers count up', () => {
    given(registered(), referred, notifiedAfterReferral)
      .when({ type: 'notify-municipality', data: {} }, actors.shelter)
      .then([
        event('MunicipalityNotified', {
          occurredAt: AT,
          notificationId: 'notification-2',
          municipality: '851',
          byProfessional: true,
          handoffId: 'handoff-3',
        }),
      ]);
  });

  it('given a coordinator acting for the responsible municipality, when she notifies, then there is no hand-off (the municipality already has it)', () => {
    given(registered())
      .when({ type: 'notify-municipality', data: {} }, actors.coordinator)
      .then([
        event('MunicipalityNotified', {
          occurredAt: AT,
          notificationId: 'notification-1',
          municipality: '851',
          byProfessional: true,
          handoffId: null,
        }),
      ]);
  });

  it('given a transfer to Aarhus, when the GP notifies, then the new responsible municipality is notified', () => {
    given(registered(), transferredToAarhus)
      .when({ type: 'notify-municipality', data: {} }, actors.gp)
      .then([
        event('MunicipalityNotified', {
          occurredAt: AT,
          notificationId: 'notification-1',
          municipality: '751',
          byProfessional: true,
          handoffId: 'handoff-2',
        }),
      ]);
  });

  it('given a case, when a municipality tries to notify, then it is refused (a municipality does not notify itself)', () => {
    given(registered())
      .when({ type: 'notify-municipality', data: {} }, actors.aalborg)
      .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
  });
});

describe('confirm-notification-receipt', () => {
  it('given a notification with a pending hand-off, when the municipality confirms receipt, then the hand-off is acknowledged and receipt confirmed', () => {
    given(registered(), ...after.notified)
      .when({ type: 'confirm-notification-receipt', data: {} }, actors.aalborg)
      .then([
        event('HandoffAcknowledged', { occurredAt: AT, handoffId: 'handoff-1', organisation: 'municipality:851' }),
        event('NotificationReceiptConfirmed', { occurredAt: AT, notificationId: 'notification-1' }),
      ]);
  });

  it('given the hand-off was already acknowledged, when the municipality confirms receipt with a note, then only the receipt is recorded', () => {
    given(registered(), ...after.notified, notificationHandoffAcknowledged)
      .when({ type: 'confirm-notification-receipt', data: { note: 'letter sent' } }, actors.aalborg)
      .then([
        event('NotificationReceiptConfirmed', {
          occurredAt: AT,
          notificationId: 'notification-1',
          note: 'letter sent',
        }),
      ]);
  });

  it('given the first notification is confirmed, when receipt is confirmed without an id, then the oldest waiting notification is confirmed', () => {
    given(
      registered(),
      ...after.notified,
      notificationHandoffAcknowledged,
      event('NotificationReceiptConfirmed', { occurredAt: AT, notificationId: 'notification-1' }),
      secondNotification,
    )
      .when({ type: 'confirm-notification-receipt', data: {} }, actors.aalborg)
      .then([
        event('HandoffAcknowledged', { occurredAt: AT, handoffId: 'handoff-2', organisation: 'municipality:851' }),
        event('NotificationReceiptConfirmed', { occurredAt: AT, notificationId: 'notification-2' }),
      ]);
  });

  it('given two waiting notifications, when receipt of the second is confirmed by id, then that one is confirmed', () => {
    given(registered(), ...after.notified, notificationHandoffAcknowledged, secondNotification)
      .when({ type: 'confirm-notification-receipt', data: { notificationId: 'notification-2' } }, actors.aalborg)
      .then([
        event('HandoffAcknowledged', { occurredAt: AT, handoffId: 'handoff-2', organisation: 'municipality:851' }),
        event('NotificationReceiptConfirmed', { occurredAt: AT, notificationId: 'notification-2' }),
      ]);
  });

  it('given a notification, when another municipality confirms receipt, then it is refused as not the responsible municipality', () => {
    given(registered(), ...after.notified)
      .when({ type: 'confirm-notification-receipt', data: {} }, actors.aarhus)
      .thenRefused('NOT_RESPONSIBLE_MUNICIPALITY', 'forbidden');
  });

  it('given a notification, when receipt of an unknown notification is confirmed, then it is refused', () => {
    given(registered(), ...after.notified)
      .when({ type: 'confirm-notification-receipt', data: { notificationId: 'notification-7' } }, actors.aalborg)
      .thenRefused('NOTIFICATION_NOT_FOUND');
  });

  it('given no notification waits, when receipt is confirmed, then it is refused', () => {
    given(registered())
      .when({ type: 'confirm-notification-receipt', data: {} }, actors.aalborg)
      .thenRefused('NO_PENDING_NOTIFICATION');
    given(
      registered(),
      ...after.notified,
      event('NotificationReceiptConfirmed', { occurredAt: AT, notificationId: 'notification-1' }),
    )
      .when({ type: 'confirm-notification-receipt', data: {} }, actors.aalborg)
      .thenRefused('NO_PENDING_NOTIFICATION');
  });

  it('given receipt was confirmed, when it is confirmed again by id, then it is refused', () => {
    given(
      registered(),
      ...after.notified,
      event('NotificationReceiptConfirmed', { occurredAt: AT, notificationId: 'notification-1' }),
    )
      .when({ type: 'confirm-notification-receipt', data: { notificationId: 'notification-1' } }, actors.aalborg)
      .thenRefused('RECEIPT_ALREADY_CONFIRMED');
  });
});

describe('assess-notification', () => {
  it.each(ASSESSMENT_OUTCOMES)(
    'given a notification with a pending hand-off, when the municipality assesses it "%s", then the hand-off is acknowledged and the outcome recorded',
    (outcome) => {
      const history = [registered(), ...after.notified];
      const when = given(...history).when({ type: 'assess-notification', data: { outcome } }, actors.aalborg);
      when.then([
        event('HandoffAcknowledged', { occurredAt: AT, handoffId: 'handoff-1', organisation: 'municipality:851' }),
        event('NotificationAssessed', { occurredAt: AT, notificationId: 'notification-1', outcome }),
      ]);
      if (!when.decision.ok) throw new Error('refused');
      const state = stateAfter(history, when.decision.events);
      expect(state.notifications[0]).toMatchObject({ assessedAt: AT, outcome });
      // Only "investigate" opens a child-welfare investigation.
      expect(state.investigation).toEqual(outcome === 'investigate' ? { openedAt: AT, concludedAt: null } : null);
    },
  );

  it('given receipt was already confirmed, when the municipality assesses with a note, then only the assessment is recorded', () => {
    given(
      registered(),
      ...after.notified,
      notificationHandoffAcknowledged,
      event('NotificationReceiptConfirmed', { occurredAt: AT, notificationId: 'notification-1' }),
    )
      .when(
        { type: 'assess-notification', data: { outcome: 'support', note: 'intensified outpatient care' } },
        actors.aalborg,
      )
      .then([
        event('NotificationAssessed', {
          occurredAt: AT,
          notificationId: 'notification-1',
          outcome: 'support',
          note: 'intensified outpatient care',
        }),
      ]);
  });

  it('given the first notification is assessed, when the municipality assesses without an id, then the oldest unassessed one is assessed', () => {
    given(
      registered(),
      ...after.notified,
      notificationHandoffAcknowledged,
      event('NotificationAssessed', { occurredAt: AT, notificationId: 'notification-1', outcome: 'support' }),
      secondNotification,
    )
      .when({ type: 'assess-notification', data: { outcome: 'acute' } }, actors.aalborg)
      .then([
        event('HandoffAcknowledged', { occurredAt: AT, handoffId: 'handoff-2', organisation: 'municipality:851' }),
        event('NotificationAssessed', { occurredAt: AT, notificationId: 'notification-2', outcome: 'acute' }),
      ]);
  });

  it('given a notification, when another municipality assesses it, then it is refused as not the responsible municipality', () => {
    given(registered(), ...after.notified)
      .when({ type: 'assess-notification', data: { outcome: 'acute' } }, actors.aarhus)
      .thenRefused('NOT_RESPONSIBLE_MUNICIPALITY', 'forbidden');
  });

  it('given a notification, when an unknown notification is assessed, then it is refused', () => {
    given(registered(), ...after.notified)
      .when(
        { type: 'assess-notification', data: { notificationId: 'notification-2', outcome: 'acute' } },
        actors.aalborg,
      )
      .thenRefused('NOTIFICATION_NOT_FOUND');
  });

  it('given no notification waits for assessment, when the municipality assesses, then it is refused', () => {
    given(registered())
      .when({ type: 'assess-notification', data: { outcome: 'acute' } }, actors.aalborg)
      .thenRefused('NO_PENDING_NOTIFICATION');
    given(registered(), ...after.notified, ...after.investigating)
      .when({ type: 'assess-notification', data: { outcome: 'acute' } }, actors.aalborg)
      .thenRefused('NO_PENDING_NOTIFICATION');
  });

  it('given the notification was assessed, when it is assessed again by id, then it is refused', () => {
    given(registered(), ...after.notified, ...after.investigating)
      .when(
        { type: 'assess-notification', data: { notificationId: 'notification-1', outcome: 'acute' } },
        actors.aalborg,
      )
      .thenRefused('NOTIFICATION_ALREADY_ASSESSED');
  });

  it('given a notification, when the clinic tries to assess it, then only a municipality may', () => {
    given(registered(), ...after.notified)
      .when({ type: 'assess-notification', data: { outcome: 'acute' } }, actors.clinicNord)
      .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
  });
});

describe('conclude-investigation', () => {
  it('given an open investigation, when the municipality concludes it, then the investigation is concluded', () => {
    const history = [registered(), ...after.notified, ...after.investigating];
    const when = given(...history).when(
      { type: 'conclude-investigation', data: { note: 'support at home' } },
      actors.aalborg,
    );
    when.then([event('InvestigationConcluded', { occurredAt: AT, note: 'support at home' })]);
    if (!when.decision.ok) throw new Error('refused');
    expect(stateAfter(history, when.decision.events).investigation).toEqual({ openedAt: AT, concludedAt: AT });
  });

  it('given no investigation, when the municipality concludes one, then it is refused', () => {
    given(registered(), ...after.notified)
      .when({ type: 'conclude-investigation', data: {} }, actors.aalborg)
      .thenRefused('NO_OPEN_INVESTIGATION');
  });

  it('given a notification assessed "support", when the municipality concludes an investigation, then it is refused', () => {
    given(
      registered(),
      ...after.notified,
      event('NotificationAssessed', { occurredAt: AT, notificationId: 'notification-1', outcome: 'support' }),
    )
      .when({ type: 'conclude-investigation', data: {} }, actors.aalborg)
      .thenRefused('NO_OPEN_INVESTIGATION');
  });

  it('given a concluded investigation, when it is concluded again, then it is refused', () => {
    given(registered(), ...after.notified, ...after.investigating, event('InvestigationConcluded', { occurredAt: AT }))
      .when({ type: 'conclude-investigation', data: {} }, actors.aalborg)
      .thenRefused('NO_OPEN_INVESTIGATION');
  });

  it('given an open investigation, when another municipality concludes it, then it is refused as not the responsible municipality', () => {
    given(registered(), ...after.notified, ...after.investigating)
      .when({ type: 'conclude-investigation', data: {} }, actors.aarhus)
      .thenRefused('NOT_RESPONSIBLE_MUNICIPALITY', 'forbidden');
  });
});

describe('request-treatment', () => {
  it('given a case, when the clinic requests alcohol treatment, then the request is recorded with its kind', () => {
    given(registered())
      .when({ type: 'request-treatment', data: { kind: 'alcohol', note: 'daily drinking' } }, actors.clinicNord)
      .then([event('TreatmentRequested', { occurredAt: AT, kind: 'alcohol', note: 'daily drinking' })]);
  });

  it('given a treatment that has started, when the coordinator requests another, then the new request is recorded', () => {
    given(registered(), ...after.treatmentRequested, event('TreatmentStarted', { occurredAt: AT, kind: 'drugs' }))
      .when({ type: 'request-treatment', data: { kind: 'dual-diagnosis' } }, actors.coordinator)
      .then([event('TreatmentRequested', { occurredAt: AT, kind: 'dual-diagnosis' })]);
  });

  it('given a request that has not started, when treatment is requested again, then it is refused', () => {
    given(registered(), ...after.treatmentRequested)
      .when({ type: 'request-treatment', data: { kind: 'alcohol' } }, actors.aalborg)
      .thenRefused('TREATMENT_ALREADY_REQUESTED');
  });

  it('given a case, when a facility requests treatment, then its role is not permitted', () => {
    given(registered())
      .when({ type: 'request-treatment', data: { kind: 'drugs' } }, actors.facilityA)
      .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
  });
});

describe('start-treatment', () => {
  it('given a treatment request, when the municipality starts it, then it starts with the requested kind', () => {
    given(registered(), ...after.treatmentRequested)
      .when({ type: 'start-treatment', data: {} }, actors.aalborg)
      .then([event('TreatmentStarted', { occurredAt: AT, kind: 'drugs' })]);
  });

  it('given a treatment request, when the start is reported for yesterday, then it is backdated', () => {
    given(registered({ occurredAt: EARLIER }), ...happenedAt(EARLIER, after.treatmentRequested))
      .when({ type: 'start-treatment', data: { occurredAt: YESTERDAY, note: 'first session' } }, actors.aalborg)
      .then([event('TreatmentStarted', { occurredAt: YESTERDAY, kind: 'drugs', note: 'first session' })]);
  });

  it('given no treatment request, when the municipality starts treatment, then it is refused', () => {
    given(registered())
      .when({ type: 'start-treatment', data: {} }, actors.aalborg)
      .thenRefused('NO_TREATMENT_REQUESTED');
  });

  it('given the treatment already started, when it is started again, then it is refused', () => {
    given(registered(), ...after.treatmentRequested, event('TreatmentStarted', { occurredAt: AT, kind: 'drugs' }))
      .when({ type: 'start-treatment', data: {} }, actors.aalborg)
      .thenRefused('NO_TREATMENT_REQUESTED');
  });

  it('given a treatment request, when another municipality starts it, then it is refused as not the responsible municipality', () => {
    given(registered(), ...after.treatmentRequested)
      .when({ type: 'start-treatment', data: {} }, actors.aarhus)
      .thenRefused('NOT_RESPONSIBLE_MUNICIPALITY', 'forbidden');
  });

  it('given a treatment request, when the start lies in the future or before the case, then it is refused', () => {
    given(registered(), ...after.treatmentRequested)
      .when({ type: 'start-treatment', data: { occurredAt: '2026-11-24T09:00:00.000Z' } }, actors.aalborg)
      .thenRefused('OCCURRED_IN_FUTURE');
    given(registered(), ...after.treatmentRequested)
      .when({ type: 'start-treatment', data: { occurredAt: YESTERDAY } }, actors.aalborg)
      .thenRefused('OCCURRED_BEFORE_CASE');
  });
});

describe('transfer-municipality', () => {
  it('given a case in Aalborg, when Aalborg transfers it to Aarhus, then the move is recorded with a hand-off to Aarhus', () => {
    given(registered())
      .when({ type: 'transfer-municipality', data: { toMunicipality: '751', note: 'moved' } }, actors.aalborg)
      .then([
        event('MunicipalityTransferred', {
          occurredAt: AT,
          from: '851',
          to: '751',
          handoffId: 'handoff-1',
          // The disclosure policy's 30 days from Monday 23 November 10:00 Copenhagen (no DST change).
          formerAccessUntil: '2026-12-23T09:00:00.000Z',
          note: 'moved',
        }),
      ]);
  });

  it('given earlier hand-offs, when the case is transferred, then the hand-off id counts on', () => {
    given(registered(), referred, notifiedAfterReferral)
      .when({ type: 'transfer-municipality', data: { toMunicipality: '751' } }, actors.aalborg)
      .then([
        event('MunicipalityTransferred', {
          occurredAt: AT,
          from: '851',
          to: '751',
          handoffId: 'handoff-3',
          formerAccessUntil: '2026-12-23T09:00:00.000Z',
        }),
      ]);
  });

  it('given a transfer to Aarhus, when each municipality makes a municipal decision, then only Aarhus is responsible now', () => {
    const h = given(registered(), transferredToAarhus, ...after.treatmentRequested);
    h.when({ type: 'start-treatment', data: {} }, actors.aalborg).thenRefused(
      'NOT_RESPONSIBLE_MUNICIPALITY',
      'forbidden',
    );
    h.when({ type: 'start-treatment', data: {} }, actors.aarhus).then([
      event('TreatmentStarted', { occurredAt: AT, kind: 'drugs' }),
    ]);
    h.when({ type: 'transfer-municipality', data: { toMunicipality: '851' } }, actors.aarhus).then([
      event('MunicipalityTransferred', {
        occurredAt: AT,
        from: '751',
        to: '851',
        handoffId: 'handoff-2',
        formerAccessUntil: '2026-12-23T09:00:00.000Z',
      }),
    ]);
  });

  it('given a case, when it is transferred to an unknown municipality, then it is refused', () => {
    given(registered())
      .when({ type: 'transfer-municipality', data: { toMunicipality: '999' } }, actors.aalborg)
      .thenRefused('UNKNOWN_MUNICIPALITY');
  });

  it('given a case in Aalborg, when it is transferred to Aalborg, then it is refused', () => {
    given(registered())
      .when({ type: 'transfer-municipality', data: { toMunicipality: '851' } }, actors.aalborg)
      .thenRefused('SAME_MUNICIPALITY');
  });

  it('given a case in Aalborg, when Aarhus transfers it, then it is refused as not the responsible municipality', () => {
    given(registered())
      .when({ type: 'transfer-municipality', data: { toMunicipality: '751' } }, actors.aarhus)
      .thenRefused('NOT_RESPONSIBLE_MUNICIPALITY', 'forbidden');
  });

  it('given a case, when the coordinator transfers it, then only a municipality may', () => {
    given(registered())
      .when({ type: 'transfer-municipality', data: { toMunicipality: '751' } }, actors.coordinator)
      .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
  });
});
