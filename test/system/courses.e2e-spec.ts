import { expectError } from '@test/support/api-error';
import { Client, Stack } from '@test/support/stack';
import { send } from '@test/support/cases';
import { inDays, testNow, TIMEOUT } from '@test/support/time';

describe('the three courses of domain.md, end to end over HTTP', () => {
  let stack: Stack;
  let municipality: Client;
  let coordinator: Client;
  let clinic: Client;
  let facility: Client;

  beforeAll(async () => {
    stack = await Stack.start();
    municipality = await stack.as('municipality', 'municipality:851', 'mia');
    coordinator = await stack.as('coordinator', 'municipality:851', 'alice');
    clinic = await stack.as('clinic', 'clinic:1081', 'jordemoder-lis');
    facility = await stack.as('facility', 'facility:holmegaardshuset', 'karen');
  });
  afterAll(() => stack?.stop());

  it('1: homeless, in substitution treatment with side use, found by the shelter in the third trimester', async () => {
    const shelter = await stack.as('referrer', 'shelter:kirkens-korshaer-aalborg', 'sara');
    const registered = await shelter.post('/v1/cases', {
      estimatedDueDate: inDays(70),
      municipality: '851',
      referrer: { kind: 'shelter', name: 'Kirkens Korshær' },
      substances: ['opioids', 'benzodiazepines'],
      note: 'Sleeping at the shelter; in methadone treatment with side use.',
    });
    expect(registered.status).toBe(201);
    // Registered now on the tests' clock, which the API runs on (PATHWAY_TEST_NOW moves both).
    expect(Math.abs(Date.parse(registered.body.detectedAt) - testNow().getTime())).toBeLessThan(TIMEOUT.condition);
    expect(registered.headers.get('etag')).toBe('"1"');
    const id = registered.body.id as string;
    expect(registered.headers.get('location')).toBe(`/v1/cases/${id}`);
    // The shelter (a referrer) is shown her referral's status only (disclosure policy); the municipality the case.
    expect(registered.body).toMatchObject({ id, version: 1, status: 'open' });
    expect(registered.body).not.toHaveProperty('substances');
    const stage = async () => (await municipality.get(`/v1/cases/${id}`)).body.stage;
    expect((await municipality.get(`/v1/cases/${id}`)).body).toMatchObject({
      stage: 'detected',
      version: 1,
      gestationalAge: { weeks: 30, days: 0 },
      birthImminent: false,
    });

    // The same day the shelter contacts the clinic and the municipality.
    await send(shelter, id, 'refer-to-clinic');
    expect(await stage()).toBe('clinic');
    await send(shelter, id, 'notify-municipality', {
      note: 'Third trimester, no antenatal care so far.',
    });
    expect(await stage()).toBe('municipality');
    await send(municipality, id, 'confirm-notification-receipt');
    await send(municipality, id, 'assess-notification', { outcome: 'investigate' });
    await send(municipality, id, 'assign-coordinator', {
      coordinator: { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' },
    });
    await send(clinic, id, 'record-clinic-visit');
    await send(coordinator, id, 'request-treatment', { kind: 'drugs' });
    await send(municipality, id, 'start-treatment');

    // Residential treatment is offered; she declines it: no consent, no admission.
    await send(coordinator, id, 'request-residential-placement');
    await send(municipality, id, 'decide-residential-placement', {
      decision: 'granted',
      facility: 'facility:holmegaardshuset',
    });
    await send(municipality, id, 'offer-retention-contract', { outcome: 'declined' });
    const refused = await facility.post(`/v1/cases/${id}/admit-to-residential`, {});
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('CONSENT_REQUIRED');

    // Crisis centre nearby, network meetings about monthly, then the birth: the child is placed voluntarily.
    await send(coordinator, id, 'record-network-meeting', {
      participants: ['municipality:851', 'clinic:1081', 'shelter:kirkens-korshaer-aalborg'],
    });
    await send(coordinator, id, 'record-network-meeting', { participants: ['municipality:851', 'clinic:1081'] });
    await send(municipality, id, 'record-post-birth-plan', {
      note: 'Voluntary placement of the child at birth; she stays at the crisis centre.',
    });
    const born = await send(clinic, id, 'record-birth');
    expect(born.case).toMatchObject({ stage: 'post_birth', gestationalAge: null });
    await send(municipality, id, 'record-health-visitor-visit');
    await send(clinic, id, 'record-postpartum-check');
    await send(municipality, id, 'conclude-investigation', { note: 'Child placed voluntarily.' });
    const closed = await send(municipality, id, 'close-case', { reason: 'completed' });
    expect(closed.case.stage).toBe('closed');

    const after = await shelter.post(`/v1/cases/${id}/record-lost-contact`, {});
    expect(after.status).toBe(422);
    expect(after.body.code).toBe('CASE_CLOSED');

    const history = await municipality.get(`/v1/cases/${id}/events`);
    expect(history.status).toBe(200);
    const facts = history.body.events.filter((e: { kind: string }) => e.kind === 'fact');
    expect(facts.map((e: { type: string }) => e.type)).toEqual([
      'ConcernRegistered',
      'ClinicReferralMade',
      'MunicipalityNotified',
      'HandoffAcknowledged',
      'NotificationReceiptConfirmed',
      'NotificationAssessed',
      'CoordinatorAssigned',
      'HandoffAcknowledged',
      'ClinicVisitRecorded',
      'TreatmentRequested',
      'TreatmentStarted',
      'ResidentialPlacementRequested',
      'ResidentialPlacementGranted',
      'RetentionContractOffered',
      'NetworkMeetingRecorded',
      'NetworkMeetingRecorded',
      'PostBirthPlanRecorded',
      'BirthRecorded',
      'HealthVisitorVisitRecorded',
      'PostpartumCheckRecorded',
      'InvestigationConcluded',
      'CaseClosed',
    ]);
    expect(facts[0].actor).toEqual({ id: 'sara', role: 'referrer', organisation: 'shelter:kirkens-korshaer-aalborg' });
    expect(facts.map((e: { version: number }) => e.version)).toEqual(facts.map((_: unknown, i: number) => i + 1));

    // The milestones followed the course: every one that opened was met or, at the close, waived.
    const milestones = (await municipality.get(`/v1/cases/${id}/milestones`)).body.milestones as {
      rule: string;
      status: string;
    }[];
    expect(milestones.map((m) => m.rule)).toEqual(
      expect.arrayContaining([
        'municipality-notification',
        'clinic-referral',
        'coordinator-assignment',
        'post-birth-plan',
        'notification-assessment',
        'notification-receipt',
        'handoff-acceptance',
        'clinic-first-visit',
        'treatment-start',
        'child-welfare-investigation',
        'residential-decision',
        'retention-contract-offer',
        'network-meeting',
        'health-visitor-visit',
        'postpartum-check',
      ]),
    );
    expect(milestones.filter((m) => m.status !== 'met' && m.status !== 'waived')).toEqual([]);
    expect(milestones.find((m) => m.rule === 'municipality-notification')?.status).toBe('met');
  });

  it('2: heavy cocaine use, working; the GP refers to the clinic; treatment under pressure; residential discussed and declined', async () => {
    const gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    const id = (
      await gp.post('/v1/cases', {
        estimatedDueDate: inDays(200),
        municipality: '851',
        referrer: { kind: 'gp' },
        substances: ['cocaine'],
      })
    ).body.id as string;
    await send(gp, id, 'refer-to-clinic');
    const acknowledged = await send(clinic, id, 'acknowledge-handoff', { handoffId: 'handoff-1' });
    expect(acknowledged.case.handoffs).toEqual([
      expect.objectContaining({ id: 'handoff-1', to: 'clinic:1081', acknowledgedAt: expect.any(String) }),
    ]);
    await send(clinic, id, 'record-clinic-visit');
    await send(clinic, id, 'notify-municipality');
    await send(municipality, id, 'assess-notification', { outcome: 'support' });
    await send(clinic, id, 'request-treatment', { kind: 'drugs' });
    await send(municipality, id, 'start-treatment');
    await send(municipality, id, 'assign-coordinator', {
      coordinator: { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' },
    });
    for (let i = 0; i < 3; i++)
      await send(coordinator, id, 'record-network-meeting', {
        note: i === 1 ? 'Relapse; intensified support.' : 'Every 14 days.',
      });
    await send(coordinator, id, 'request-residential-placement', { note: 'Second relapse.' });
    const declined = await send(municipality, id, 'decide-residential-placement', {
      decision: 'refused',
      note: 'She declines residential treatment.',
    });
    expect(declined.case.placement).toMatchObject({ status: 'refused' });

    // The course is played in minutes: the due date comes to term first, as months would have brought
    // it, since a birth before week 22 is refused (BIRTH_TOO_EARLY).
    await send(clinic, id, 'update-due-date', { estimatedDueDate: inDays(3), note: 'At term.' });
    await send(clinic, id, 'record-birth');
    await send(municipality, id, 'record-post-birth-plan', { note: 'Family support continues after treatment ends.' });
    const twice = await clinic.post(`/v1/cases/${id}/record-birth`, {});
    expect(twice.status).toBe(422);
    expect(twice.body.code).toBe('BIRTH_ALREADY_RECORDED');

    const summary = await coordinator.get(`/v1/cases/${id}`);
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({
      stage: 'post_birth',
      networkMeetings: 3,
      coordinator: { id: 'alice' },
      municipality: { code: '851', name: 'Aalborg', region: '1081' },
      consent: { residential: null, 'information-sharing': null, 'retention-contract': null },
    });
    expect(summary.headers.get('etag')).toBe(`"${summary.body.version}"`);
  });

  it('3: long-term methadone treatment, told her practitioner in the first trimester; admission discussed and declined', async () => {
    const centre = await stack.as('referrer', 'substance_treatment:aalborg', 'ole');
    const id = (
      await centre.post('/v1/cases', {
        estimatedDueDate: inDays(215),
        municipality: '851',
        referrer: { kind: 'substance_treatment' },
        substances: ['opioids'],
      })
    ).body.id as string;
    const week = (await municipality.get(`/v1/cases/${id}`)).body.gestationalAge.weeks;
    expect(week).toBeLessThan(14);
    await send(centre, id, 'refer-to-clinic');
    await send(clinic, id, 'record-clinic-visit');
    const moved = await send(clinic, id, 'update-due-date', { estimatedDueDate: inDays(208), note: 'Dating scan.' });
    expect(moved.case.estimatedDueDate).toBe(inDays(208));
    await send(centre, id, 'notify-municipality');
    await send(municipality, id, 'assess-notification', { outcome: 'support' });
    await send(clinic, id, 'request-treatment', { kind: 'dual-diagnosis' });
    await send(municipality, id, 'start-treatment', { note: 'Relapse on benzodiazepines and alcohol.' });
    await send(clinic, id, 'record-consent', { scope: 'residential', status: 'given' });
    await send(clinic, id, 'request-residential-placement');
    await send(municipality, id, 'decide-residential-placement', {
      decision: 'granted',
      facility: 'facility:kastaniegaarden',
    });
    // The retention contract is offered with the decision (LAW); she declines it.
    await send(municipality, id, 'offer-retention-contract', { outcome: 'declined' });
    const withdrawn = await send(clinic, id, 'record-consent', {
      scope: 'residential',
      status: 'withdrawn',
      note: 'She declines admission.',
    });
    // The clinic sees decisions (consent among them) only with her consent to information sharing: the municipality sees it.
    expect(withdrawn.case).not.toHaveProperty('consent');
    expect((await municipality.get(`/v1/cases/${id}`)).body.consent.residential).toBe('withdrawn');
    const facilityB = await stack.as('facility', 'facility:kastaniegaarden', 'bo');
    const refused = await facilityB.post(`/v1/cases/${id}/admit-to-residential`, {});
    expect([refused.status, refused.body.code]).toEqual([422, 'CONSENT_REQUIRED']);

    // Played in minutes: the due date comes to term first (a birth before week 22 is BIRTH_TOO_EARLY).
    await send(clinic, id, 'update-due-date', { estimatedDueDate: inDays(3), note: 'At term.' });
    await send(clinic, id, 'record-birth', { note: 'Healthy child, no withdrawal.' });
    await send(clinic, id, 'record-postpartum-check');
    // Legal duties are met before a case is closed (else LEGAL_DUTY_OPEN): the receipt of the
    // notification (the retention contract was offered with the granted placement).
    expectError(await coordinator.post(`/v1/cases/${id}/close-case`, { reason: 'completed' }), 422, 'LEGAL_DUTY_OPEN');
    await send(municipality, id, 'confirm-notification-receipt');
    const closed = await send(coordinator, id, 'close-case', { reason: 'completed' });
    expect(closed.case).toMatchObject({ stage: 'closed', status: 'closed' });
  });

  it('follows a move: the new municipality takes over, the former may no longer decide', async () => {
    const gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    const aarhus = await stack.as('municipality', 'municipality:751', 'ole');
    const id = (
      await gp.post('/v1/cases', {
        estimatedDueDate: inDays(150),
        municipality: '851',
        referrer: { kind: 'gp' },
        substances: ['alcohol'],
      })
    ).body.id as string;
    expect((await aarhus.get(`/v1/cases/${id}`)).status).toBe(404);
    await send(gp, id, 'notify-municipality');
    const transferred = await send(municipality, id, 'transfer-municipality', { toMunicipality: '751' });
    expect(transferred.case.municipality).toEqual({ code: '751', name: 'Aarhus', region: '1082' });
    expect(transferred.case.formerMunicipalities).toEqual(['851']);
    await send(aarhus, id, 'acknowledge-handoff', { handoffId: 'handoff-2' });
    expect((await aarhus.get(`/v1/cases/${id}`)).status).toBe(200);
    const formerDecides = await municipality.post(`/v1/cases/${id}/assess-notification`, { outcome: 'support' });
    expect([formerDecides.status, formerDecides.body.code]).toEqual([403, 'NOT_RESPONSIBLE_MUNICIPALITY']);
    await send(aarhus, id, 'assess-notification', { outcome: 'support' });
  });
});
