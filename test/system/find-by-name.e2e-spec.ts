import { Client as PgClient } from 'pg';
import { expectError } from '@test/support/api-error';
import { concern, register } from '@test/support/cases';
import { Stack, type Client, type Response } from '@test/support/stack';

/** Two women, and every word of their names: none may be stored, logged or answered in plain text but where her identity is shown. */
const ANNA = 'Anna Marie Jensen';
const BIRGITTE = 'Birgitte Østergaard';
const WORDS = ['Anna', 'Marie', 'Jensen', 'Birgitte', 'Østergaard', 'stergaard'];

const ids = (res: Response) => (res.body.items as { id: string }[]).map((c) => c.id).sort();

describe('her name: stored encrypted, shown with her identity, found by POST /v1/cases/search', () => {
  let stack: Stack;
  let gp: Client;
  let municipality: Client;
  let aarhus: Client;
  let anna: string;
  let birgitte: string;
  let nameless: string;
  /** Shown her identity masked only: never her name (a name is not masked). */
  let coordinator: Client;

  /** The reads of a case of this view, by reader (the municipality is shown every read). */
  const reads = async (id: string, view: string) =>
    ((await municipality.get(`/v1/cases/${id}/audit`)).body.reads as { reader: { id: string }; view: string }[])
      .filter((r) => r.view === view)
      .map((r) => r.reader.id);

  beforeAll(async () => {
    stack = await Stack.start({ workers: 1 });
    gp = await stack.as('referrer', 'gp:names', 'dr-names');
    municipality = await stack.as('municipality', 'municipality:851', 'mia');
    aarhus = await stack.as('municipality', 'municipality:751', 'anders');
    coordinator = await stack.as('coordinator', 'municipality:851', 'alice');
    anna = await register(gp, concern({ name: `  ${ANNA} `, cpr: '120385-4328' }));
    birgitte = await register(gp, concern({ name: BIRGITTE }));
    nameless = await register(gp, concern());
  });
  afterAll(() => stack?.stop());

  it('finds her by one word, by two in any order and case, only when every word is hers; never by part of a word', async () => {
    const search = async (q: string) => ids(await municipality.post('/v1/cases/search', { q }));
    expect(await search('Anna')).toEqual([anna]);
    expect(await search('anna jensen')).toEqual([anna]);
    expect(await search('JENSEN   Anna')).toEqual([anna]);
    expect(await search('Østergaard')).toEqual([birgitte]);
    expect(await search('birgitte ØSTERGAARD')).toEqual([birgitte]);
    // A word of the other woman's name: no case has every word.
    expect(await search('Anna Østergaard')).toEqual([]);
    expect(await search('Ann')).toEqual([]);
    expect(await search('Ostergaard')).toEqual([]);
    const answer = await municipality.post('/v1/cases/search', { q: 'Marie' });
    expect([answer.status, ids(answer), answer.body.total, answer.body.nextCursor]).toEqual([200, [anna], 1, null]);
    // The list item shows no name, in any form.
    for (const word of WORDS) expect(JSON.stringify(answer.body)).not.toContain(word);
  });

  it('records each case found as a read (name-search), and a reference search as none', async () => {
    const before = await reads(anna, 'name-search');
    expect(before.length).toBeGreaterThan(0);
    await municipality.post('/v1/cases/search', { q: 'Jensen' });
    expect(await reads(anna, 'name-search')).toEqual([...before, 'mia']);
    const { reference } = (await municipality.get(`/v1/cases/${nameless}`)).body as { reference: string };
    const byReference = await municipality.post('/v1/cases/search', { q: reference });
    expect(ids(byReference)).toEqual([nameless]);
    expect(await reads(nameless, 'name-search')).toEqual([]);
  });

  it('a caller not shown her identity, or with no part in the case, finds nothing: the answer for no match, nothing recorded', async () => {
    const before = [await reads(anna, 'name-search'), await reads(birgitte, 'name-search')];
    const noMatch = await municipality.post('/v1/cases/search', { q: 'Nobody Known' });
    expect([noMatch.status, noMatch.body]).toEqual([200, { items: [], total: 0, nextCursor: null }]);
    // The GP registered both cases and lists them, but its part shows no identity.
    expect(ids(await gp.get('/v1/cases?limit=200'))).toEqual(expect.arrayContaining([anna, birgitte]));
    for (const caller of [gp, aarhus])
      for (const q of ['Anna', 'Anna Jensen', 'Østergaard']) {
        const res = await caller.post('/v1/cases/search', { q });
        expect([res.status, res.body]).toEqual([200, noMatch.body]);
      }
    expect([await reads(anna, 'name-search'), await reads(birgitte, 'name-search')]).toEqual(before);
  });

  it('never searches a name in the URL: GET /v1/cases?q= stays a reference search', async () => {
    const before = await reads(anna, 'name-search');
    for (const q of ['Anna', 'Anna Jensen']) {
      const res = await municipality.get(`/v1/cases?q=${encodeURIComponent(q)}`);
      expect([res.status, ids(res), res.body.total]).toEqual([200, [], 0]);
    }
    expect(await reads(anna, 'name-search')).toEqual(before);
  });

  it('shows her name where her CPR number is shown, recording the read; not to a caller not shown her identity', async () => {
    const before = await reads(anna, 'name');
    const shown = await municipality.get(`/v1/cases/${anna}`);
    expect([shown.status, shown.body.name, shown.body.cpr]).toEqual([200, ANNA, '120385-4328']);
    expect(await reads(anna, 'name')).toEqual([...before, 'mia']);
    expect((await municipality.get(`/v1/cases/${birgitte}`)).body).toMatchObject({ name: BIRGITTE, cpr: null });
    expect((await municipality.get(`/v1/cases/${nameless}`)).body).toMatchObject({ name: null, hasCpr: false });
    const toGp = await gp.get(`/v1/cases/${anna}`);
    expect(toGp.status).toBe(200);
    expect(toGp.body).not.toHaveProperty('name');
    expect(toGp.body).not.toHaveProperty('cpr');
    expect(await reads(anna, 'name')).toEqual([...before, 'mia']);
    // The history says a name was recorded, only to those shown her identity; never the name.
    const history = async (c: Client) =>
      ((await c.get(`/v1/cases/${anna}/events`)).body.events as { type: string; data: Record<string, unknown> }[])[0];
    expect((await history(municipality)).data).toMatchObject({ nameRecorded: true, cprRecorded: true });
    expect((await history(gp)).data).not.toHaveProperty('nameRecorded');
  });

  it('shows her name only where her identity is shown in full: not to the coordinator, shown it masked; nor found or recorded by it', async () => {
    const before = await reads(anna, 'name');
    const masked = await coordinator.get(`/v1/cases/${anna}`);
    expect([masked.status, masked.body.cpr]).toEqual([200, '120385-****']);
    expect(masked.body).not.toHaveProperty('name');
    expect(await reads(anna, 'name')).toEqual(before);
    const found = await coordinator.post('/v1/cases/search', { q: 'Anna Jensen' });
    expect([found.status, found.body]).toEqual([200, { items: [], total: 0, nextCursor: null }]);
    const offered = ((await coordinator.get(`/v1/cases/${anna}/actions`)).body.actions as { command: string }[]).map(
      (a) => a.command,
    );
    expect(offered).not.toContain('record-name');
    expectError(
      await coordinator.post(`/v1/cases/${anna}/record-name`, { name: 'Anna Holm' }),
      403,
      'IDENTITY_NOT_SHOWN',
    );
  });

  it('refuses a name that is empty, holds a control character or a CPR number, with a stable code, without echoing it', async () => {
    for (const [name, code] of [
      ['   ', 'NAME_INVALID'],
      ['Anna\u0007Jensen', 'NAME_INVALID'],
      ['a'.repeat(201), 'NAME_INVALID'],
      ['Anna 120385-4328', 'NAME_CONTAINS_CPR'],
    ] as const) {
      const res = await gp.post('/v1/cases', concern({ name }));
      expectError(res, 422, code);
      // None of the words it sent (nor its CPR number) comes back.
      const sent = name.split(/[^\p{L}\d]+/u).filter((w) => w.length >= 2);
      for (const word of sent) expect(JSON.stringify(res.body).toLowerCase()).not.toContain(word.toLowerCase());
    }
    expectError(await gp.post('/v1/cases', concern({ name: 'x'.repeat(401) })), 400, 'VALIDATION_FAILED');
    const noted = await gp.post('/v1/cases', concern({ name: 'Eva Lund', note: 'Spoke with EVA at the clinic.' }));
    expectError(noted, 422, 'NOTE_CONTAINS_NAME');
    expect(JSON.stringify(noted.body).toLowerCase()).not.toContain('eva');
  });

  it('records or corrects her name later (record-name): the old words no longer find her, the new ones do; the event holds no name', async () => {
    // Offered to the municipality, shown her identity; not to the GP, which is not.
    const offered = async (c: Client) =>
      ((await c.get(`/v1/cases/${nameless}/actions`)).body.actions as { command: string }[]).map((a) => a.command);
    expect(await offered(municipality)).toContain('record-name');
    expect(await offered(gp)).not.toContain('record-name');
    const refused = await gp.post(`/v1/cases/${nameless}/record-name`, { name: 'Dorte Kragh' });
    expectError(refused, 403, 'IDENTITY_NOT_SHOWN');
    expectError(await aarhus.post(`/v1/cases/${nameless}/record-name`, { name: 'Dorte Kragh' }), 404, 'CASE_NOT_FOUND');
    // A caller with no part in the case learns nothing of it, whatever she sends: not even that the name is invalid.
    for (const name of ['   ', 'Dorte 120385-4328'])
      expectError(await aarhus.post(`/v1/cases/${nameless}/record-name`, { name }), 404, 'CASE_NOT_FOUND');
    // A note is kept in the events for ever: one sharing a word of her name is refused, naming neither.
    const noted = await municipality.post(`/v1/cases/${nameless}/record-name`, {
      name: 'Dorte Kragh',
      note: 'dorte confirmed it by phone',
    });
    expectError(noted, 422, 'NOTE_CONTAINS_NAME');
    expect(JSON.stringify(noted.body).toLowerCase()).not.toContain('dorte');
    expectError(
      await municipality.post(`/v1/cases/${nameless}/record-name`, { name: 'Dorte 120385-4328' }),
      422,
      'NAME_CONTAINS_CPR',
    );

    const recorded = await municipality.post(`/v1/cases/${nameless}/record-name`, { name: 'Dorte Kragh' });
    expect(recorded.status).toBe(200);
    expect(
      (recorded.body.events as { type: string; data: unknown }[]).map((e) => [e.type, JSON.stringify(e.data)]),
    ).toEqual([['NameRecorded', expect.not.stringContaining('Dorte')]]);
    expect((await municipality.get(`/v1/cases/${nameless}`)).body.name).toBe('Dorte Kragh');
    expect(ids(await municipality.post('/v1/cases/search', { q: 'dorte kragh' }))).toEqual([nameless]);

    // Corrected: Birgitte Østergaard is Birgitte Kragh; Østergaard finds her no more, Kragh finds both.
    expect((await municipality.post(`/v1/cases/${birgitte}/record-name`, { name: 'Birgitte Kragh' })).status).toBe(200);
    expect((await municipality.get(`/v1/cases/${birgitte}`)).body.name).toBe('Birgitte Kragh');
    expect(ids(await municipality.post('/v1/cases/search', { q: 'Østergaard' }))).toEqual([]);
    expect(ids(await municipality.post('/v1/cases/search', { q: 'Kragh' }))).toEqual([birgitte, nameless].sort());
    expect(ids(await municipality.post('/v1/cases/search', { q: 'Birgitte' }))).toEqual([birgitte]);
    WORDS.push('Dorte', 'Kragh');
  });

  it('keeps no word of her name in plain text: not in the events, the other tables, or the logs of the API and the worker', async () => {
    const pg = new PgClient({ connectionString: stack.db.url });
    await pg.connect();
    try {
      // Every table of the schema, so that a new one is checked too (alerts and people among them).
      const tables = (
        await pg.query<{ name: string }>(
          `SELECT table_name AS name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
        )
      ).rows.map((r) => r.name);
      expect(tables).toEqual(expect.arrayContaining(['case_events', 'alerts', 'outbox', 'people', 'milestones']));
      for (const table of tables) {
        const { rows } = await pg.query<{ dump: string | null }>(
          `SELECT string_agg(row_to_json(t)::text, ' ') AS dump FROM ${table} t`,
        );
        const dump = rows[0].dump ?? '';
        for (const word of WORDS)
          expect({ table, word, found: dump.toLowerCase().includes(word.toLowerCase()) }).toEqual({
            table,
            word,
            found: false,
          });
      }
      const { rows } = await pg.query<{ encrypted_name: string | null }>(
        `SELECT encrypted_name FROM case_identities WHERE case_id = ANY ($1::uuid[]) ORDER BY encrypted_name`,
        [[anna, birgitte]],
      );
      expect(rows.map((r) => r.encrypted_name)).toEqual([
        expect.stringMatching(/^v2\.k0\./),
        expect.stringMatching(/^v2\.k0\./),
      ]);
    } finally {
      await pg.end();
    }
    const logs = [stack.api.logs, ...stack.workers.map((w) => w.logs)].join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const word of WORDS)
      expect({ word, logged: logs.toLowerCase().includes(word.toLowerCase()) }).toEqual({ word, logged: false });
  });
});
