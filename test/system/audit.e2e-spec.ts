import { Client as PgClient } from 'pg';
import { localDate, startOfLocalDay } from '@app/pathway';
import { expectError } from '@test/support/api-error';
import { concern, register, send } from '@test/support/cases';
import { danishNumber, expectDuration, parseReportCsv } from '@test/support/csv';
import { Stack, type Client } from '@test/support/stack';
import { testNow } from '@test/support/time';

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
/** This year in Copenhagen, on the tests' clock: the year the cases below are counted in. */
const thisYear = () => Number(localDate(testNow()).slice(0, 4));
const CPR = '1508952468';

describe('audit over HTTP: reports, the history of a case, the hash chain', () => {
  let stack: Stack;
  let gp: Client;
  let aalborg: Client;
  let clinic: Client;
  let auditor: Client;
  let caseId: string;

  beforeAll(async () => {
    stack = await Stack.start();
    gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    aalborg = await stack.as('municipality', 'municipality:851', 'mia');
    clinic = await stack.as('clinic', 'clinic:1081', 'lis');
    auditor = await stack.as('auditor', 'authority:national', 'inge');
    caseId = await register(gp, concern({ cpr: CPR }));
    await send(gp, caseId, 'notify-municipality');
    await send(gp, caseId, 'refer-to-clinic');
    await send(aalborg, caseId, 'assess-notification', { outcome: 'support' });
    await send(aalborg, caseId, 'request-treatment', { kind: 'drugs' });
    await send(aalborg, caseId, 'start-treatment');
    const second = await register(gp, concern({ municipality: '751' }));
    await send(gp, second, 'notify-municipality');
    await send(await stack.as('municipality', 'municipality:751', 'ole'), second, 'assess-notification', {
      outcome: 'support',
    });
  });
  afterAll(() => stack?.stop());

  describe('reports', () => {
    it('answers handling times as JSON and the same figures as CSV, by Accept or ?format=csv', async () => {
      // A period around today: a day (Copenhagen midnight) and an instant.
      const [from, to] = [`${thisYear() - 1}-01-01`, `${thisYear() + 1}-01-01T00:00:00Z`];
      for (const groupBy of ['milestone', 'municipality', 'region', 'organisation']) {
        const query = `groupBy=${groupBy}&from=${from}&to=${to}`;
        const json = await aalborg.get(`/v1/reports/handling-times?${query}`);
        expect(json.status).toBe(200);
        expect(json.body.rows.length).toBeGreaterThan(0);
        const byAccept = await aalborg.bytes(`/v1/reports/handling-times?${query}`, { accept: 'text/csv' });
        expect(byAccept.status).toBe(200);
        expect(byAccept.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
        expect(byAccept.headers.get('content-disposition')).toMatch(/attachment; filename="handling-times-/);
        expect((await aalborg.bytes(`/v1/reports/handling-times?${query}&format=csv`)).body).toEqual(byAccept.body);
        expect(json.body).toMatchObject({
          from: startOfLocalDay(from).toISOString(),
          to: new Date(to).toISOString(),
          groupBy,
        });
        const csv = parseReportCsv(byAccept.body);
        expect(csv.comments.slice(1)).toEqual(json.body.definitions);
        expect(csv.rows).toHaveLength(json.body.rows.length);
        json.body.rows.forEach((r: Record<string, any>, i: number) => {
          const row = csv.rows[i];
          expect(row).toMatchObject({
            measure: r.measure,
            kind: r.kind,
            group_id: text(r.group?.id),
            group_name: text(r.group?.name),
            count: text(r.count),
            breached: text(r.breached),
          });
          expect(danishNumber(row.breach_rate)).toBe(r.breachRate);
          expectDuration(row, 'median', r.medianMs);
          expectDuration(row, 'p90', r.p90Ms);
          expectDuration(row, 'max', r.maxMs);
        });
        expect(Object.keys(csv.rows[0])).not.toContainEqual(expect.stringMatching(/_ms$/));
      }
      const assessments = (
        await aalborg.get('/v1/reports/handling-times?groupBy=municipality&measure=notification-assessment')
      ).body.rows;
      expect(assessments.map((r: { group: { id: string }; count: number }) => [r.group.id, r.count])).toEqual([
        ['751', 1],
        ['851', 1],
      ]);
    });

    it('answers the yearly table and capacity as JSON and CSV alike', async () => {
      const year = thisYear();
      const json = (await auditor.get(`/v1/reports/annual?year=${year}`)).body;
      expect(json.national).toEqual({ anyTreatment: 1, residential: 0 });
      const csv = parseReportCsv((await auditor.bytes(`/v1/reports/annual?year=${year}`, { accept: 'text/csv' })).body);
      expect(csv.comments.slice(1)).toEqual(json.definitions);
      expect(csv.rows).toHaveLength(98 + 5 + 1);
      expect(csv.rows.find((r) => r.code === '851')).toEqual({
        level: 'municipality',
        code: '851',
        name: 'Aalborg',
        region: '1081',
        any_treatment: '1',
        residential: '0',
      });
      expect(
        csv.rows
          .filter((r) => r.level === 'municipality')
          .map((r) => [r.code, Number(r.any_treatment), Number(r.residential)]),
      ).toEqual(
        json.municipalities.map((m: { code: string; anyTreatment: number; residential: number }) => [
          m.code,
          m.anyTreatment,
          m.residential,
        ]),
      );
      expect(csv.rows.at(-1)).toMatchObject({ level: 'national', any_treatment: '1', residential: '0' });

      const capacity = (await auditor.get('/v1/reports/capacity')).body;
      const capacityCsv = parseReportCsv((await auditor.bytes('/v1/reports/capacity?format=csv')).body);
      capacity.facilities.forEach((f: Record<string, any>, i: number) => {
        const row = capacityCsv.rows[i];
        expect(row).toMatchObject({
          facility: f.id,
          name: f.name,
          places: text(f.places),
          retention_places: text(f.retentionPlaces),
          occupied: text(f.occupied),
          occupied_under_retention: text(f.occupiedUnderRetention),
          awaiting_admission: text(f.awaitingAdmission),
        });
        expectDuration(row, 'longest_wait', f.longestWaitMs);
      });
      // Danish letters survive (UTF-8 after the byte order mark): the seeded Familiecentret Vibygård.
      expect(capacityCsv.rows.map((r) => r.name)).toContain('Familiecentret Vibygård');
      expect(capacityCsv.rows.at(-1)).toMatchObject({
        awaiting_admission: text(capacity.awaitingDecision.count),
      });
    });

    it('never carries a case, a reference or a CPR number', async () => {
      const { reference } = (await aalborg.get(`/v1/cases/${caseId}`)).body;
      const bodies = await Promise.all([
        aalborg.get('/v1/reports/handling-times?groupBy=organisation', { accept: 'text/csv' }),
        aalborg.get('/v1/reports/handling-times?groupBy=municipality'),
        aalborg.get(`/v1/reports/annual?year=${thisYear()}`),
        aalborg.get('/v1/reports/capacity'),
      ]);
      for (const res of bodies) {
        const body = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
        for (const secret of [caseId, reference, CPR, CPR.slice(0, 6)]) expect(body).not.toContain(secret);
      }
    });

    it('is documented in the OpenAPI document', async () => {
      const doc = (await stack.anonymous().get('/docs-json')).body;
      for (const path of [
        '/v1/reports/handling-times',
        '/v1/reports/annual',
        '/v1/reports/capacity',
        '/v1/cases/{id}/audit',
        '/v1/audit/verify',
      ]) {
        expect(doc.paths[path]?.get?.summary).toEqual(expect.any(String));
      }
    });

    it('refuses bad parameters with stable codes, and callers without a token', async () => {
      expectError(await aalborg.get('/v1/reports/handling-times?groupBy=person'), 400, 'VALIDATION_FAILED');
      expectError(await aalborg.get('/v1/reports/handling-times?from=2026-02-30'), 400, 'VALIDATION_FAILED');
      expectError(
        await aalborg.get('/v1/reports/handling-times?from=2026-06-01&to=2026-01-01'),
        400,
        'VALIDATION_FAILED',
      );
      expectError(await aalborg.get('/v1/reports/handling-times?measure=coffee-break'), 400, 'VALIDATION_FAILED');
      expectError(await aalborg.get('/v1/reports/annual'), 400, 'VALIDATION_FAILED');
      expectError(await aalborg.get('/v1/reports/annual?year=twenty'), 400, 'VALIDATION_FAILED');
      expectError(await stack.anonymous().get('/v1/reports/capacity'), 401, 'UNAUTHENTICATED');
    });
  });

  describe('the history of a case', () => {
    it('records who looked at the case, in which view, and shows it with every write', async () => {
      expect((await clinic.get(`/v1/cases/${caseId}`)).status).toBe(200);
      expect((await aalborg.get(`/v1/cases/${caseId}/events`)).status).toBe(200);
      expect((await aalborg.get(`/v1/cases/${caseId}/milestones`)).status).toBe(200);
      // Not their case: refused, and not recorded as a read.
      expect(
        (await (await stack.as('municipality', 'municipality:101', 'snoop')).get(`/v1/cases/${caseId}`)).status,
      ).toBe(404);

      // The responsible municipality sees every read; the GP (a referrer) only her own organisation's.
      expect((await gp.get(`/v1/cases/${caseId}/audit`)).status).toBe(200);
      const audit = await aalborg.get(`/v1/cases/${caseId}/audit`);
      expect(audit.status).toBe(200);
      const reads = audit.body.reads.map(
        (r: { reader: { id: string; role: string; organisation: string }; view: string }) => [
          r.reader.id,
          r.reader.role,
          r.reader.organisation,
          r.view,
        ],
      );
      expect(reads).toEqual(
        expect.arrayContaining([
          ['lis', 'clinic', 'clinic:1081', 'case'],
          ['mia', 'municipality', 'municipality:851', 'events'],
          ['mia', 'municipality', 'municipality:851', 'milestones'],
          ['dr-hansen', 'referrer', 'gp:hansen', 'audit'],
          // The clinic's case answer showed her CPR number in full: recorded as a read of its own.
          ['lis', 'clinic', 'clinic:1081', 'cpr'],
        ]),
      );
      const gpReads = (await gp.get(`/v1/cases/${caseId}/audit`)).body.reads as { reader: { organisation: string } }[];
      expect(gpReads.length).toBeGreaterThan(0);
      expect(gpReads.every((r) => r.reader.organisation === 'gp:hansen')).toBe(true);
      expect(reads.some((r: string[]) => r[0] === 'snoop')).toBe(false);
      const writes = audit.body.writes;
      expect(writes[0]).toMatchObject({
        sequence: 1,
        type: 'ConcernRegistered',
        kind: 'fact',
        actor: { id: 'dr-hansen', role: 'referrer', organisation: 'gp:hansen' },
      });
      expect(writes.find((w: { type: string }) => w.type === 'NotificationAssessed')).toMatchObject({
        actor: { id: 'mia', organisation: 'municipality:851' },
      });
      expect(
        writes.some(
          (w: { kind: string; actor: { role: string } }) => w.kind === 'milestone' && w.actor.role === 'referrer',
        ),
      ).toBe(true);
      expect(audit.body.chain).toEqual({ ok: true, events: writes.length, breaks: [] });
      expect(JSON.stringify(audit.body)).not.toContain(CPR);
      // The audit view is itself a read: the next one shows this one.
      const again = (await gp.get(`/v1/cases/${caseId}/audit`)).body;
      expect(again.reads.filter((r: { view: string }) => r.view === 'audit')).toHaveLength(3);
    });

    it('verifies every chain for an auditor, and names the event changed directly in SQL', async () => {
      expect((await auditor.get('/v1/audit/verify')).body).toMatchObject({ ok: true, streams: 2, breakCount: 0 });
      expectError(await aalborg.get('/v1/audit/verify'), 403, 'ROLE_NOT_PERMITTED');

      const pg = new PgClient({ connectionString: stack.db.url });
      await pg.connect();
      try {
        await pg.query('BEGIN');
        await pg.query('SET LOCAL session_replication_role = replica');
        const { rows } = await pg.query(
          `UPDATE case_events SET data = jsonb_set(data, '{outcome}', '"no-action"') WHERE stream_id = $1 AND type = 'NotificationAssessed' RETURNING version, position`,
          [caseId],
        );
        await pg.query('COMMIT');
        const report = (await auditor.get('/v1/audit/verify')).body;
        expect(report).toMatchObject({ ok: false, breakCount: 1 });
        expect(report.breaks).toEqual([
          {
            streamId: caseId,
            version: rows[0].version,
            position: Number(rows[0].position),
            type: 'NotificationAssessed',
            problems: ['content-altered'],
          },
        ]);
        expect((await auditor.get(`/v1/audit/verify?caseId=${caseId}`)).body.ok).toBe(false);
        // Another organisation's auditor checks only its own cases: the break, naming this case, is not shown to it.
        const elsewhere = await stack.as('auditor', 'municipality:101', 'otto');
        expect((await elsewhere.get('/v1/audit/verify')).body).toMatchObject({ ok: true, breakCount: 0, breaks: [] });
        const own = await stack.as('auditor', 'municipality:851', 'olga');
        expect((await own.get('/v1/audit/verify')).body).toMatchObject({ ok: false, breakCount: 1 });
        expect((await aalborg.get(`/v1/cases/${caseId}/audit`)).body.chain).toMatchObject({
          ok: false,
          breaks: [{ version: rows[0].version }],
        });
      } finally {
        await pg.end();
      }
    });
  });
});
