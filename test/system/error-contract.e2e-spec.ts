import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signLocalToken } from '@app/auth';
import { errorShapeProblem, expectError, fieldProblems } from '@test/support/api-error';
import { Random, seedFrom } from '@test/support/random';
import { Client, Stack, type Response } from '@test/support/stack';
import { concern, register, send } from '@test/support/cases';
import { inDays, testNow } from '@test/support/time';

const UNKNOWN_CASE = '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function post(
  client: Client,
  url: string,
  body: string | Buffer,
  contentType = 'application/json',
  headers: Record<string, string> = {},
) {
  return client.request('POST', url, { raw: body, headers: { 'content-type': contentType, ...headers } });
}

/**
 * A body over the limit: the server answers 413 and closes the connection without reading the rest,
 * so a sender still writing may see EPIPE or ECONNRESET instead of the answer (fetch then fails as a
 * whole). Such a send is tried again; the answer, when it arrives, must be the 413.
 */
async function postOversized(client: Client, url: string, body: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await post(client, url, body);
    } catch (error) {
      const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
      if (attempt >= 5 || (code !== 'EPIPE' && code !== 'ECONNRESET')) throw error;
    }
  }
}

describe('the HTTP error contract', () => {
  let stack: Stack;
  let gp: Client;
  let municipality: Client;
  let clinic: Client;
  let facility: Client;
  let caseId: string;

  const versionOf = async (id: string) => (await municipality.get(`/v1/cases/${id}`)).body.version as number;

  beforeAll(async () => {
    stack = await Stack.start();
    gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    municipality = await stack.as('municipality', 'municipality:851', 'mia');
    clinic = await stack.as('clinic', 'clinic:1081', 'lis');
    facility = await stack.as('facility', 'facility:holmegaardshuset', 'karen');
    caseId = await register(gp);
  });
  afterAll(() => stack?.stop());

  describe('400', () => {
    it('names every invalid field of a body as { field, problem }', async () => {
      const res = await gp.post('/v1/cases', {
        estimatedDueDate: '2027-02-30',
        municipality: '999',
        referrer: { kind: 'neighbour' },
        substances: [],
      });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(fieldProblems(res.body.details)).toEqual(
        expect.arrayContaining([
          { field: '/estimatedDueDate', problem: 'must be a valid date' },
          { field: '/municipality', problem: 'is not one of the allowed values (see the API documentation)' },
          { field: '/referrer/kind', problem: expect.stringContaining('must be one of: gp, midwife') },
          { field: '/substances', problem: 'must NOT have fewer than 1 items' },
        ]),
      );
      // The rule each breaks, for a client to say it in its own language (the dashboard's Danish).
      expect(res.body.details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: '/estimatedDueDate', keyword: 'format', params: { format: 'date' } }),
          expect.objectContaining({
            field: '/municipality',
            keyword: 'enum',
            params: { allowedValues: expect.arrayContaining(['851', '101']) },
          }),
          expect.objectContaining({ field: '/substances', keyword: 'minItems', params: { limit: 1 } }),
        ]),
      );
      for (const detail of res.body.details) {
        expect(Object.keys(detail).sort()).toEqual(['field', 'keyword', 'params', 'problem']);
        expect(res.body.message).toContain(detail.field);
      }

      const empty = await gp.post('/v1/cases', {});
      expectError(empty, 400, 'VALIDATION_FAILED');
      expect(empty.body.details[0]).toEqual({
        field: '/estimatedDueDate',
        problem: 'is required',
        keyword: 'required',
        params: {},
      });
      expect(fieldProblems(empty.body.details)).toEqual(
        ['estimatedDueDate', 'municipality', 'referrer', 'substances'].map((f) => ({
          field: `/${f}`,
          problem: 'is required',
        })),
      );

      const command = await municipality.post(`/v1/cases/${caseId}/record-consent`, { scope: 'everything', status: 1 });
      expectError(command, 400, 'VALIDATION_FAILED');
      expect(fieldProblems(command.body.details)).toEqual(
        expect.arrayContaining([
          { field: '/scope', problem: expect.stringContaining('must be one of: ') },
          { field: '/status', problem: 'must be string' },
        ]),
      );
      expect(await versionOf(caseId)).toBe(1);
    });

    it('names an unknown field, at any depth, on registration and on commands', async () => {
      const top = await gp.post('/v1/cases', concern({ colour: 'blue' }));
      expectError(top, 400, 'VALIDATION_FAILED');
      expect(fieldProblems(top.body.details)).toEqual([{ field: '/colour', problem: 'is not a known field' }]);

      const nested = await gp.post('/v1/cases', concern({ referrer: { kind: 'gp', colour: 'blue' } }));
      expectError(nested, 400, 'VALIDATION_FAILED');
      expect(fieldProblems(nested.body.details)).toEqual([
        { field: '/referrer/colour', problem: 'is not a known field' },
      ]);

      const command = await municipality.post(`/v1/cases/${caseId}/record-network-meeting`, {
        note: 'fine',
        colour: 'blue',
      });
      expectError(command, 400, 'VALIDATION_FAILED');
      expect(fieldProblems(command.body.details)).toEqual([{ field: '/colour', problem: 'is not a known field' }]);
      expect(await versionOf(caseId)).toBe(1);
    });

    it.each([
      ['truncated', '{"estimatedDueDate":'],
      ['single quotes', "{'note':'x'}"],
      ['a trailing comma', '{"note":"x",}'],
      ['NaN', '{"note":NaN}'],
      ['a comment', '{"note":"x"} // hi'],
      ['two documents', '{}{}'],
      ['a raw control character in a string', '{"note":"a\u0001b"}'],
      ['a __proto__ key', '{"note":"x","__proto__":{"admin":true}}'],
      ['a constructor.prototype key', '{"constructor":{"prototype":{"admin":true}}}'],
    ])('400 MALFORMED_JSON for a body with %s', async (_what, body) => {
      for (const url of ['/v1/cases', `/v1/cases/${caseId}/record-network-meeting`]) {
        const res = await post(municipality, url, body);
        expectError(res, 400, 'MALFORMED_JSON');
        expect(res.body.details).toBeUndefined();
      }
    });

    it.each([['null'], ['[]'], ['[{"note":"x"}]'], ['42'], ['"text"'], ['true']])(
      '400 VALIDATION_FAILED for the JSON value %s, which is not an object',
      async (body) => {
        for (const url of ['/v1/cases', `/v1/cases/${caseId}/record-network-meeting`]) {
          const res = await post(municipality, url, body);
          expectError(res, 400, 'VALIDATION_FAILED');
          expect(fieldProblems(res.body.details)).toEqual([{ field: '', problem: 'must be object' }]);
        }
        expect(await versionOf(caseId)).toBe(1);
      },
    );

    it('refuses text PostgreSQL cannot store (a NUL character, an unpaired surrogate) as a validation error, not a 500', async () => {
      const nul = await municipality.post(`/v1/cases/${caseId}/record-network-meeting`, { note: 'before\u0000after' });
      expectError(nul, 400, 'VALIDATION_FAILED');
      expect(fieldProblems(nul.body.details)).toEqual([{ field: '/note', problem: expect.any(String) }]);

      const surrogate = await municipality.post(`/v1/cases/${caseId}/record-network-meeting`, {
        note: 'half an emoji \ud83d',
      });
      expectError(surrogate, 400, 'VALIDATION_FAILED');
      expect(fieldProblems(surrogate.body.details)).toEqual([{ field: '/note', problem: expect.any(String) }]);

      const name = await gp.post('/v1/cases', concern({ referrer: { kind: 'gp', name: 'Hansen\u0000' } }));
      expectError(name, 400, 'VALIDATION_FAILED');
      expect(fieldProblems(name.body.details)).toEqual([{ field: '/referrer/name', problem: expect.any(String) }]);

      const coordinator = await municipality.get('/v1/cases?coordinator=al%00ice');
      expectError(coordinator, 400, 'VALIDATION_FAILED');
      expect(fieldProblems(coordinator.body.details)).toEqual([{ field: '/coordinator', problem: expect.any(String) }]);

      // Text outside the Basic Multilingual Plane and Danish letters are fine.
      const before = await versionOf(caseId);
      expect((await send(municipality, caseId, 'record-network-meeting', { note: 'Møde på Ærø 😀' })).version).toBe(
        before + 1,
      );
    });

    it('refuses an occurredAt that is not a storable RFC 3339 time as a validation error, not a 500', async () => {
      for (const occurredAt of [
        '0000-01-01T00:00:00Z',
        '0001-01-01T00:00:00+01:00',
        '2026-06-30T23:59:60Z',
        'yesterday',
        '2026-11-23',
      ]) {
        const res = await gp.post('/v1/cases', concern({ occurredAt }));
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(fieldProblems(res.body.details)).toEqual([
          { field: '/occurredAt', problem: 'must be a valid date-time' },
        ]);
      }
      const backdated = new Date(testNow().getTime() - 86_400_000).toISOString().replace('Z', '+00:00');
      const registered = await gp.post('/v1/cases', concern({ occurredAt: backdated }));
      expect(registered.status).toBe(201);
      expect(registered.body.detectedAt).toBe(new Date(backdated).toISOString());
    });

    it('names each invalid command header: If-Match, Idempotency-Key, X-Correlation-Id', async () => {
      const before = await versionOf(caseId);
      for (const ifMatch of ['abc', '"0"', '"-1"', '"1", "2"', '"9999999999"']) {
        const res = await municipality.post(`/v1/cases/${caseId}/record-network-meeting`, {}, { 'if-match': ifMatch });
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(fieldProblems(res.body.details)).toEqual([
          { field: 'If-Match', problem: 'must be the case version as an ETag, e.g. "3"' },
        ]);
      }
      const onRegister = await gp.post('/v1/cases', concern(), { 'if-match': '"1"' });
      expectError(onRegister, 400, 'VALIDATION_FAILED');
      expect(fieldProblems(onRegister.body.details)).toEqual([{ field: 'If-Match', problem: 'is not accepted here' }]);

      for (const key of ['has space', 'k'.repeat(201), 'naïve']) {
        const res = await municipality.post(
          `/v1/cases/${caseId}/record-network-meeting`,
          {},
          { 'idempotency-key': key },
        );
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(fieldProblems(res.body.details)).toEqual([
          { field: 'Idempotency-Key', problem: 'must be 1 to 200 visible ASCII characters' },
        ]);
      }
      for (const correlation of ['not/allowed', 'x'.repeat(101), 'a b']) {
        const res = await gp.post('/v1/cases', concern(), { 'x-correlation-id': correlation });
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(fieldProblems(res.body.details)).toEqual([
          { field: 'X-Correlation-Id', problem: 'must be 1 to 100 letters, digits or . _ : -' },
        ]);
      }
      const all = await municipality.post(
        `/v1/cases/${caseId}/record-network-meeting`,
        {},
        { 'if-match': 'v1', 'idempotency-key': 'a b', 'x-correlation-id': '#' },
      );
      expectError(all, 400, 'VALIDATION_FAILED');
      expect(all.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
        'Idempotency-Key',
        'If-Match',
        'X-Correlation-Id',
      ]);
      expect(await versionOf(caseId)).toBe(before);
    });

    it('refuses bad list query parameters, naming the parameter', async () => {
      const cases: [string, string][] = [
        ['colour=blue', '/colour'],
        ['stage=nowhere', '/stage'],
        ['municipality=999', '/municipality'],
        ['limit=0', '/limit'],
        ['limit=201', '/limit'],
        ['limit=abc', '/limit'],
        ['limit=-1', '/limit'],
        ['limit=1.5', '/limit'],
        ['limit=', '/limit'],
        ['limit=1&limit=2', '/limit'],
        ['stage=clinic&stage=detected', '/stage'],
        ['coordinator=', '/coordinator'],
        ['__proto__=x', '/__proto__'],
      ];
      for (const [query, field] of cases) {
        const res = await municipality.get(`/v1/cases?${query}`);
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(res.body.details.length).toBeGreaterThan(0);
        expect(fieldProblems(res.body.details)).toEqual(
          res.body.details.map(() => ({ field, problem: expect.any(String) })),
        );
      }
      for (const query of ['limit=1', 'limit=200', 'stage=detected', 'municipality=851', 'coordinator=alice']) {
        expect((await municipality.get(`/v1/cases?${query}`)).status).toBe(200);
      }
    });

    it('400 INVALID_CURSOR for a cursor the API did not issue', async () => {
      const forged = [
        'abc',
        '!!!',
        cursor({}),
        cursor([]),
        cursor(null),
        cursor(['yesterday', UNKNOWN_CASE]),
        cursor([testNow().toISOString(), 'not-a-uuid']),
        // These look plausible to a lenient parser but not to PostgreSQL.
        cursor(['1', UNKNOWN_CASE]),
        cursor(['2026', UNKNOWN_CASE]),
        cursor([testNow().toISOString(), '-'.repeat(36)]),
        cursor(['+275760-09-13T00:00:00.000Z', UNKNOWN_CASE]),
        cursor(['0000-01-01T00:00:00.000Z', UNKNOWN_CASE]),
        cursor(['2026-02-30T00:00:00.000Z', UNKNOWN_CASE]),
        cursor([testNow().toISOString(), 'g'.repeat(8) + UNKNOWN_CASE.slice(8)]),
        cursor([testNow().toISOString(), UNKNOWN_CASE, 'extra']).slice(0, 20),
        'x'.repeat(501),
      ];
      for (const c of forged) {
        const res = await municipality.get(`/v1/cases?cursor=${encodeURIComponent(c)}`);
        if (c.length > 500) {
          expectError(res, 400, 'VALIDATION_FAILED');
        } else {
          expectError(res, 400, 'INVALID_CURSOR');
        }
      }
      // A cursor of the API's own form works.
      const page = await municipality.get(
        `/v1/cases?cursor=${cursor([new Date(testNow().getTime() + 60_000).toISOString(), UNKNOWN_CASE])}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.map((c: { id: string }) => c.id)).toContain(caseId);
    });
  });

  describe('401', () => {
    let tokens: Record<string, string | undefined>;

    beforeAll(async () => {
      const keyDir = path.join(stack.dataDir, 'auth');
      const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathway-foreign-key-'));
      const now = stack.clock.now();
      const mia = { sub: 'mia', role: 'municipality', org: 'municipality:851' };
      try {
        tokens = {
          'no token': undefined,
          'a garbage token': 'garbage',
          'an expired token': await signLocalToken(keyDir, mia, {
            expiresIn: '1h',
            now: new Date(now.getTime() - 2 * 3_600_000),
          }),
          'a token signed by another key': await signLocalToken(otherDir, mia, { now }),
          'a token with an unknown role': await stack.token('superuser', 'municipality:851', 'mia'),
          'a token with a malformed organisation': await stack.token('municipality', 'Aalborg Kommune', 'mia'),
          'a token for another audience': await signLocalToken(keyDir, mia, { audience: 'elsewhere', now }),
        };
      } finally {
        fs.rmSync(otherDir, { recursive: true, force: true });
      }
    });

    it.each([
      ['no token', 'send Authorization: Bearer <token>'],
      ['a garbage token', 'the token is not a valid JWT'],
      ['an expired token', 'the token has expired'],
      ['a token signed by another key', 'the token signature is not valid'],
      ['a token with an unknown role', 'the token needs sub, a known role and org'],
      ['a token with a malformed organisation', 'the token needs sub, a known role and org'],
      ['a token for another audience', "the token's aud claim is not accepted"],
    ])('401 UNAUTHENTICATED with WWW-Authenticate: Bearer for %s', async (what, message) => {
      const client = new Client(stack.baseUrl, tokens[what]);
      const before = (await municipality.get('/v1/cases?limit=200')).body.items.length;
      const attempts: Response[] = [
        await client.get('/v1/cases'),
        await client.get(`/v1/cases/${caseId}`),
        await client.get(`/v1/cases/${caseId}/events`),
        await client.get('/v1/organisations'),
        await client.post('/v1/cases', concern()),
        await client.post(`/v1/cases/${caseId}/record-network-meeting`, {}),
      ];
      for (const res of attempts) {
        expectError(res, 401, 'UNAUTHENTICATED');
        expect(res.body.message).toContain(message);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
      }
      expect((await municipality.get('/v1/cases?limit=200')).body.items.length).toBe(before);
    });

    it('401 for an Authorization header that is not a bearer token', async () => {
      for (const authorization of ['Basic bWlhOnNlY3JldA==', 'Bearer', 'Bearer a b', 'token abc']) {
        const res = await stack.anonymous().get('/v1/cases', { authorization });
        expectError(res, 401, 'UNAUTHENTICATED');
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
      }
    });
  });

  describe('403', () => {
    it('ROLE_NOT_PERMITTED: a role that may not send the command, and nothing is appended', async () => {
      const id = await register(gp);
      const res = await gp.post(`/v1/cases/${id}/assess-notification`, { outcome: 'support' });
      expectError(res, 403, 'ROLE_NOT_PERMITTED');
      expect(res.body.message).toContain('referrer');

      const auditor = await stack.as('auditor', 'municipality:851', 'audra');
      expectError(await auditor.post('/v1/cases', concern()), 403, 'ROLE_NOT_PERMITTED');
      expectError(await auditor.post(`/v1/cases/${id}/record-network-meeting`, {}), 403, 'ROLE_NOT_PERMITTED');
      expect(await versionOf(id)).toBe(1);
    });

    it('NOT_RESPONSIBLE_MUNICIPALITY: a municipality with a part in the case that is not the responsible one', async () => {
      const copenhagen = await stack.as('municipality', 'municipality:101', 'kim');
      const id = await register(copenhagen); // Copenhagen registers a concern for Aalborg's citizen: a party, not responsible
      expect((await copenhagen.get(`/v1/cases/${id}`)).status).toBe(200);
      for (const [command, body] of [
        ['assess-notification', { outcome: 'support' }],
        ['close-case', { reason: 'completed' }],
        ['transfer-municipality', { toMunicipality: '101' }],
      ] as const) {
        const res = await copenhagen.post(`/v1/cases/${id}/${command}`, body);
        expectError(res, 403, 'NOT_RESPONSIBLE_MUNICIPALITY');
      }
      expect(await versionOf(id)).toBe(1);
    });

    it('NOT_HANDOFF_RECIPIENT: a party acknowledging a hand-off sent to someone else', async () => {
      const id = await register(gp);
      await send(gp, id, 'refer-to-clinic'); // handoff-1 goes to clinic:1081
      const res = await municipality.post(`/v1/cases/${id}/acknowledge-handoff`, { handoffId: 'handoff-1' });
      expectError(res, 403, 'NOT_HANDOFF_RECIPIENT');
      expect(res.body.message).toContain('clinic:1081');
      expect(
        (await send(clinic, id, 'acknowledge-handoff', { handoffId: 'handoff-1' })).case.handoffs[0].acknowledgedAt,
      ).toEqual(expect.any(String));
    });
  });

  describe('404', () => {
    it('an unknown case, a malformed id and another organisation’s case are indistinguishable', async () => {
      const unknown = await municipality.get(`/v1/cases/${UNKNOWN_CASE}`);
      expectError(unknown, 404, 'CASE_NOT_FOUND');
      const reference = unknown.body;

      const aarhus = await stack.as('municipality', 'municipality:751', 'ole');
      const aarhusCoordinator = await stack.as('coordinator', 'municipality:751', 'ulla');
      const attempts: [string, Promise<Response>][] = [
        ['unknown events', municipality.get(`/v1/cases/${UNKNOWN_CASE}/events`)],
        ['unknown command', municipality.post(`/v1/cases/${UNKNOWN_CASE}/record-network-meeting`, {})],
        ['unknown, upper case', municipality.get(`/v1/cases/${UNKNOWN_CASE.toUpperCase()}`)],
        ...[
          'abc',
          '1',
          `${UNKNOWN_CASE}x`,
          UNKNOWN_CASE.replace(/-/g, ''),
          `{${UNKNOWN_CASE}}`,
          '%00',
          "'; DROP TABLE case_events; --",
        ].flatMap((bad): [string, Promise<Response>][] => [
          [`malformed ${bad}`, municipality.get(`/v1/cases/${encodeURIComponent(bad)}`)],
          [`malformed ${bad} events`, municipality.get(`/v1/cases/${encodeURIComponent(bad)}/events`)],
          [
            `malformed ${bad} command`,
            municipality.post(`/v1/cases/${encodeURIComponent(bad)}/record-network-meeting`, {}),
          ],
        ]),
        ['other organisation', aarhus.get(`/v1/cases/${caseId}`)],
        ['other organisation events', aarhus.get(`/v1/cases/${caseId}/events`)],
        ['other organisation command', aarhus.post(`/v1/cases/${caseId}/record-network-meeting`, {})],
        ['other organisation decision', aarhus.post(`/v1/cases/${caseId}/assess-notification`, { outcome: 'support' })],
        [
          'other organisation coordinator',
          aarhusCoordinator.post(`/v1/cases/${caseId}/close-case`, { reason: 'completed' }),
        ],
      ];
      for (const [what, pending] of attempts) {
        const res = await pending;
        expect({ what, status: res.status, body: res.body }).toEqual({ what, status: 404, body: reference });
        expect(res.headers.get('etag')).toBeNull();
      }
    });

    it('UNKNOWN_COMMAND for a command that does not exist', async () => {
      for (const id of [caseId, UNKNOWN_CASE]) {
        for (const command of ['fly', 'register-concern', 'events', 'RECORD-BIRTH', 'record_birth']) {
          const res = await municipality.post(`/v1/cases/${id}/${command}`, {});
          expectError(res, 404, 'UNKNOWN_COMMAND');
          expect(res.body.message).toContain(command);
        }
      }
    });

    it('NOT_FOUND for a route that does not exist, with or without a token', async () => {
      for (const client of [municipality, stack.anonymous()]) {
        for (const [method, url] of [
          ['GET', '/v1/nope'],
          ['GET', '/v2/cases'],
          ['GET', `/v1/cases/${caseId}/record-birth`],
          ['POST', `/v1/cases/${caseId}/record-birth/again`],
          ['DELETE', `/v1/cases/${caseId}`],
          ['PUT', `/v1/cases/${caseId}`],
          ['POST', '/v1/organisations/x'],
        ]) {
          const res = await client.request(method, url);
          expectError(res, 404, 'NOT_FOUND');
        }
      }
    });
  });

  describe('errors raised before routing', () => {
    it('answers an over-long path segment, a malformed URL and oversized headers in the error shape too', async () => {
      const long = 'a'.repeat(150);
      for (const res of [
        await municipality.get(`/v1/cases/${long}`),
        await municipality.get(`/v1/cases/${long}/events`),
        await municipality.post(`/v1/cases/${long}/record-birth`, {}),
        await municipality.post(`/v1/cases/${caseId}/${long}`, {}),
      ]) {
        expectError(res, 414, 'URI_TOO_LONG');
        expect(JSON.stringify(res.body)).not.toContain(long); // the URL is not echoed
      }
      for (const res of [
        await municipality.get('/v1/cases/%zz'),
        await municipality.post('/v1/cases/%E0%A4%A/record-birth', {}),
        await stack.anonymous().get('/v1/cases/%'),
      ]) {
        expectError(res, 400, 'BAD_REQUEST');
      }
      const headers = await municipality.get('/v1/cases', { 'x-padding': 'p'.repeat(20_000) });
      expectError(headers, 431, 'HEADERS_TOO_LARGE');
      expect((await stack.anonymous().get('/health')).status).toBe(200);
      expect((await municipality.get(`/v1/cases/${caseId}`)).status).toBe(200);
    });
  });

  describe('409', () => {
    it('VERSION_CONFLICT for a stale If-Match, with the current version in details and ETag; the current one succeeds', async () => {
      const id = await register(gp);
      const first = await municipality.post(`/v1/cases/${id}/record-network-meeting`, {}, { 'if-match': '"1"' });
      expect(first.status).toBe(200);
      expect(first.headers.get('etag')).toBe('"2"');

      for (const stale of ['"1"', 'W/"1"', '1', '"3"']) {
        const res = await municipality.post(`/v1/cases/${id}/record-network-meeting`, {}, { 'if-match': stale });
        expectError(res, 409, 'VERSION_CONFLICT');
        expect(res.body.details).toEqual({ currentVersion: 2 });
        expect(res.headers.get('etag')).toBe('"2"');
      }
      expect(await versionOf(id)).toBe(2);

      const current = await municipality.post(
        `/v1/cases/${id}/record-network-meeting`,
        {},
        { 'if-match': first.headers.get('etag') as string },
      );
      expect(current.status).toBe(200);
      expect(current.body.version).toBe(3);
      expect(
        (await municipality.post(`/v1/cases/${id}/record-network-meeting`, {}, { 'if-match': 'W/"3"' })).status,
      ).toBe(200);
      expect((await municipality.post(`/v1/cases/${id}/record-network-meeting`, {}, { 'if-match': '*' })).status).toBe(
        200,
      );
    });
  });

  describe('413', () => {
    it('PAYLOAD_TOO_LARGE above 64 KiB, on commands and on registration; 64 KiB itself is read', async () => {
      const body = (bytes: number) => {
        const shell = JSON.stringify({ note: '' });
        return JSON.stringify({ note: 'x'.repeat(bytes - shell.length) });
      };
      expect(Buffer.byteLength(body(64 * 1024))).toBe(64 * 1024);
      for (const url of ['/v1/cases', `/v1/cases/${caseId}/record-network-meeting`]) {
        const over = await postOversized(municipality, url, body(64 * 1024 + 1));
        expectError(over, 413, 'PAYLOAD_TOO_LARGE');
        const far = await postOversized(municipality, url, body(1024 * 1024));
        expectError(far, 413, 'PAYLOAD_TOO_LARGE');
        // Exactly the limit is parsed (and then refused: the note is too long).
        const at = await post(municipality, url, body(64 * 1024));
        expectError(at, 400, 'VALIDATION_FAILED');
        expect(fieldProblems(at.body.details)).toContainEqual({
          field: '/note',
          problem: 'must NOT have more than 2000 characters',
        });
      }
      expect((await municipality.get('/health')).status).toBe(200);
    });
  });

  describe('415', () => {
    it.each([
      ['text/plain'],
      ['application/x-www-form-urlencoded'],
      ['multipart/form-data; boundary=x'],
      ['application/xml'],
      ['application/octet-stream'],
      ['text/json'],
      ['application/json; charset=utf-16'],
      ['application/json; charset="latin1"'],
    ])('UNSUPPORTED_MEDIA_TYPE for a %s body', async (contentType) => {
      const before = await versionOf(caseId);
      for (const url of ['/v1/cases', `/v1/cases/${caseId}/record-network-meeting`]) {
        const res = await post(municipality, url, JSON.stringify(url === '/v1/cases' ? concern() : {}), contentType);
        expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      }
      expect(await versionOf(caseId)).toBe(before);
    });

    it('accepts JSON declared as UTF-8', async () => {
      const res = await post(
        municipality,
        `/v1/cases/${caseId}/record-network-meeting`,
        JSON.stringify({ note: 'Møde på Ærø' }),
        'application/json; charset=UTF-8',
      );
      expect(res.status).toBe(200);
    });
  });

  describe('422', () => {
    it('CONSENT_REQUIRED: admission without her consent', async () => {
      const id = await register(gp);
      await send(municipality, id, 'request-residential-placement');
      await send(municipality, id, 'decide-residential-placement', {
        decision: 'granted',
        facility: 'facility:holmegaardshuset',
      });
      const res = await facility.post(`/v1/cases/${id}/admit-to-residential`, {});
      expectError(res, 422, 'CONSENT_REQUIRED');
      await send(municipality, id, 'record-consent', { scope: 'residential', status: 'given' });
      expect((await send(facility, id, 'admit-to-residential')).case.stage).toBe('residential');
    });

    it('CASE_CLOSED: any command on a closed case', async () => {
      const id = await register(gp);
      // The GP's duty to notify (LAW) is open: only a moot reason closes the case (else LEGAL_DUTY_OPEN).
      await send(municipality, id, 'close-case', { reason: 'moved-abroad' });
      for (const [client, command] of [
        [gp, 'record-lost-contact'],
        [municipality, 'record-network-meeting'],
        [municipality, 'close-case'],
      ] as const) {
        const res = await client.post(
          `/v1/cases/${id}/${command}`,
          command === 'close-case' ? { reason: 'completed' } : {},
        );
        expectError(res, 422, 'CASE_CLOSED');
      }
    });

    it('BIRTH_ALREADY_RECORDED: a second birth', async () => {
      const id = await register(gp, concern({ estimatedDueDate: inDays(30) })); // week 35: a birth is plausible
      await send(municipality, id, 'record-birth');
      expectError(await municipality.post(`/v1/cases/${id}/record-birth`, {}), 422, 'BIRTH_ALREADY_RECORDED');
      expectError(
        await municipality.post(`/v1/cases/${id}/update-due-date`, { estimatedDueDate: inDays(30) }),
        422,
        'BIRTH_ALREADY_RECORDED',
      );
    });

    it('DUE_DATE_OUT_OF_RANGE: a due date more than 40 weeks ahead or long past', async () => {
      for (const due of [inDays(300), inDays(800), inDays(-35)]) {
        expectError(await gp.post('/v1/cases', concern({ estimatedDueDate: due })), 422, 'DUE_DATE_OUT_OF_RANGE');
      }
      expectError(
        await municipality.post(`/v1/cases/${caseId}/update-due-date`, { estimatedDueDate: inDays(400) }),
        422,
        'DUE_DATE_OUT_OF_RANGE',
      );
      expect((await gp.post('/v1/cases', concern({ estimatedDueDate: inDays(-20) }))).status).toBe(201);
    });

    it('OCCURRED_IN_FUTURE and OCCURRED_BEFORE_CASE for a backdated fact outside the case', async () => {
      const future = new Date(testNow().getTime() + 3_600_000).toISOString();
      expectError(
        await municipality.post(`/v1/cases/${caseId}/record-network-meeting`, { occurredAt: future }),
        422,
        'OCCURRED_IN_FUTURE',
      );
      expectError(
        await municipality.post(`/v1/cases/${caseId}/record-network-meeting`, { occurredAt: '2001-01-01T00:00:00Z' }),
        422,
        'OCCURRED_BEFORE_CASE',
      );
    });
  });

  describe('a fuzz of hostile bodies', () => {
    const seed = seedFrom('FUZZ_SEED');
    const rng = new Random(seed);

    /** Strings that have broken parsers, databases and loggers before. */
    const NASTY = [
      '',
      ' ',
      '\u0000',
      'a\u0000b',
      '\ud800',
      '\udfff',
      'x\ud83d',
      '😀',
      '\u202Eevil',
      '\uFEFF',
      'ﷺ',
      'Ω≈ç√∫',
      'æøå ÆØÅ',
      '\r\n',
      '\\',
      '"',
      "'",
      '%00',
      '%s%s%n',
      "'; DROP TABLE case_events; --",
      '${jndi:ldap://x}',
      '{{7*7}}',
      '<script>alert(1)</script>',
      '../../etc/passwd',
      '0101901234',
      '010190-1234',
      'null',
      'true',
      '1e400',
      'NaN',
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'hasOwnProperty',
      'municipality:851',
      'facility:holmegaardshuset',
      'handoff-1',
      '2027-02-30',
      '2026-13-01',
      '0000-00-00',
      '9999-12-31',
      '2026-11-23T23:59:60Z',
      '+275760-09-13T00:00:00Z',
      '-000001-01-01',
      '851',
      '999',
      'gp',
      'granted',
    ];
    const NUMBERS = [
      '0',
      '-0',
      '1',
      '-1',
      '1e400',
      '-1e400',
      '1e-400',
      '9007199254740993',
      '123456789012345678901234567890',
      '0.1',
      '1E2',
      '3.14159e+10',
      '-2147483649',
    ];
    const KEYS = [
      'note',
      'estimatedDueDate',
      'municipality',
      'referrer',
      'kind',
      'name',
      'substances',
      'cpr',
      'occurredAt',
      'participants',
      'coordinator',
      'id',
      'organisation',
      'scope',
      'status',
      'decision',
      'facility',
      'handoffId',
      'toMunicipality',
      'reason',
      'outcome',
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      '',
      'a.b',
      '$where',
    ];
    const CONTENT_TYPES = [
      'application/json',
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/json;charset=latin1',
      'application/json; charset=utf-16',
      'text/plain',
      'text/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=----x',
      'application/octet-stream',
      'application/xml',
      'application/vnd.api+json',
      'application/problem+json',
      '*/*',
      'application/*',
      'json',
      'application',
      ';',
      'application/json, text/plain',
      'image/png',
      '',
      'application/json; charset=',
      'application/json; boundary="x',
      'application/json;;;',
      ' application/json ',
    ];

    function randomString(): string {
      switch (rng.int(0, 5)) {
        case 0:
          return rng.pick(NASTY);
        case 1:
          return rng.pick(NASTY) + rng.pick(NASTY) + rng.pick(NASTY);
        case 2:
          return 'x'.repeat(rng.int(1990, 2010));
        case 3:
          return rng.pick(['é', '😀', '\u0000', 'x', '\ud800', '—']).repeat(rng.int(1, 3000));
        default: {
          let s = '';
          for (let i = rng.int(0, 30); i > 0; i--)
            s += String.fromCharCode(rng.chance(0.2) ? rng.int(0, 0xffff) : rng.int(0x20, 0x7e));
          return s;
        }
      }
    }

    /** A random JSON document as text: any type, any nesting, including numbers JSON.stringify cannot write. */
    function randomJson(depth: number): string {
      const kind = depth <= 0 ? rng.int(0, 3) : rng.int(0, 5);
      switch (kind) {
        case 0:
          return rng.pick(['null', 'true', 'false']);
        case 1:
          return rng.pick(NUMBERS);
        case 2:
        case 3:
          return JSON.stringify(randomString());
        case 4:
          return `[${Array.from({ length: rng.int(0, 4) }, () => randomJson(depth - 1)).join(',')}]`;
        default:
          return `{${Array.from({ length: rng.int(0, 5) }, () => `${JSON.stringify(rng.chance(0.7) ? rng.pick(KEYS) : randomString())}:${randomJson(depth - 1)}`).join(',')}}`;
      }
    }

    /** A valid-looking body for the route with one field replaced, removed, duplicated or added. */
    function mutated(valid: Record<string, unknown>): string {
      const body: Record<string, string> = Object.fromEntries(
        Object.entries(valid).map(([k, v]) => [k, JSON.stringify(v)]),
      );
      const keys = Object.keys(body);
      const target = keys.length && rng.chance(0.7) ? rng.pick(keys) : rng.pick(KEYS);
      switch (rng.int(0, 3)) {
        case 0:
          body[target] = randomJson(2);
          break;
        case 1:
          delete body[target];
          break;
        case 2:
          body[`${target}\u0000`] = randomJson(1);
          break;
        default: {
          // A duplicate key: the last one wins in JSON.parse; the first may be valid.
          const entries = Object.entries(body).map(([k, v]) => `${JSON.stringify(k)}:${v}`);
          return `{${[...entries, `${JSON.stringify(target)}:${randomJson(1)}`].join(',')}}`;
        }
      }
      return `{${Object.entries(body)
        .map(([k, v]) => `${JSON.stringify(k)}:${v}`)
        .join(',')}}`;
    }

    function deep(levels: number): string {
      switch (rng.int(0, 3)) {
        case 0:
          return '['.repeat(levels) + ']'.repeat(levels);
        case 1:
          return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
        case 2:
          return `{"note":${'['.repeat(levels)}"x"${']'.repeat(levels)}}`;
        default:
          return `{"referrer":{"kind":${'{"kind":'.repeat(levels)}"gp"${'}'.repeat(levels)}}}`;
      }
    }

    function hostileBody(valid: Record<string, unknown>): { body: string | Buffer; contentType: string } {
      const json = (body: string | Buffer) => ({
        body,
        contentType: rng.chance(0.9) ? 'application/json' : rng.pick(CONTENT_TYPES),
      });
      switch (rng.int(0, 12)) {
        case 0:
          return json(randomJson(rng.int(0, 4)));
        case 1:
        case 2:
          return json(mutated(valid));
        case 3:
          return json(deep(rng.pick([100, 1000, 5000, 5000, 8000])));
        case 4: {
          const text = mutated(valid);
          return json(text.slice(0, rng.int(0, Math.max(0, text.length - 1)))); // truncated
        }
        case 5:
          return json(rng.bytes(rng.int(1, 2000)));
        case 6:
          return json(`{"note":${JSON.stringify('n'.repeat(rng.int(60_000, 70_000)))}}`); // around the 64 KiB limit
        case 7:
          return json(
            rng.pick([
              '{"__proto__":{"isAdmin":true}}',
              '{"constructor":{"prototype":{"isAdmin":true}}}',
              `{"note":"x","__proto__":${randomJson(1)}}`,
              '{"note":1e400}',
              '{"occurredAt":-1e400}',
              '{"estimatedDueDate":1e-400}',
              '\uFEFF{}',
              '   ',
              '\n',
              '{"note":"a"}garbage',
              '{"note":"\\ud800"}',
              '{"note":"\\u0000"}',
              '{"note":"a\\u0000b"}',
              '{"referrer":{"kind":"gp","name":"\\u0000"}}',
              '{"coordinator":{"id":"\\u0000","name":"x","organisation":"municipality:851"}}',
            ]),
          );
        case 8:
          return { body: JSON.stringify(valid), contentType: rng.pick(CONTENT_TYPES) };
        case 9:
          return json(
            JSON.stringify(Object.fromEntries(Array.from({ length: rng.int(50, 2000) }, (_, i) => [`k${i}`, i]))),
          );
        case 10: {
          const body = { ...valid } as Record<string, unknown>;
          body[rng.pick(Object.keys(valid).length ? Object.keys(valid) : KEYS)] = rng.pick([
            null,
            0,
            -1,
            1.5,
            true,
            [],
            {},
            [null],
            { kind: 'gp' },
            'x'.repeat(5000),
            ['a', 'a'],
          ]);
          return json(JSON.stringify(body));
        }
        case 11: {
          // A valid body with a hostile string in a free-text field.
          const body = structuredClone(valid) as Record<string, any>;
          const text = randomString();
          if (body.referrer && rng.chance(0.5)) body.referrer.name = text;
          else if (body.coordinator && rng.chance(0.5)) body.coordinator[rng.pick(['id', 'name'])] = text;
          else body.note = text;
          return json(JSON.stringify(body));
        }
        default:
          return json(randomString());
      }
    }

    it('never answers 5xx, always answers errors in the error shape, and stays healthy', async () => {
      console.log(`fuzz: seed=${seed} (replay with FUZZ_SEED=${seed})`);
      const target = await register(gp);
      const coordinator = { coordinator: { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' } };
      const routes: { url: string; client: Client; valid: Record<string, unknown>; allowed: number[] }[] = [
        { url: '/v1/cases', client: gp, valid: concern(), allowed: [201, 400, 413, 415, 422] },
        {
          url: '/v1/cases',
          client: municipality,
          valid: concern({ cpr: '0101901234', note: 'Seen today.' }),
          // One woman, one open case: once her first case is registered, the next is CASE_ALREADY_OPEN.
          allowed: [201, 400, 409, 413, 415, 422],
        },
        ...(
          [
            ['record-network-meeting', { participants: ['municipality:851', 'clinic:1081'], note: 'x' }],
            ['assign-coordinator', coordinator],
            ['record-consent', { scope: 'residential', status: 'given' }],
            ['decide-residential-placement', { decision: 'granted', facility: 'facility:holmegaardshuset' }],
            ['update-due-date', { estimatedDueDate: inDays(100), note: 'scan' }],
            ['acknowledge-handoff', { handoffId: 'handoff-1' }],
            ['record-lost-contact', { note: 'phone off' }],
            ['notify-municipality', { byProfessional: true }],
          ] as const
        ).map(([command, valid]) => ({
          url: `/v1/cases/${target}/${command}`,
          client: municipality,
          valid: valid as Record<string, unknown>,
          allowed: [200, 400, 403, 409, 413, 415, 422],
        })),
      ];

      const byStatus: Record<number, number> = {};
      const failures: string[] = [];
      const TOTAL = 720;
      const requests = Array.from({ length: TOTAL }, (_, i) => {
        const route = routes[i % routes.length];
        const { body, contentType } = hostileBody(route.valid);
        const headers: Record<string, string> = {};
        if (rng.chance(0.05)) headers['if-match'] = rng.pick(['"1"', '"2"', 'W/"1"', '"999999999"', 'x', '*']);
        if (rng.chance(0.05)) headers['idempotency-key'] = `fuzz-${rng.int(0, 20)}`;
        return { i, route, body, contentType, headers };
      });

      const BATCH = 12;
      for (let start = 0; start < requests.length; start += BATCH) {
        await Promise.all(
          requests.slice(start, start + BATCH).map(async ({ i, route, body, contentType, headers }) => {
            let res: Response;
            try {
              res = await post(route.client, route.url, body, contentType, headers);
            } catch (error) {
              failures.push(`#${i} POST ${route.url}: no response (${(error as Error).message})`);
              return;
            }
            byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
            const shown = () =>
              `#${i} POST ${route.url} [${contentType}] ${String(typeof body === 'string' ? body : `<${body.length} bytes>`).slice(0, 160)}`;
            if (res.status >= 500) failures.push(`${shown()} → ${res.status} ${JSON.stringify(res.body)}`);
            else if (!route.allowed.includes(res.status))
              failures.push(`${shown()} → unexpected ${res.status} ${JSON.stringify(res.body)?.slice(0, 200)}`);
            else if (res.status >= 400) {
              const problem = errorShapeProblem(res.body);
              if (problem) failures.push(`${shown()} → ${res.status} not in the error shape: ${problem}`);
              if (!res.headers.get('content-type')?.startsWith('application/json'))
                failures.push(`${shown()} → ${res.status} as ${res.headers.get('content-type')}`);
            }
          }),
        );
      }

      const summary = Object.fromEntries(Object.entries(byStatus).sort(([a], [b]) => Number(a) - Number(b)));
      console.log(`fuzz: sent=${TOTAL} seed=${seed} by status ${JSON.stringify(summary).replace(/"/g, '')}`);
      expect({ seed, failures: failures.slice(0, 20), count: failures.length }).toEqual({
        seed,
        failures: [],
        count: 0,
      });
      expect(Object.values(byStatus).reduce((a, b) => a + b, 0)).toBe(TOTAL);
      expect(byStatus[400]).toBeGreaterThan(TOTAL / 3);

      // Still up, still serving, still consistent.
      expect(stack.api.running).toBe(true);
      const health = await stack.anonymous().get('/health');
      expect([health.status, health.body.postgres.status, health.body.redis.status]).toEqual([200, 'up', 'up']);
      const after = await municipality.get(`/v1/cases/${target}/events`);
      expect(after.status).toBe(200);
      expect(after.body.events.map((e: { sequence: number }) => e.sequence)).toEqual(
        after.body.events.map((_: unknown, i: number) => i + 1),
      );
      expect((await gp.post('/v1/cases', concern())).status).toBe(201);
    });
  });
});
