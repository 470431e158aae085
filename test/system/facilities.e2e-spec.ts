import { expectError } from '@test/support/api-error';
import { concern, register, send } from '@test/support/cases';
import { Client, Stack } from '@test/support/stack';
import { testNow, TIMEOUT } from '@test/support/time';

/**
 * Residential facilities with places, over HTTP: the platform administrator manages them (nobody
 * else may), admission into a full facility is refused unless its own staff overrides with a reason,
 * and a granted placement waiting for a place stands on the facility's waiting list in the capacity
 * report.
 */
describe('residential facilities with places', () => {
  let stack: Stack;
  let platform: Client;
  let municipality: Client;
  let gp: Client;
  let auditor: Client;
  /** One place, so that the second woman finds it full. */
  const facility = {
    id: 'facility:lille-hus',
    name: 'Lille Hus',
    owner: 'Aalborg Kommune',
    municipalityCode: '851',
    places: 1,
    retentionPlaces: 1,
  };
  let staff: Client;

  beforeAll(async () => {
    stack = await Stack.start({ env: { DEV_SIGN_IN: 'true' } });
    platform = await stack.as('admin', 'pathway:platform', 'root');
    municipality = await stack.as('municipality', 'municipality:851', 'mia');
    gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    auditor = await stack.as('auditor', 'municipality:851', 'audrey');
    staff = await stack.as('facility', facility.id, 'lise');
  });
  afterAll(() => stack?.stop());

  /** A case of Aalborg with a placement granted at `at` and her consent to residential treatment. */
  async function grantedAt(at: string): Promise<{ id: string; requestedAt: string; consentAt: string }> {
    const id = await register(gp, concern());
    const requested = await send(municipality, id, 'request-residential-placement');
    await send(municipality, id, 'decide-residential-placement', { decision: 'granted', facility: at });
    await send(municipality, id, 'record-consent', { scope: 'residential', status: 'given' });
    const events = (await municipality.get(`/v1/cases/${id}/events`)).body.events as { type: string; data: any }[];
    const given = events.find((e) => e.type === 'ConsentGiven' && e.data.scope === 'residential');
    return {
      id,
      requestedAt: requested.case.placement.requestedAt as string,
      consentAt: given?.data.occurredAt as string,
    };
  }

  it('lists the facilities of domain.md, and the placeholders retired', async () => {
    const { facilities } = (await gp.get('/v1/facilities')).body;
    expect(facilities).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'facility:holmegaardshuset', places: 2, retentionPlaces: 2, retiredAt: null }),
        expect.objectContaining({ id: 'facility:familiecentret-vibygaard', places: 1, retentionPlaces: 0 }),
        expect.objectContaining({ id: 'facility:kastaniegaarden', places: 5, retentionPlaces: 5, retiredAt: null }),
        expect.objectContaining({ id: 'facility:residential-a', retiredAt: expect.any(String) }),
      ]),
    );
    expectError(await stack.anonymous().get('/v1/facilities'), 401, 'UNAUTHENTICATED');
  });

  it('lets only the platform administrator add, change and retire facilities', async () => {
    const others = [
      await stack.as('admin', 'municipality:851', 'local-admin'),
      municipality,
      auditor,
      await stack.as('facility', 'facility:holmegaardshuset', 'karen'),
    ];
    for (const other of others) {
      expectError(await other.post('/v1/facilities', facility), 403, 'NOT_PLATFORM_ADMIN');
      expectError(
        await other.request('PATCH', '/v1/facilities/facility:kastaniegaarden', { body: { places: 9 } }),
        403,
        'NOT_PLATFORM_ADMIN',
      );
      expectError(await other.request('DELETE', '/v1/facilities/facility:kastaniegaarden'), 403, 'NOT_PLATFORM_ADMIN');
    }

    const added = await platform.post('/v1/facilities', { ...facility, places: 3 });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ ...facility, places: 3, retiredAt: null });
    expectError(await platform.post('/v1/facilities', facility), 409, 'FACILITY_EXISTS');
    expectError(
      await platform.post('/v1/facilities', { ...facility, id: 'facility:x', retentionPlaces: 9 }),
      422,
      'RETENTION_PLACES_EXCEED_PLACES',
    );
    expectError(
      await platform.request('PATCH', '/v1/facilities/facility:none', { body: { places: 1 } }),
      404,
      'FACILITY_NOT_FOUND',
    );
    const changed = await platform.request('PATCH', `/v1/facilities/${facility.id}`, { body: { places: 1 } });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ ...facility, retiredAt: null });
    // The others' attempts changed nothing.
    const { facilities } = (await gp.get('/v1/facilities')).body;
    expect(facilities.find((f: { id: string }) => f.id === 'facility:kastaniegaarden')).toMatchObject({
      places: 5,
      retiredAt: null,
    });
    expect(facilities.find((f: { id: string }) => f.id === facility.id)).toEqual({ ...facility, retiredAt: null });

    // The development sign-in offers the facility added, and signs its staff in (not only those of the code).
    const browser = stack.anonymous();
    const offered = (await browser.get('/v1/sign-in')).body.local.organisations as { id: string; roles: string[] }[];
    expect(offered).toContainEqual(
      expect.objectContaining({ id: facility.id, name: facility.name, roles: ['facility', 'admin'] }),
    );
    const signedIn = await browser.post('/v1/sign-in/local', {
      role: 'facility',
      organisation: facility.id,
      sub: 'lise',
    });
    expect(signedIn.status).toBe(200);
    expect((await new Client(stack.baseUrl, signedIn.body.token).get('/v1/facilities')).status).toBe(200);
    expectError(
      await browser.post('/v1/sign-in/local', { role: 'facility', organisation: 'facility:nowhere', sub: 'lise' }),
      422,
      'UNKNOWN_ORGANISATION',
    );
  });

  it('refuses admission into a full facility, keeps the waiting woman on its list, and admits her on the staff’s override', async () => {
    const first = await grantedAt(facility.id);
    await send(staff, first.id, 'admit-to-residential');

    const second = await grantedAt(facility.id);
    expectError(await staff.post(`/v1/cases/${second.id}/admit-to-residential`, {}), 422, 'FACILITY_FULL');

    // The capacity report: one place, taken; the second woman waits since her request.
    const report = (await auditor.get('/v1/reports/capacity')).body;
    const row = report.facilities.find((f: { id: string }) => f.id === facility.id);
    const at = Date.parse(report.at);
    expect(row).toMatchObject({ places: 1, occupied: 1, awaitingAdmission: 1, retiredAt: null });
    // Her deadline on the list: the facility's residential-admission milestone (domain.md: opened by
    // the placement and her consent, owner the facility, 7 days); she is in week 18 (due in 150
    // days: 280 − 150 = 130 days), so the PROP deadline is scaled ×0.75: 5.25 days = 126 hours
    // after her consent, below the 14-day cap.
    expect(row.waitingList).toEqual([
      {
        requestedAt: second.requestedAt,
        waitedMs: at - Date.parse(second.requestedAt),
        municipality: '851',
        dueAt: new Date(Date.parse(second.consentAt) + 126 * 3_600_000).toISOString(),
      },
    ]);
    expect(row.longestWaitMs).toBe(at - Date.parse(second.requestedAt));
    expect(Math.abs(at - testNow().getTime())).toBeLessThan(TIMEOUT.condition);
    // No case reference in the report.
    expect(JSON.stringify(report)).not.toContain(second.id);

    const reason = 'No other place before week 30; a bed in the family room.';
    const admitted = await send(staff, second.id, 'admit-to-residential', { overCapacityReason: reason });
    expect(admitted.case.admission).toMatchObject({ facility: facility.id });
    const events = (await staff.get(`/v1/cases/${second.id}/events`)).body.events as { type: string; data: any }[];
    expect(events.find((e) => e.type === 'AdmittedToResidential')?.data).toMatchObject({
      facility: facility.id,
      overCapacity: { reason, occupied: 1, places: 1 },
    });
    const after = (await auditor.get('/v1/reports/capacity')).body.facilities.find(
      (f: { id: string }) => f.id === facility.id,
    );
    expect(after).toMatchObject({ occupied: 2, awaitingAdmission: 0, waitingList: [], longestWaitMs: null });
    // The handling times name the facility the administrator added by its name.
    const handling = (
      await auditor.get('/v1/reports/handling-times?groupBy=organisation&measure=residential-admission')
    ).body;
    expect(handling.rows).toEqual([
      expect.objectContaining({ group: { id: facility.id, name: facility.name }, count: 2 }),
    ]);
  });

  it('retires a facility: kept in the list, no new placements, its women stay', async () => {
    const retired = await platform.request('DELETE', `/v1/facilities/${facility.id}`);
    expect(retired.status).toBe(200);
    expect(Math.abs(Date.parse(retired.body.retiredAt) - testNow().getTime())).toBeLessThan(TIMEOUT.condition);
    const id = await register(gp, concern());
    await send(municipality, id, 'request-residential-placement');
    expectError(
      await municipality.post(`/v1/cases/${id}/decide-residential-placement`, {
        decision: 'granted',
        facility: facility.id,
      }),
      422,
      'FACILITY_RETIRED',
    );
    expectError(
      await municipality.post(`/v1/cases/${id}/decide-residential-placement`, {
        decision: 'granted',
        facility: 'facility:unheard-of',
      }),
      422,
      'UNKNOWN_FACILITY',
    );
    const row = (await auditor.get('/v1/reports/capacity')).body.facilities.find(
      (f: { id: string }) => f.id === facility.id,
    );
    expect(row).toMatchObject({ occupied: 2, retiredAt: retired.body.retiredAt });
  });
});
