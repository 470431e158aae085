import { addDays, localDate } from '@app/pathway';
import { expectError } from '@test/support/api-error';
import { concern, register, send } from '@test/support/cases';
import { Stack, type Client, type Response } from '@test/support/stack';

/** Her CPR number, and one of nobody's cases. */
const CPR = '120385-4328';
const OTHER_CPR = '230790-1116';

interface Item {
  id: string;
  reference: string;
  stage: string;
  detectedAt: string;
  estimatedDueDate: string;
  birthImminent: boolean;
}

const ids = (res: Response) => (res.body.items as Item[]).map((c) => c.id);
const sorted = (values: string[]) => [...values].sort();

describe('finding a case (GET /v1/cases, POST /v1/cases/search)', () => {
  let stack: Stack;
  let gp: Client;
  let municipality: Client;
  let aarhus: Client;
  let herCase: string;
  let imminent: string;
  let others: string[];
  let elsewhere: string;
  /** The municipality's cases (Aalborg): every case but `elsewhere`. */
  let aalborg: string[];

  /** The CPR searches recorded in the case's audit (read by the municipality, which sees every read). */
  const cprSearches = async (id: string) =>
    ((await municipality.get(`/v1/cases/${id}/audit`)).body.reads as { reader: { id: string }; view: string }[])
      .filter((r) => r.view === 'cpr-search')
      .map((r) => r.reader.id);

  beforeAll(async () => {
    stack = await Stack.start();
    gp = await stack.as('referrer', 'gp:find', 'dr-find');
    municipality = await stack.as('municipality', 'municipality:851', 'mia');
    aarhus = await stack.as('municipality', 'municipality:751', 'anna');
    const now = stack.clock.now();
    const today = localDate(now);
    // Detected 20 days ago: her first deadlines have passed.
    herCase = await register(
      gp,
      concern({ cpr: CPR, occurredAt: new Date(now.getTime() - 20 * 86_400_000).toISOString() }),
    );
    imminent = await register(gp, concern({ estimatedDueDate: addDays(today, 14) }));
    others = [];
    for (let i = 0; i < 5; i++) others.push(await register(gp, concern({ estimatedDueDate: addDays(today, 100 + i) })));
    elsewhere = await register(gp, concern({ municipality: '751' }));
    aalborg = [herCase, imminent, ...others];
  });
  afterAll(() => stack?.stop());

  it('finds a case by its reference, exactly and in any case, in the query and in a search body; not another organisation’s', async () => {
    const all = (await municipality.get('/v1/cases?limit=200')).body.items as Item[];
    const reference = all.find((c) => c.id === herCase)!.reference;
    for (const q of [reference, reference.toLowerCase(), ` ${reference} `.trim()]) {
      const res = await municipality.get(`/v1/cases?q=${encodeURIComponent(q)}`);
      expect({ q, ids: ids(res), total: res.body.total }).toEqual({ q, ids: [herCase], total: 1 });
    }
    const searched = await municipality.post('/v1/cases/search', { q: reference.toLowerCase() });
    expect([searched.status, ids(searched), searched.body.total]).toEqual([200, [herCase], 1]);
    // Exact: a part of it finds nothing.
    const part = await municipality.get(`/v1/cases?q=${reference.slice(0, 4)}`);
    expect([ids(part), part.body.total, part.body.nextCursor]).toEqual([[], 0, null]);
    // Another municipality, with no part in it, does not find it.
    expect(ids(await aarhus.get(`/v1/cases?q=${reference}`))).toEqual([]);
    // A search by reference is not a CPR search: nothing recorded.
    expect(await cprSearches(herCase)).toEqual([]);
  });

  it('finds her cases by her CPR number for the municipality, records each as a read, and answers no CPR number', async () => {
    for (const q of [CPR, CPR.replace('-', '')]) {
      const res = await municipality.post('/v1/cases/search', { q });
      expect({ q, status: res.status, ids: ids(res), total: res.body.total, next: res.body.nextCursor }).toEqual({
        q,
        status: 200,
        ids: [herCase],
        total: 1,
        next: null,
      });
      expect(JSON.stringify(res.body)).not.toContain('120385');
    }
    expect(await cprSearches(herCase)).toEqual(['mia', 'mia']);
    // Filters still apply to a CPR search.
    expect(ids(await municipality.post('/v1/cases/search', { q: CPR, birthImminent: true }))).toEqual([]);
  });

  it('a referrer whose part shows no identity, or an organisation with no part, finds nothing by her CPR: the answer for no match, nothing recorded', async () => {
    const before = await cprSearches(herCase);
    // The GP registered the case and sees it in its list, but its part shows no identity.
    expect(ids(await gp.get('/v1/cases?limit=200'))).toContain(herCase);
    const noMatch = await gp.post('/v1/cases/search', { q: OTHER_CPR });
    expect([noMatch.status, noMatch.body]).toEqual([200, { items: [], total: 0, nextCursor: null }]);
    for (const caller of [gp, aarhus]) {
      const res = await caller.post('/v1/cases/search', { q: CPR });
      expect([res.status, res.body]).toEqual([200, noMatch.body]);
    }
    expect(await cprSearches(herCase)).toEqual(before);
  });

  it('refuses a CPR number in the URL with 400 CPR_IN_URL, without echoing it', async () => {
    for (const q of [CPR, CPR.replace('-', '')]) {
      const res = await municipality.get(`/v1/cases?q=${q}`);
      expectError(res, 400, 'CPR_IN_URL');
      expect(JSON.stringify(res.body)).not.toContain('120385');
    }
  });

  it('filters by overdue, birth imminent, stage and municipality, each within the caller’s cases', async () => {
    const now = stack.clock.now().getTime();
    const overdueExpected: string[] = [];
    for (const id of aalborg) {
      const milestones = (await municipality.get(`/v1/cases/${id}/milestones`)).body.milestones as {
        status: string;
        dueAt: string;
      }[];
      if (milestones.some((m) => m.status === 'breached' || (m.status === 'open' && Date.parse(m.dueAt) < now)))
        overdueExpected.push(id);
    }
    // Her case was detected 20 days ago; the others today: the filter can tell them apart.
    expect(overdueExpected).toContain(herCase);
    expect(overdueExpected).not.toContain(others[0]);
    expect(sorted(ids(await municipality.get('/v1/cases?overdue=true')))).toEqual(sorted(overdueExpected));
    expect(sorted(ids(await municipality.get('/v1/cases?overdue=false')))).toEqual(sorted(aalborg));

    const imminentRes = await municipality.get('/v1/cases?birthImminent=true');
    expect([ids(imminentRes), imminentRes.body.total]).toEqual([[imminent], 1]);
    expect((imminentRes.body.items as Item[])[0].birthImminent).toBe(true);
    expect(ids(await municipality.post('/v1/cases/search', { birthImminent: true, overdue: true }))).toEqual(
      overdueExpected.includes(imminent) ? [imminent] : [],
    );

    await send(gp, others[1], 'refer-to-clinic');
    const listed = (await municipality.get('/v1/cases?limit=200')).body.items as Item[];
    const stage = listed.find((c) => c.id === others[1])!.stage;
    expect(stage).not.toBe('detected');
    expect(ids(await municipality.get(`/v1/cases?stage=${stage}`))).toEqual([others[1]]);
    const detected = await municipality.get('/v1/cases?stage=detected');
    expect([sorted(ids(detected)), detected.body.total]).toEqual([
      sorted(aalborg.filter((id) => id !== others[1])),
      aalborg.length - 1,
    ]);

    // The GP has a part in cases of two municipalities; Aarhus in one of them only.
    expect(ids(await gp.get('/v1/cases?municipality=751'))).toEqual([elsewhere]);
    expect(sorted(ids(await gp.get('/v1/cases?municipality=851')))).toEqual(sorted(aalborg));
    expect(ids(await aarhus.get('/v1/cases?municipality=851'))).toEqual([]);
    expect(ids(await aarhus.get('/v1/cases'))).toEqual([elsewhere]);
  });

  it('sorts by registration, due date and reference, and pages over every case exactly once with a total', async () => {
    const all = (await municipality.get('/v1/cases?limit=200')).body.items as Item[];
    expect(sorted(all.map((c) => c.id))).toEqual(sorted(aalborg));
    const keyed: Record<string, (c: Item) => string> = {
      registered: (c) => c.detectedAt,
      'due-date': (c) => c.estimatedDueDate,
      reference: (c) => c.reference,
    };
    const cursors: Record<string, string> = {};
    for (const [sort, key] of Object.entries(keyed)) {
      for (const via of ['get', 'post'] as const) {
        const seen: Item[] = [];
        const pages: number[] = [];
        let cursor: string | null = null;
        do {
          const res: Response =
            via === 'get'
              ? await municipality.get(`/v1/cases?sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
              : await municipality.post('/v1/cases/search', { sort, limit: 2, ...(cursor && { cursor }) });
          expect([sort, via, res.status, res.body.total]).toEqual([sort, via, 200, aalborg.length]);
          seen.push(...(res.body.items as Item[]));
          pages.push(res.body.items.length);
          cursor = res.body.nextCursor;
          if (cursor) cursors[sort] = cursor;
        } while (cursor && pages.length < 20);
        expect([sort, via, pages]).toEqual([sort, via, [2, 2, 2, 1]]);
        expect([sort, via, sorted(seen.map((c) => c.id))]).toEqual([sort, via, sorted(aalborg)]);
        const keys = seen.map(key);
        const ordered = [...keys].sort();
        expect([sort, via, keys]).toEqual([sort, via, sort === 'registered' ? ordered.reverse() : ordered]);
      }
    }
    // The due dates differ, so that the order by due date is not the order of registration.
    expect(new Set(all.map((c) => c.estimatedDueDate)).size).toBeGreaterThan(2);
    // A cursor belongs to its sort.
    expectError(
      await municipality.get(`/v1/cases?sort=reference&cursor=${cursors['due-date']}`),
      400,
      'INVALID_CURSOR',
    );
    expectError(await municipality.get(`/v1/cases?cursor=${cursors.reference}`), 400, 'INVALID_CURSOR');
  });

  it('refuses a referrer the filters and order on what her part does not show (400 FILTER_NOT_SHOWN), whatever the cases', async () => {
    for (const query of [
      'stage=detected',
      'overdue=true',
      'birthImminent=true',
      'sort=due-date',
      'coordinator=alice',
    ]) {
      const res = await gp.get(`/v1/cases?${query}`);
      expectError(res, 400, 'FILTER_NOT_SHOWN');
      expect([query, res.body.details.fields]).toEqual([query, [query.split('=')[0]]]);
    }
    // A stranger with no case at all gets the same refusal: it depends on the role, not on any case.
    const stranger = await stack.as('referrer', 'gp:nobody', 'dr-nobody');
    expectError(await stranger.post('/v1/cases/search', { overdue: true }), 400, 'FILTER_NOT_SHOWN');
    // What she is shown she filters and sorts by.
    expect(sorted(ids(await gp.get('/v1/cases?municipality=851&sort=reference')))).toEqual(sorted(aalborg));
  });

  it('refuses bad parameters with 400 VALIDATION_FAILED naming each field, in the query and in the body', async () => {
    const inQuery: [string, string][] = [
      ['sort=name', '/sort'],
      ['overdue=yes', '/overdue'],
      ['birthImminent=1', '/birthImminent'],
      ['limit=201', '/limit'],
      ['q=', '/q'],
      [`q=${'A'.repeat(101)}`, '/q'],
    ];
    for (const [query, field] of inQuery) {
      const res = await municipality.get(`/v1/cases?${query}`);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect([query, res.body.details.map((d: { field: string }) => d.field)]).toEqual([query, [field]]);
    }
    const inBody: [Record<string, unknown>, string][] = [
      [{ limit: 201 }, '/limit'],
      [{ limit: '20' }, '/limit'],
      [{ overdue: 'true' }, '/overdue'],
      [{ sort: 'name' }, '/sort'],
      [{ q: '' }, '/q'],
      [{ colour: 'blue' }, '/colour'],
    ];
    for (const [body, field] of inBody) {
      const res = await municipality.post('/v1/cases/search', body);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect([body, res.body.details.map((d: { field: string }) => d.field)]).toEqual([body, [field]]);
    }
  });
});
