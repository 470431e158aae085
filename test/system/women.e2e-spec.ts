import { Client as PgClient } from 'pg';
import { localDate } from '@app/pathway';
import { expectError } from '@test/support/api-error';
import { concern, register, send } from '@test/support/cases';
import { Stack, type Client } from '@test/support/stack';
import { testNow, waitFor } from '@test/support/time';

/** This year in Copenhagen, on the tests' clock: the year the referrals below are counted in. */
const thisYear = () => Number(localDate(testNow()).slice(0, 4));
const HER = '2104902468';
const ANOTHER_WOMAN = '0311881236';

/** Issue 15 §3 over HTTP: one woman across two pregnancies. */
describe('one woman, several pregnancies, over HTTP', () => {
  let stack: Stack;
  let gp: Client;
  let otherGp: Client;
  let aalborg: Client;
  let auditor: Client;
  let first: string;
  let firstReference: string;

  /** Notified, assessed and referred to outpatient treatment: a referral the yearly table counts. */
  const referToTreatment = async (id: string) => {
    await send(gp, id, 'notify-municipality');
    await send(aalborg, id, 'assess-notification', { outcome: 'support' });
    await send(aalborg, id, 'request-treatment', { kind: 'drugs' });
  };

  beforeAll(async () => {
    stack = await Stack.start();
    gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    otherGp = await stack.as('referrer', 'gp:berg', 'dr-berg');
    aalborg = await stack.as('municipality', 'municipality:851', 'mia');
    auditor = await stack.as('auditor', 'authority:national', 'inge');
    first = await register(gp, concern({ cpr: HER }));
    firstReference = (await aalborg.get(`/v1/cases/${first}`)).body.reference;
    await referToTreatment(first);
  });
  afterAll(() => stack?.stop());

  it('a second concern while her case is open: 409 with its reference for a caller who may see it', async () => {
    const res = await gp.post('/v1/cases', concern({ cpr: `${HER.slice(0, 6)}-${HER.slice(6)}` }));
    expectError(res, 409, 'CASE_ALREADY_OPEN');
    expect(res.body.details).toEqual({ reference: firstReference });
    // The caseworker of her municipality too.
    const caseworker = await aalborg.post('/v1/cases', concern({ cpr: HER }));
    expectError(caseworker, 409, 'CASE_ALREADY_OPEN');
    expect(caseworker.body.details).toEqual({ reference: firstReference });
  });

  it('and to a caller who may not see it, one neutral refusal: the same for any such case, nothing of it', async () => {
    await register(gp, concern({ cpr: ANOTHER_WOMAN, municipality: '751' }));
    const hers = await otherGp.post('/v1/cases', concern({ cpr: HER }));
    const someoneElses = await otherGp.post('/v1/cases', concern({ cpr: ANOTHER_WOMAN }));
    expectError(hers, 409, 'CASE_ALREADY_OPEN');
    expect(hers.body).not.toHaveProperty('details');
    expect(someoneElses.body).toEqual(hers.body);
    expect(someoneElses.status).toBe(hers.status);
    expect(JSON.stringify(hers.body)).not.toMatch(new RegExp(`${firstReference}|${first}|851|Aalborg|hansen`));
    // Nothing was registered: her only case is still the first.
    const listed = (await aalborg.get('/v1/cases')).body.items as { id: string }[];
    expect(listed.map((c) => c.id)).toEqual([first]);
  });

  let second: string;
  it('a closed earlier case does not block: the new case shows it to those shown her identity in both', async () => {
    await send(aalborg, first, 'close-case', { reason: 'pregnancy-ended' });
    second = await register(gp, concern({ cpr: HER }));
    await referToTreatment(second);
    const firstCase = (await aalborg.get(`/v1/cases/${first}`)).body;
    const seen = await aalborg.get(`/v1/cases/${second}`);
    expect(seen.status).toBe(200);
    expect(seen.body.earlierCases).toEqual([
      {
        reference: firstReference,
        detectedAt: firstCase.detectedAt,
        closedAt: firstCase.closed.closedAt,
        closeReason: 'pregnancy-ended',
        // Notified, assessed, treatment requested: the municipality's stage when it closed.
        stage: 'municipality',
      },
    ]);
    // The GP is shown no identity (disclosure.v1.json), so no link to her other pregnancies either.
    const gpView = await gp.get(`/v1/cases/${second}`);
    expect(gpView.status).toBe(200);
    expect(gpView.body).not.toHaveProperty('earlierCases');
    expect(JSON.stringify(gpView.body)).not.toContain(firstReference);
    // The first case has no earlier one.
    expect((await aalborg.get(`/v1/cases/${first}`)).body.earlierCases).toEqual([]);
  });

  it('the yearly table counts her once, though she was referred in two pregnancies this year', async () => {
    const report = (await auditor.get(`/v1/reports/annual?year=${thisYear()}`)).body;
    expect(report.municipalities.find((m: { code: string }) => m.code === '851')).toMatchObject({
      anyTreatment: 1,
      residential: 0,
    });
    expect(report.regions.find((r: { code: string }) => r.code === '1081')).toMatchObject({ anyTreatment: 1 });
    expect(report.national).toEqual({ anyTreatment: 1, residential: 0 });
    expect(report.definitions.join(' ')).toMatch(/once however many pregnancies/);
  });
});

/** An upgrade from before the CPR index (migration 15): the worker indexes those cases by itself. */
describe('cases stored before the CPR index', () => {
  let stack: Stack;
  afterAll(() => stack?.stop());

  it('are indexed by the worker at start: her second concern is refused, as for any case of hers', async () => {
    stack = await Stack.start();
    const gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    const first = await register(gp, concern({ cpr: HER }));
    // As such a case was stored: its CPR envelope without an index, and no claim to her open case.
    const pg = new PgClient({ connectionString: stack.db.url });
    await pg.connect();
    try {
      await pg.query(`UPDATE case_identities SET cpr_index = NULL, open_cpr_index = NULL WHERE case_id = $1`, [first]);
      stack.startWorker();
      await waitFor('the worker to index her CPR number', async () => {
        const { rows } = await pg.query(
          `SELECT cpr_index IS NOT NULL AND open_cpr_index = cpr_index AS linked FROM case_identities WHERE case_id = $1`,
          [first],
        );
        return rows[0]?.linked === true;
      });
    } finally {
      await pg.end();
    }
    const again = await gp.post('/v1/cases', concern({ cpr: HER }));
    expectError(again, 409, 'CASE_ALREADY_OPEN');
    expect(again.body.details).toEqual({ reference: expect.any(String) });
  });
});
