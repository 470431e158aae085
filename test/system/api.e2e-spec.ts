import { Client as PgClient } from 'pg';
import { CASE_COMMANDS, COMMANDS, exampleOf } from '../../apps/api/src/cases/command-catalogue';
import { addDays, daysBetween, localDate } from '@app/pathway';
import { expectError, fieldProblems } from '@test/support/api-error';
import { freePort } from '@test/support/ports';
import { AppProcess, Client, Stack, type Response } from '@test/support/stack';
import { concern, register, send } from '@test/support/cases';
import { inDays, testNow, waitFor } from '@test/support/time';

/** Every page of GET /v1/cases for the query, following nextCursor; the ids in order. */
async function listAll(client: Client, query: string, limit: number): Promise<{ ids: string[]; pages: number[] }> {
  const ids: string[] = [];
  const pages: number[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const url: string = `/v1/cases?limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await client.get(url);
    expect(res.status).toBe(200);
    ids.push(...res.body.items.map((c: { id: string }) => c.id));
    pages.push(res.body.items.length);
    cursor = res.body.nextCursor;
    if (!cursor) return { ids, pages };
  }
  throw new Error('more than 100 pages: the cursor does not advance');
}

const sorted = (ids: string[]) => [...ids].sort();

describe('the API', () => {
  let stack: Stack;
  let gp: Client;
  let municipality: Client;
  let coordinator: Client;
  let clinic: Client;

  /** The facts of a case's history (the milestone events are left out). */
  const events = async (id: string) =>
    (
      (await municipality.get(`/v1/cases/${id}/events`)).body.events as {
        version: number;
        kind: string;
        type: string;
        data: Record<string, any>;
      }[]
    ).filter((e) => e.kind === 'fact');

  beforeAll(async () => {
    // The most verbose logging, so that the check that the CPR number is never logged covers everything the API can log.
    stack = await Stack.start({ env: { LOG_LEVEL: 'verbose' } });
    gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    municipality = await stack.as('municipality', 'municipality:851', 'mia');
    coordinator = await stack.as('coordinator', 'municipality:851', 'alice');
    clinic = await stack.as('clinic', 'clinic:1081', 'lis');
  });
  afterAll(() => stack?.stop());

  describe('Prefer', () => {
    it('answers a command with its version and events, and adds the case only for Prefer: return=representation', async () => {
      const id = await register(gp);
      const minimal = await municipality.post(`/v1/cases/${id}/record-network-meeting`, { note: 'Weekly.' });
      expect(minimal.status).toBe(200);
      expect(minimal.body).toMatchObject({ version: 2, events: [{ version: 2, type: 'NetworkMeetingRecorded' }] });
      expect(minimal.body).not.toHaveProperty('case');
      expect(minimal.headers.get('preference-applied')).toBeNull();

      const asked = await municipality.post(
        `/v1/cases/${id}/record-network-meeting`,
        { note: 'Weekly.' },
        { prefer: 'respond-async, return=representation' },
      );
      expect(asked.status).toBe(200);
      expect(asked.headers.get('preference-applied')).toBe('return=representation');
      expect(asked.body).toMatchObject({ version: 3, case: { id, networkMeetings: 2 } });

      const declined = await municipality.post(
        `/v1/cases/${id}/record-network-meeting`,
        { note: 'Weekly.' },
        { prefer: 'return=minimal' },
      );
      expect(declined.body).not.toHaveProperty('case');
      expect(declined.headers.get('preference-applied')).toBeNull();
    });
  });

  describe('Idempotency-Key', () => {
    it('replays a registration: the same status, body, Location and ETag, marked as replayed, and no second case', async () => {
      const practice = await stack.as('referrer', 'gp:idempotent', 'dr-idem');
      const body = concern({ note: 'First visit.' });
      const first = await practice.post('/v1/cases', body, { 'idempotency-key': 'register-1' });
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();

      for (let i = 0; i < 2; i++) {
        const again = await practice.post('/v1/cases', body, { 'idempotency-key': 'register-1' });
        expect(again.status).toBe(201);
        expect(again.body).toEqual(first.body);
        expect(again.headers.get('location')).toBe(first.headers.get('location'));
        expect(again.headers.get('location')).toBe(`/v1/cases/${first.body.id}`);
        expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
        expect(again.headers.get('idempotent-replayed')).toBe('true');
      }
      const list = await practice.get('/v1/cases');
      expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([first.body.id]);
      expect((await events(first.body.id)).map((e) => e.type)).toEqual(['ConcernRegistered']);

      // The same key and body from another user is that user's own request.
      const colleague = await stack.as('referrer', 'gp:idempotent', 'dr-colleague');
      const theirs = await colleague.post('/v1/cases', body, { 'idempotency-key': 'register-1' });
      expect(theirs.status).toBe(201);
      expect(theirs.body.id).not.toBe(first.body.id);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    });

    it('replays a command: the first response again, even after later changes, and no extra event', async () => {
      const id = await register(gp);
      const headers = { 'idempotency-key': 'meeting-1' };
      const first = await municipality.post(`/v1/cases/${id}/record-network-meeting`, { note: 'Weekly.' }, headers);
      expect([first.status, first.body.version, first.headers.get('etag')]).toEqual([200, 2, '"2"']);
      await send(municipality, id, 'record-lost-contact');

      const again = await municipality.post(`/v1/cases/${id}/record-network-meeting`, { note: 'Weekly.' }, headers);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('etag')).toBe('"2"');
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect((await events(id)).map((e) => e.type)).toEqual([
        'ConcernRegistered',
        'NetworkMeetingRecorded',
        'ContactLost',
      ]);
    });

    it('refuses the same key with another body, another command or another case: 422 IDEMPOTENCY_KEY_REUSED', async () => {
      const practice = await stack.as('referrer', 'gp:reuse', 'dr-reuse');
      const id = await register(practice, concern(), { 'idempotency-key': 'once' });
      expectError(
        await practice.post('/v1/cases', concern({ substances: ['cocaine'] }), { 'idempotency-key': 'once' }),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expectError(
        await practice.post(`/v1/cases/${id}/record-lost-contact`, {}, { 'idempotency-key': 'once' }),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );

      await send(municipality, id, 'record-network-meeting', {});
      const meeting = await municipality.post(
        `/v1/cases/${id}/record-network-meeting`,
        { note: 'a' },
        { 'idempotency-key': 'm' },
      );
      expect(meeting.status).toBe(200);
      expectError(
        await municipality.post(`/v1/cases/${id}/record-network-meeting`, { note: 'b' }, { 'idempotency-key': 'm' }),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      const other = await register(gp);
      expectError(
        await municipality.post(`/v1/cases/${other}/record-network-meeting`, { note: 'a' }, { 'idempotency-key': 'm' }),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect((await practice.get('/v1/cases')).body.items).toHaveLength(1);
      expect((await events(id)).map((e) => e.version)).toEqual([1, 2, 3]);
      expect((await events(other)).map((e) => e.version)).toEqual([1]);
    });

    describe('belongs to the subject acting for one organisation, and is looked up after the access check', () => {
      // One subject with a token for each of two municipalities (and, in the first, another role).
      let in851: Client;
      let in101: Client;
      beforeAll(async () => {
        in851 = await stack.as('municipality', 'municipality:851', 'mia-two-places');
        in101 = await stack.as('municipality', 'municipality:101', 'mia-two-places');
      });

      it('on the first organisation’s case the second gets 404 and no case; on its own case the key is new; the first still replays', async () => {
        const headers = { 'idempotency-key': 'cross-org', prefer: 'return=representation' };
        const note = { note: 'Weekly.' };
        const theirs = await register(gp);
        const first = await in851.post(`/v1/cases/${theirs}/record-network-meeting`, note, headers);
        expect([first.status, first.body.case.id, first.body.version]).toEqual([200, theirs, 2]);

        for (const body of [note, { note: 'Another body.' }]) {
          const foreign = await in101.post(`/v1/cases/${theirs}/record-network-meeting`, body, headers);
          expectError(foreign, 404, 'CASE_NOT_FOUND');
          expect(foreign.body).not.toHaveProperty('case');
          expect(JSON.stringify(foreign.body)).not.toContain(theirs);
          expect(foreign.headers.get('idempotent-replayed')).toBeNull();
        }
        const auditor = await stack.as('auditor', 'municipality:851', 'mia-two-places');
        expectError(
          await auditor.post(`/v1/cases/${theirs}/record-network-meeting`, note, headers),
          403,
          'ROLE_NOT_PERMITTED',
        );

        const own = await register(gp, concern({ municipality: '101' }));
        const fresh = await in101.post(`/v1/cases/${own}/record-network-meeting`, note, headers);
        expect([fresh.status, fresh.body.case.id, fresh.body.version]).toEqual([200, own, 2]);
        expect(fresh.headers.get('idempotent-replayed')).toBeNull();

        const again = await in851.post(`/v1/cases/${theirs}/record-network-meeting`, note, headers);
        expect(again.status).toBe(200);
        expect(again.body).toEqual(first.body);
        expect(again.headers.get('idempotent-replayed')).toBe('true');
        expect((await events(theirs)).map((e) => e.type)).toEqual(['ConcernRegistered', 'NetworkMeetingRecorded']);
        const ownEvents = (await in101.get(`/v1/cases/${own}/events`)).body.events as { kind: string; type: string }[];
        expect(ownEvents.filter((e) => e.kind === 'fact').map((e) => e.type)).toEqual([
          'ConcernRegistered',
          'NetworkMeetingRecorded',
        ]);
      });

      it('register-concern with one key in two organisations opens two cases, and each replays its own', async () => {
        const headers = { 'idempotency-key': 'cross-org-register' };
        const body = concern({ note: 'Seen at the health visitor.' });
        const first851 = await in851.post('/v1/cases', body, headers);
        const first101 = await in101.post('/v1/cases', body, headers);
        expect([first851.status, first101.status]).toEqual([201, 201]);
        expect(first101.body.id).not.toBe(first851.body.id);
        expect(first101.headers.get('idempotent-replayed')).toBeNull();
        for (const [client, first] of [
          [in851, first851],
          [in101, first101],
        ] as const) {
          const again = await client.post('/v1/cases', body, headers);
          expect([again.status, again.body, again.headers.get('idempotent-replayed')]).toEqual([
            201,
            first.body,
            'true',
          ]);
        }
        expect((await in101.get(`/v1/cases/${first851.body.id}`)).status).toBe(404);
      });
    });

    it('creates one case for concurrent registrations with the same key, and appends one event for concurrent commands with one key', async () => {
      const practice = await stack.as('referrer', 'gp:concurrent-key', 'dr-race');
      const results = await Promise.all(
        Array.from({ length: 10 }, () => practice.post('/v1/cases', concern(), { 'idempotency-key': 'race' })),
      );
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
      const ids = new Set(results.map((r) => r.body.id));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
      const [id] = ids;
      expect((await practice.get('/v1/cases')).body.items.map((c: { id: string }) => c.id)).toEqual([id]);

      const commands = await Promise.all(
        Array.from({ length: 10 }, () =>
          municipality.post(
            `/v1/cases/${id}/record-network-meeting`,
            { note: 'once' },
            { 'idempotency-key': 'race-meeting' },
          ),
        ),
      );
      expect(commands.map((r) => [r.status, r.body.version])).toEqual(Array(10).fill([200, 2]));
      expect((await events(id)).map((e) => e.type)).toEqual(['ConcernRegistered', 'NetworkMeetingRecorded']);
    });
  });

  describe('concurrent commands', () => {
    it('without If-Match, 10 concurrent different commands all succeed, as versions 2..11 with no gaps', async () => {
      const id = await register(gp);
      const bodies: [string, Record<string, unknown>][] = [
        ...Array.from({ length: 6 }, (_, i): [string, Record<string, unknown>] => [
          'record-network-meeting',
          { note: `Meeting ${i + 1}.` },
        ]),
        ['record-consent', { scope: 'residential', status: 'given' }],
        ['request-treatment', { kind: 'alcohol' }],
        ['request-residential-placement', {}],
        ['record-lost-contact', {}],
      ];
      const results = await Promise.all(
        bodies.map(([command, body]) => municipality.post(`/v1/cases/${id}/${command}`, body)),
      );
      expect(results.map((r) => [r.status, r.body.code])).toEqual(Array(10).fill([200, undefined]));
      expect(results.map((r) => r.body.version).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      for (const r of results) expect(r.headers.get('etag')).toBe(`"${r.body.version}"`);

      const history = await events(id);
      expect(history.map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      // Each was decided on the state it was appended to: the meetings are numbered 1..6 in order.
      expect(history.filter((e) => e.type === 'NetworkMeetingRecorded').map((e) => e.data.meetingNumber)).toEqual([
        1, 2, 3, 4, 5, 6,
      ]);
      const now = (await municipality.get(`/v1/cases/${id}`)).body;
      expect(now).toMatchObject({
        version: 11,
        networkMeetings: 6,
        consent: { residential: 'given' },
        treatment: { kind: 'alcohol' },
        placement: { status: 'requested' },
      });
      expect(now.contactLostSince).toEqual(expect.any(String));
    });

    it('with the same If-Match, exactly one of 10 concurrent commands succeeds and the others get 409', async () => {
      const id = await register(gp);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          municipality.post(`/v1/cases/${id}/record-network-meeting`, { note: `Attempt ${i}.` }, { 'if-match': '"1"' }),
        ),
      );
      const won = results.filter((r) => r.status === 200);
      expect(won).toHaveLength(1);
      expect(won[0].body.version).toBe(2);
      const lost = results.filter((r) => r.status !== 200);
      expect(lost).toHaveLength(9);
      for (const r of lost) {
        expectError(r, 409, 'VERSION_CONFLICT');
        expect(r.body.details).toEqual({ currentVersion: 2 });
        expect(r.headers.get('etag')).toBe('"2"');
      }
      expect((await events(id)).map((e) => e.version)).toEqual([1, 2]);
    });
  });

  describe('organisation scoping', () => {
    it('an organisation with no part in a case gets 404 on it, its events and its commands, until it has a part', async () => {
      const id = await register(gp);
      const strangers = [
        await stack.as('municipality', 'municipality:751', 'ole'),
        await stack.as('clinic', 'clinic:1082', 'bent'),
        await stack.as('facility', 'facility:kastaniegaarden', 'bo'),
        await stack.as('referrer', 'gp:someone-else', 'dr-else'),
        await stack.as('coordinator', 'clinic:1081', 'carl'),
        await stack.as('auditor', 'region:1081', 'audra'),
      ];
      const notFound = (await municipality.get('/v1/cases/00000000-0000-4000-8000-000000000000')).body;
      for (const stranger of strangers) {
        for (const res of [
          await stranger.get(`/v1/cases/${id}`),
          await stranger.get(`/v1/cases/${id}/events`),
          await stranger.post(`/v1/cases/${id}/record-network-meeting`, {}),
          await stranger.post(`/v1/cases/${id}/record-lost-contact`, {}),
        ]) {
          expectError(res, 404, 'CASE_NOT_FOUND');
          expect(res.body).toEqual(notFound);
        }
        expect((await stranger.get('/v1/cases?limit=200')).body.items.map((c: { id: string }) => c.id)).not.toContain(
          id,
        );
      }
      expect((await events(id)).map((e) => e.version)).toEqual([1]);

      // Referred to the clinic: now the clinic has a part in it.
      expect((await clinic.get(`/v1/cases/${id}`)).status).toBe(404);
      await send(gp, id, 'refer-to-clinic');
      expect((await clinic.get(`/v1/cases/${id}`)).status).toBe(200);
      expect(
        (await clinic.get(`/v1/cases/${id}/events`)).body.events.filter((e: { kind: string }) => e.kind === 'fact'),
      ).toHaveLength(2);
    });

    it('GET /v1/cases lists only the caller’s organisations’ cases, and filters by stage, municipality and coordinator', async () => {
      // Odense (461) and Aarhus (751) are used by this test only.
      const a = await stack.as('referrer', 'gp:scope-a', 'dr-a');
      const b = await stack.as('referrer', 'gp:scope-b', 'dr-b');
      const odense = await stack.as('municipality', 'municipality:461', 'oda');
      const both = await stack.as('municipality', ['municipality:461', 'municipality:751'], 'regional');
      const aOdense = [
        await register(a, concern({ municipality: '461' })),
        await register(a, concern({ municipality: '461' })),
        await register(a, concern({ municipality: '461' })),
      ];
      const aAarhus = [
        await register(a, concern({ municipality: '751' })),
        await register(a, concern({ municipality: '751' })),
      ];
      const bOdense = [await register(b, concern({ municipality: '461' }))];

      const ids = async (client: Client, query = '') => sorted((await listAll(client, query, 200)).ids);
      expect(await ids(a)).toEqual(sorted([...aOdense, ...aAarhus]));
      expect(await ids(b)).toEqual(sorted(bOdense));
      expect(await ids(odense)).toEqual(sorted([...aOdense, ...bOdense]));
      expect(await ids(both)).toEqual(sorted([...aOdense, ...aAarhus, ...bOdense]));
      for (const item of (await both.get('/v1/cases')).body.items) {
        expect(item.parties.some((o: string) => ['municipality:461', 'municipality:751'].includes(o))).toBe(true);
      }

      expect(await ids(a, 'municipality=461')).toEqual(sorted(aOdense));
      expect(await ids(a, 'municipality=751')).toEqual(sorted(aAarhus));
      expect(await ids(a, 'municipality=851')).toEqual([]);

      await send(a, aOdense[0], 'refer-to-clinic');
      await send(a, aOdense[1], 'notify-municipality');
      expect(await ids(odense, 'stage=clinic')).toEqual([aOdense[0]]);
      expect(await ids(odense, 'stage=municipality')).toEqual([aOdense[1]]);
      expect(await ids(odense, 'stage=detected')).toEqual(sorted([aOdense[2], ...bOdense]));
      expect(await ids(both, 'stage=detected&municipality=751')).toEqual(sorted(aAarhus));
      // Stage is not shown to the referrer in her own referrals: she cannot filter by it either.
      expectError(await b.get('/v1/cases?stage=clinic'), 400, 'FILTER_NOT_SHOWN');

      await send(odense, aOdense[2], 'assign-coordinator', {
        coordinator: { id: 'olga', name: 'Olga Holm', organisation: 'municipality:461' },
      });
      await send(odense, bOdense[0], 'assign-coordinator', {
        coordinator: { id: 'otto', name: 'Otto Berg', organisation: 'municipality:461' },
      });
      expect(await ids(odense, 'coordinator=olga')).toEqual([aOdense[2]]);
      expect(await ids(both, 'coordinator=olga')).toEqual([aOdense[2]]);
      expectError(await a.get('/v1/cases?coordinator=olga'), 400, 'FILTER_NOT_SHOWN');
      expect(await ids(odense, 'coordinator=nobody')).toEqual([]);
      expect(await ids(odense, 'coordinator=otto&stage=detected')).toEqual([bOdense[0]]);
    });

    it('pages with limit and nextCursor visit every case exactly once, newest detection first, also when detection times tie', async () => {
      const practice = await stack.as('referrer', 'gp:pages', 'dr-pages');
      const sameMoment = new Date(testNow().getTime() - 3_600_000).toISOString();
      const registered = [
        ...(await Promise.all(Array.from({ length: 12 }, () => register(practice)))),
        // Backdated to one and the same moment: the keyset must break the tie by id.
        ...(await Promise.all(
          Array.from({ length: 11 }, () => register(practice, concern({ occurredAt: sameMoment }))),
        )),
      ];
      expect(new Set(registered).size).toBe(23);

      for (const limit of [1, 2, 5, 7, 22, 23, 24, 200]) {
        const { ids, pages } = await listAll(practice, '', limit);
        expect({ limit, count: ids.length, unique: new Set(ids).size }).toEqual({ limit, count: 23, unique: 23 });
        expect(sorted(ids)).toEqual(sorted(registered));
        expect(pages.slice(0, -1).every((n) => n === limit)).toBe(true);
      }

      const { ids } = await listAll(practice, '', 4);
      const full = (await practice.get('/v1/cases?limit=200')).body.items as { id: string; detectedAt: string }[];
      expect(ids).toEqual(full.map((c) => c.id));
      const times = full.map((c) => Date.parse(c.detectedAt));
      expect(times).toEqual([...times].sort((x, y) => y - x));
      expect(full.slice(-11).map((c) => c.detectedAt)).toEqual(Array(11).fill(sameMoment));

      // A cursor keeps its filters' meaning: paging a filtered list stays inside the filter.
      await send(practice, registered[0], 'refer-to-clinic');
      const detected = await listAll(municipality, 'stage=detected', 3);
      const total = (await municipality.get('/v1/cases?stage=detected&limit=1')).body.total as number;
      expect([detected.ids.length, new Set(detected.ids).size]).toEqual([total, total]);
      expect(detected.ids).not.toContain(registered[0]);
      expect(detected.ids).toEqual(expect.arrayContaining(registered.slice(1)));
    });
  });

  describe('the CPR number', () => {
    const CPR_FORMS = /010190\D{0,3}1234/;
    /** The CPR's serial digits, in a JSON text with UUIDs (random hex) taken out. */
    const holdsSerial = (json: string) =>
      json.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>').includes('1234');

    it('is shown in full to the responsible municipality and the case’s clinic, masked to the coordinator, not at all to the registering GP or a former municipality (disclosure policy)', async () => {
      const doctor = await stack.as('referrer', 'gp:cpr', 'dr-cpr');
      const seen: string[] = [];
      const keep = <T extends Response | Record<string, unknown>>(res: T): T => {
        seen.push(JSON.stringify('status' in res && 'headers' in res ? res.body : res));
        return res;
      };

      const plain = keep(await doctor.post('/v1/cases', concern({ cpr: '0101901234' })));
      // Her earlier pregnancy, closed: one woman has one open case at a time (CASE_ALREADY_OPEN).
      keep(await send(municipality, plain.body.id, 'close-case', { reason: 'pregnancy-ended' }));
      const withDash = keep(
        await doctor.post('/v1/cases', concern({ cpr: '010190-1234' }), { 'idempotency-key': 'cpr-1' }),
      );
      expect([withDash.status, plain.status]).toEqual([201, 201]);
      for (const res of [withDash, plain]) {
        // The GP is shown her referral's status: no form of her identity, not even whether a number was given.
        expect(res.body).not.toHaveProperty('hasCpr');
        expect(res.body).not.toHaveProperty('cpr');
      }
      keep(await doctor.post('/v1/cases', concern({ cpr: '010190-1234' }), { 'idempotency-key': 'cpr-1' })); // a replay
      const [a, b] = [withDash.body.id as string, plain.body.id as string];

      for (const id of [a, b]) {
        expect(keep(await municipality.get(`/v1/cases/${id}`)).body).toMatchObject({
          cpr: '010190-1234',
          hasCpr: true,
        });
        expect(keep(await coordinator.get(`/v1/cases/${id}`)).body.cpr).toBe('010190-****');
        expect(keep(await doctor.get(`/v1/cases/${id}`)).body).not.toHaveProperty('cpr');
      }
      keep(await send(doctor, a, 'refer-to-clinic'));
      expect(keep(await clinic.get(`/v1/cases/${a}`)).body.cpr).toBe('010190-1234');
      keep(await send(clinic, a, 'record-clinic-visit'));
      keep(await send(coordinator, a, 'record-network-meeting', { note: 'Met at the clinic.' }));

      // After a move the former municipality still has a part in the case (logistics), but not her identity.
      keep(await send(municipality, a, 'transfer-municipality', { toMunicipality: '751' }));
      const aarhus = await stack.as('municipality', 'municipality:751', 'ole');
      expect(keep(await aarhus.get(`/v1/cases/${a}`)).body.cpr).toBe('010190-1234');
      expect(keep(await municipality.get(`/v1/cases/${a}`)).body).not.toHaveProperty('cpr');

      const history = keep(await municipality.get(`/v1/cases/${b}/events`));
      expect(history.body.events[0].data.cprRecorded).toBe(true);
      expect(history.body.events[0].data).not.toHaveProperty('encryptedCpr');
      keep(await aarhus.get(`/v1/cases/${a}/events`));
      for (const client of [doctor, municipality, aarhus, clinic]) {
        const list = keep(await client.get('/v1/cases?limit=200'));
        expect(list.status).toBe(200);
        for (const item of list.body.items) expect(item).not.toHaveProperty('cpr');
      }

      // Everything but the GETs of one case, which show it to those allowed, holds no trace of the number.
      const reads = seen.filter((json) => json.includes('"cpr":"010190-1234"'));
      expect(reads).toHaveLength(4); // municipality 851 (2 cases), the clinic, Aarhus after the move
      for (const json of seen.filter((j) => !reads.includes(j))) {
        expect(holdsSerial(json) ? json : 'no CPR').toBe('no CPR');
      }
      for (const json of reads) expect(holdsSerial(json.replace('"cpr":"010190-1234"', ''))).toBe(false);

      expect(stack.api.logs.length).toBeGreaterThan(0);
      expect(stack.api.logs).not.toMatch(CPR_FORMS);

      const pg = new PgClient({ connectionString: stack.db.url });
      await pg.connect();
      try {
        const tables = [
          ['case_events', `SELECT row_to_json(t)::text AS row FROM case_events t WHERE stream_id = ANY($1::uuid[])`],
          [
            'case_summaries',
            `SELECT row_to_json(t)::text AS row FROM case_summaries t WHERE case_id = ANY($1::uuid[])`,
          ],
          [
            'case_identities',
            `SELECT row_to_json(t)::text AS row FROM case_identities t WHERE case_id = ANY($1::uuid[])`,
          ],
          [
            'idempotency_keys',
            `SELECT row_to_json(t)::text AS row FROM idempotency_keys t WHERE stream_id = ANY($1::uuid[])`,
          ],
          ['outbox', `SELECT row_to_json(t)::text AS row FROM outbox t WHERE stream_id = ANY($1::uuid[])`],
        ] as const;
        for (const [table, sql] of tables) {
          const { rows } = await pg.query<{ row: string }>(sql, [[a, b]]);
          if (table !== 'outbox') expect({ table, rows: rows.length > 0 }).toEqual({ table, rows: true });
          for (const { row } of rows)
            expect({ table, row: CPR_FORMS.test(row) ? row : 'no CPR' }).toEqual({ table, row: 'no CPR' });
        }
        const { rows } = await pg.query<{ encrypted_cpr: string }>(
          `SELECT encrypted_cpr FROM case_identities WHERE case_id = ANY($1::uuid[])`,
          [[a, b]],
        );
        // One envelope per case, under the key the stack runs with (CPR_ENCRYPTION_KEY: k0).
        expect(rows.map((r) => r.encrypted_cpr)).toEqual([
          expect.stringMatching(/^v2\.k0\./),
          expect.stringMatching(/^v2\.k0\./),
        ]);
        expect(rows[0].encrypted_cpr).not.toBe(rows[1].encrypted_cpr); // a fresh IV each time
      } finally {
        await pg.end();
      }
    });

    it('refuses an invalid CPR number, and a CPR number in free text or in a stored header, with 400', async () => {
      for (const cpr of [
        '3102901234',
        '010190-12345',
        '0101901',
        '01-01-90-1234',
        '010190_1234',
        ' 0101901234',
        '0113901234',
        '',
      ]) {
        const res = await gp.post('/v1/cases', concern({ cpr }));
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(fieldProblems(res.body.details)).toEqual([
          { field: '/cpr', problem: 'must be a CPR number, DDMMYYSSSS or DDMMYY-SSSS with a real date' },
        ]);
        expect(JSON.stringify(res.body)).not.toContain(cpr || '""""');
      }
      for (const [field, body] of [
        ['/note', concern({ note: 'Her CPR is 010190-1234.' })],
        ['/note', concern({ note: 'cpr 0101901234' })],
        ['/note', concern({ note: 'cpr 010190 1234' })],
        // Normalised first: fullwidth digits and minus sign, dots or slashes in the date, a slash.
        ['/note', concern({ note: 'cpr ０１０１９０−１２３４' })],
        ['/note', concern({ note: 'født 01.01.90-1234' })],
        ['/note', concern({ note: 'cpr 01/01/90 1234' })],
        ['/note', concern({ note: 'cpr 010190/1234' })],
        ['/referrer/name', concern({ referrer: { kind: 'gp', name: 'Patient 0101901234' } })],
      ] as const) {
        const res = await gp.post('/v1/cases', body);
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(fieldProblems(res.body.details)).toEqual([{ field, problem: 'must not contain a CPR number' }]);
      }
      const id = await register(gp);
      const inNote = await municipality.post(`/v1/cases/${id}/record-network-meeting`, { note: 'About 010190-1234.' });
      expectError(inNote, 400, 'VALIDATION_FAILED');
      expect(fieldProblems(inNote.body.details)).toEqual([
        { field: '/note', problem: 'must not contain a CPR number' },
      ]);
      const inName = await municipality.post(`/v1/cases/${id}/assign-coordinator`, {
        coordinator: { id: 'x', name: 'Coordinator 0101901234', organisation: 'municipality:851' },
      });
      expectError(inName, 400, 'VALIDATION_FAILED');
      expect(fieldProblems(inName.body.details)).toEqual([
        { field: '/coordinator/name', problem: 'must not contain a CPR number' },
      ]);
      // The headers stored with the events are free text too.
      for (const [header, value] of [
        ['x-correlation-id', '010190-1234'],
        ['x-correlation-id', 'visit:0101901234'],
        ['idempotency-key', 'cpr-010190-1234'],
      ]) {
        const field = header === 'x-correlation-id' ? 'X-Correlation-Id' : 'Idempotency-Key';
        for (const res of [
          await gp.post('/v1/cases', concern(), { [header]: value }),
          await municipality.post(`/v1/cases/${id}/record-network-meeting`, {}, { [header]: value }),
        ]) {
          expectError(res, 400, 'VALIDATION_FAILED');
          expect(fieldProblems(res.body.details)).toEqual([{ field, problem: 'must not contain a CPR number' }]);
        }
      }
      expect((await events(id)).map((e) => e.version)).toEqual([1]);
      // Other numbers are fine.
      expect(
        (
          await municipality.post(
            `/v1/cases/${id}/record-network-meeting`,
            { note: 'Called 12345678, +45 12 34 56 78 and 98765432 on 31.02.90-1234 (no such date).' },
            { 'x-correlation-id': 'call-12345678', 'idempotency-key': '1732360000123' },
          )
        ).status,
      ).toBe(200);
      expect(stack.api.logs).not.toMatch(CPR_FORMS);
    });
  });

  describe('OpenAPI', () => {
    let doc: any;

    beforeAll(async () => {
      const res = await stack.anonymous().get('/docs-json');
      expect(res.status).toBe(200);
      doc = res.body;
    });

    it('serves Swagger UI at /docs and the document at /docs-json without a token', async () => {
      const ui = await stack.anonymous().get('/docs');
      expect(ui.status).toBe(200);
      expect(ui.headers.get('content-type')).toMatch(/^text\/html/);
      expect(ui.body).toContain('swagger-ui');
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.components.schemas.Error.required).toEqual(['code', 'message']);
      // A 400's field problems name the rule they break, for a client to say it in its own language.
      expect(doc.components.schemas.FieldProblem.required).toEqual(['field', 'problem']);
      expect(Object.keys(doc.components.schemas.FieldProblem.properties)).toEqual([
        'field',
        'problem',
        'keyword',
        'params',
      ]);
    });

    it('documents POST /v1/cases and every command with a request schema and an example', () => {
      const operations = [
        ['/v1/cases', 'register-concern'] as const,
        ...CASE_COMMANDS.map((type) => [`/v1/cases/{id}/${type}`, type] as const),
      ];
      // Due dates count from the service's today when it started (read back from the first example).
      const started = addDays(
        doc.paths['/v1/cases'].post.requestBody.content['application/json'].example.estimatedDueDate,
        -150,
      );
      expect(Math.abs(daysBetween(started, localDate(stack.clock.now())))).toBeLessThanOrEqual(1);
      for (const [route, type] of operations) {
        const post = doc.paths[route]?.post;
        expect({ route, documented: Boolean(post) }).toEqual({ route, documented: true });
        expect(post.operationId).toBe(type);
        const content = post.requestBody.content['application/json'];
        expect(content.schema).toEqual(COMMANDS[type].body);
        expect(content.example).toEqual(exampleOf(type, started));
        expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '413', '422']));
      }
      const documentedCommands = Object.keys(doc.paths).filter(
        (p) => p.startsWith('/v1/cases/{id}/') && doc.paths[p].post,
      );
      expect(sorted(documentedCommands)).toEqual(sorted(CASE_COMMANDS.map((t) => `/v1/cases/{id}/${t}`)));
    });

    it('accepts every documented example: register-concern opens a case, and no command example fails validation', async () => {
      const example = (type: string) =>
        doc.paths[type === 'register-concern' ? '/v1/cases' : `/v1/cases/{id}/${type}`].post.requestBody.content[
          'application/json'
        ].example;
      const registered = await gp.post('/v1/cases', example('register-concern'));
      expect({ status: registered.status, body: registered.status === 201 ? 'a case' : registered.body }).toEqual({
        status: 201,
        body: 'a case',
      });

      const facility = await stack.as('facility', 'facility:holmegaardshuset', 'karen');
      const byRole: Record<string, Client> = { municipality, clinic, facility, coordinator, referrer: gp };
      const outcomes: Record<string, string> = {};
      for (const type of CASE_COMMANDS) {
        // A case with every kind of organisation in it: the GP registered it, the clinic has it, a facility place is granted.
        const id = await register(gp);
        await send(gp, id, 'refer-to-clinic');
        await send(municipality, id, 'request-residential-placement');
        await send(municipality, id, 'decide-residential-placement', {
          decision: 'granted',
          facility: 'facility:holmegaardshuset',
        });
        const roles = doc.paths[`/v1/cases/{id}/${type}`].post['x-roles'] as string[];
        const role = ['municipality', 'clinic', 'facility', 'coordinator', 'referrer'].find((r) =>
          roles.includes(r),
        ) as string;
        const res = await byRole[role].post(`/v1/cases/${id}/${type}`, example(type));
        outcomes[type] = `${res.status}${res.status === 200 ? '' : ` ${res.body.code}`}`;
        expect({
          type,
          status: [200, 403, 422].includes(res.status)
            ? 'accepted or refused by a rule'
            : `${res.status} ${JSON.stringify(res.body)}`,
        }).toEqual({
          type,
          status: 'accepted or refused by a rule',
        });
      }
      console.log(
        `documented examples: ${Object.entries(outcomes)
          .map(([t, o]) => `${t} ${o}`)
          .join('; ')}`,
      );
      expect(Object.values(outcomes).filter((o) => o === '200').length).toBeGreaterThanOrEqual(10);
    });
  });

  describe('the work queue', () => {
    it('marks the deadlines of a case in week 37 or later as birth-imminent, and no others', async () => {
      const early = await register(gp, concern({ estimatedDueDate: inDays(150) }));
      const late = await register(gp, concern({ estimatedDueDate: inDays(14) }));
      const items = (await municipality.get('/v1/milestones?limit=500')).body.milestones as {
        caseId: string;
        milestone: string;
        birthImminent: boolean;
      }[];
      const of = (id: string) => items.filter((m) => m.caseId === id);
      expect(of(early).length).toBeGreaterThan(0);
      expect(of(late).length).toBeGreaterThan(0);
      expect(of(early).every((m) => m.birthImminent === false)).toBe(true);
      expect(of(late).every((m) => m.birthImminent === true)).toBe(true);
      expect((await municipality.get(`/v1/cases/${late}`)).body.birthImminent).toBe(true);
    });
  });

  describe('reference data and health', () => {
    it('GET /v1/organisations: 5 regions, 98 municipalities, 5 clinics, the facilities with their places, the national authority, the platform and example referrers', async () => {
      expectError(await stack.anonymous().get('/v1/organisations'), 401, 'UNAUTHENTICATED');
      const res = await gp.get('/v1/organisations');
      expect(res.status).toBe(200);
      const organisations = res.body.organisations as {
        id: string;
        kind: string;
        name: string;
        region: string | null;
        municipalityCode: string | null;
        places: number | null;
        retentionPlaces: number | null;
      }[];
      const of = (kind: string) => organisations.filter((o) => o.kind === kind);
      expect(of('region').map((r) => r.id)).toEqual([
        'region:1081',
        'region:1082',
        'region:1083',
        'region:1084',
        'region:1085',
      ]);
      expect(of('municipality')).toHaveLength(98);
      expect(of('clinic').map((c) => c.id)).toEqual([
        'clinic:1081',
        'clinic:1082',
        'clinic:1083',
        'clinic:1084',
        'clinic:1085',
      ]);
      // The facilities of domain.md (GET /v1/facilities has them as the administrator keeps them), and the
      // retired placeholders, so that recorded cases naming them still show a name.
      expect(of('facility')).toEqual([
        expect.objectContaining({ id: 'facility:familiecentret-vibygaard', places: 1, retentionPlaces: 0 }),
        expect.objectContaining({ id: 'facility:holmegaardshuset', places: 2, retentionPlaces: 2, region: '1085' }),
        expect.objectContaining({ id: 'facility:kastaniegaarden', places: 5, retentionPlaces: 5 }),
        expect.objectContaining({ id: 'facility:residential-a', name: 'Døgnbehandlingstilbud A' }),
        expect.objectContaining({ id: 'facility:residential-b', name: 'Døgnbehandlingstilbud B' }),
      ]);
      expect(of('authority').map((o) => o.id)).toEqual(['authority:national']);
      expect(of('platform').map((o) => o.id)).toEqual(['pathway:platform']);
      expect(organisations.find((o) => o.id === 'gp:hansen')).toMatchObject({ kind: 'gp', name: 'Lægerne Hansen' });
      const referrers = [
        'gp',
        'midwife',
        'shelter',
        'crisis_centre',
        'substance_treatment',
        'health_visitor',
        'hospital',
      ];
      expect(referrers.map((kind) => of(kind).length)).toEqual(referrers.map(() => 1));
      expect(organisations).toHaveLength(5 + 98 + 5 + 3 + 2 + 1 + 1 + referrers.length);
      expect(new Set(organisations.map((o) => o.id)).size).toBe(organisations.length);
      expect(organisations.find((o) => o.id === 'municipality:851')).toEqual({
        id: 'municipality:851',
        kind: 'municipality',
        name: 'Aalborg',
        region: '1081',
        municipalityCode: '851',
        places: null,
        retentionPlaces: null,
      });
      for (const m of of('municipality')) {
        expect(m.id).toBe(`municipality:${m.municipalityCode}`);
        expect(['1081', '1082', '1083', '1084', '1085']).toContain(m.region);
      }
      for (const region of of('region'))
        expect(of('municipality').some((m) => `region:${m.region}` === region.id)).toBe(true);
    });

    it('the development sign-in is off unless DEV_SIGN_IN is set: no options, and 403 DEV_SIGN_IN_DISABLED', async () => {
      const options = await stack.anonymous().get('/v1/sign-in');
      expect(options.status).toBe(200);
      expect(options.body).toEqual({ local: null, oidc: null });
      expectError(
        await stack
          .anonymous()
          .post('/v1/sign-in/local', { role: 'admin', organisation: 'municipality:851', sub: 'mallory' }),
        403,
        'DEV_SIGN_IN_DISABLED',
      );
    });

    it('GET /health, /health/ready and /health/live: 200 with PostgreSQL and Redis up, without a token', async () => {
      for (const url of ['/health', '/health/ready']) {
        const res = await stack.anonymous().get(url);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          status: 'ok',
          postgres: { status: 'up', latencyMs: expect.any(Number), pool: { total: expect.any(Number) } },
          redis: { status: 'up', latencyMs: expect.any(Number), evictionPolicy: 'noeviction' },
        });
      }
      const live = await stack.anonymous().get('/health/live');
      expect([live.status, live.body]).toEqual([200, { status: 'ok' }]);
    });

    it('GET /health/ready (and /health): 200 with Redis reported degraded when Redis does not answer, for the API keeps serving; /health/live 200', async () => {
      const [port, closed] = [await freePort(), await freePort()];
      const api = AppProcess.start('api', {
        ...stack.env,
        PORT: String(port),
        REDIS_URL: `redis://127.0.0.1:${closed}`,
      });
      try {
        const base = `http://127.0.0.1:${port}`;
        const health = await waitFor(
          () => `an answer on /health:\n${api.logs}`,
          async () => {
            if (!api.running) throw new Error(`the API exited:\n${api.logs}`);
            return new Client(base).get('/health/ready').catch(() => null);
          },
        );
        expect(health.status).toBe(200);
        expect(health.body).toMatchObject({
          status: 'degraded',
          postgres: { status: 'up' },
          redis: {
            status: 'degraded',
            error: expect.any(String),
            problem: expect.stringMatching(/^Redis does not answer/),
          },
        });
        const reads = await new Client(base, await stack.token('municipality', 'municipality:851', 'mia')).get(
          '/v1/organisations',
        );
        expect(reads.status).toBe(200);
        expect((await new Client(base).get('/health')).body.redis.status).toBe('degraded');
        expect((await new Client(base).get('/health/live')).status).toBe(200);
        // The lost Redis is logged once, not at every reconnect attempt.
        expect(api.logs).not.toMatch(/Unhandled error event/);
      } finally {
        await api.stop();
      }
    });
  });
});
