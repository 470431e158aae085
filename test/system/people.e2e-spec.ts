import { shippedPolicyRegistry } from '@app/pathway';
import { EventStore, allProjections, createDataSource, rebuildProjections } from '@app/persistence';
import { expectError } from '@test/support/api-error';
import { concern, register, send } from '@test/support/cases';
import { Client, Stack } from '@test/support/stack';

/**
 * Who does the work, over HTTP: the organisation's directory of people (those who signed in, those
 * its administrator added), assigning and taking a case and a milestone from it, unassigning, and
 * the refusals: a person the directory does not know, another organisation.
 */
describe('people: the directory, assign and claim', () => {
  let stack: Stack;
  let gp: Client;
  /** Aalborg's caseworker Mia, whose token names her. */
  let mia: Client;
  /** Aalborg's coordinator Alice, without a name claim: her user id is her name. */
  let alice: Client;
  let aalborgAdmin: Client;
  let aarhus: Client;
  let id: string;

  beforeAll(async () => {
    stack = await Stack.start({ env: { DEV_SIGN_IN: 'true' } });
    gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    mia = await stack.as('municipality', 'municipality:851', 'mia', 'Mia Sørensen');
    alice = await stack.as('coordinator', 'municipality:851', 'alice');
    aalborgAdmin = await stack.as('admin', 'municipality:851', 'aalborg-admin');
    aarhus = await stack.as('municipality', 'municipality:751', 'ole', 'Ole Aarhus');
    id = await register(gp, concern());
  });
  afterAll(() => stack?.stop());

  const people = async (client: Client, organisation = 'municipality:851') => {
    const res = await client.get(`/v1/organisations/${organisation}/people`);
    expect(res.status).toBe(200);
    return res.body.people as { id: string; name: string; knownBy: string; role: string | null }[];
  };

  it('records a person the first time she is seen signed in, under her token’s name or her user id', async () => {
    // Neither has made a request yet.
    expect((await people(aalborgAdmin)).map((p) => p.id)).toEqual([]);
    await mia.get('/v1/milestones');
    await alice.get('/v1/milestones');
    expect(await people(mia)).toEqual([
      expect.objectContaining({ id: 'alice', name: 'alice', knownBy: 'signed-in', role: 'coordinator' }),
      expect.objectContaining({ id: 'mia', name: 'Mia Sørensen', knownBy: 'signed-in', role: 'municipality' }),
    ]);
    // The development sign-in takes a display name (and refuses one with a CPR number).
    const signIn = (name: string) =>
      stack
        .anonymous()
        .post('/v1/sign-in/local', { role: 'referrer', organisation: 'gp:hansen', sub: 'dr-lund', name });
    expectError(await signIn('Lund 030487-1234'), 400, 'VALIDATION_FAILED');
    const signed = await signIn('Dr. Lund');
    expect(signed.status).toBe(200);
    await new Client(stack.baseUrl, signed.body.token).get('/v1/milestones');
    // The administrator (who only administers) is not recorded; the GP is, under her own organisation.
    expect((await people(aalborgAdmin)).map((p) => p.id)).toEqual(['alice', 'mia']);
    expect((await people(gp, 'gp:hansen')).map((p) => [p.id, p.name])).toEqual([
      ['dr-hansen', 'dr-hansen'],
      ['dr-lund', 'Dr. Lund'],
    ]);
  });

  it('lets the organisation’s administrator add, rename and remove people, nobody else change them', async () => {
    const added = await aalborgAdmin.post('/v1/organisations/municipality:851/people', { id: 'bo', name: 'Bo Holm' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ id: 'bo', name: 'Bo Holm', knownBy: 'added-by-admin', lastSeenAt: null });
    expectError(
      await aalborgAdmin.post('/v1/organisations/municipality:851/people', { id: 'bo', name: 'Bo' }),
      409,
      'PERSON_EXISTS',
    );
    expectError(
      await aalborgAdmin.post('/v1/organisations/municipality:851/people', { id: 'x', name: 'Eva 030487-1234' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await aalborgAdmin.post('/v1/organisations/municipality:851/people', { id: '0304871234', name: 'Eva' }),
      400,
      'VALIDATION_FAILED',
    );
    const renamed = await aalborgAdmin.request('PUT', '/v1/organisations/municipality:851/people/mia', {
      body: { name: 'Mia S. Holm' },
    });
    expect(renamed.body).toMatchObject({ id: 'mia', name: 'Mia S. Holm', knownBy: 'signed-in' });
    expectError(
      await mia.post('/v1/organisations/municipality:851/people', { id: 'z', name: 'Z' }),
      403,
      'ROLE_NOT_PERMITTED',
    );
    const otherAdmin = await stack.as('admin', 'municipality:751', 'aarhus-admin');
    expectError(
      await otherAdmin.post('/v1/organisations/municipality:851/people', { id: 'z', name: 'Z' }),
      403,
      'NOT_ORGANISATION_ADMIN',
    );
    expectError(await otherAdmin.get('/v1/organisations/municipality:851/people'), 403, 'NOT_ORGANISATION_ADMIN');
    expectError(await aarhus.get('/v1/organisations/municipality:851/people'), 403, 'NOT_YOUR_ORGANISATION');
    expectError(
      await aalborgAdmin.request('DELETE', '/v1/organisations/municipality:851/people/nobody'),
      404,
      'PERSON_NOT_FOUND',
    );
    const platform = await stack.as('admin', 'pathway:platform', 'root');
    expect((await platform.request('DELETE', '/v1/organisations/municipality:851/people/bo')).status).toBe(204);
    expect((await people(mia)).map((p) => [p.id, p.name])).toEqual([
      ['alice', 'alice'],
      ['mia', 'Mia S. Holm'],
    ]);
  });

  it('assigns the case to a person of the responsible municipality, lets another take it, and unassigns', async () => {
    const assigned = await send(alice, id, 'assign-caseworker', { person: 'mia', note: 'Mia har sagen' });
    expect(assigned.case.caseworker).toEqual({ id: 'mia', name: 'Mia S. Holm', organisation: 'municipality:851' });
    const claimed = await send(alice, id, 'claim-case');
    expect(claimed.case.caseworker).toEqual({ id: 'alice', name: 'alice', organisation: 'municipality:851' });
    const events = (await mia.get(`/v1/cases/${id}/events`)).body.events as { type: string; data: any }[];
    expect(
      events.filter((e) => e.type === 'CaseworkerAssigned').map((e) => [e.data.caseworker.id, e.data.claimed]),
    ).toEqual([
      ['mia', false],
      ['alice', true],
    ]);
    expect(events.find((e) => e.type === 'CaseworkerAssigned')?.data.note).toBe('Mia har sagen');
    expect((await send(mia, id, 'assign-caseworker', { person: null })).case.caseworker).toBeNull();
  });

  it('refuses a person the directory does not know, another organisation, and a role that may not', async () => {
    expectError(
      await mia.post(`/v1/cases/${id}/assign-caseworker`, { person: 'ole' }),
      422,
      'PERSON_NOT_IN_ORGANISATION',
    );
    expectError(
      await mia.post(`/v1/cases/${id}/assign-caseworker`, { person: 'bo' }),
      422,
      'PERSON_NOT_IN_ORGANISATION',
    );
    // Aarhus has no part in the case: it is not found for it.
    expectError(await aarhus.post(`/v1/cases/${id}/claim-case`, {}), 404, 'CASE_NOT_FOUND');
    expectError(await gp.post(`/v1/cases/${id}/claim-case`, {}), 403, 'ROLE_NOT_PERMITTED');
  });

  it('lets a person of the milestone’s owner take it or assign it, not another organisation', async () => {
    const taken = await send(mia, id, 'claim-milestone', { milestone: 'coordinator-assignment-1' });
    expect(taken.events.map((e) => e.type)).toContain('MilestoneAssigneeChanged');
    await send(alice, id, 'assign-milestone', { milestone: 'coordinator-assignment-1', person: 'alice' });
    // A milestone the GP is not shown is refused to her exactly as a missing one: neither its owner
    // nor whether it exists is told (a placement's deadline would tell where she is placed).
    for (const [command, body] of [
      ['claim-milestone', {}],
      ['assign-milestone', { person: 'dr-hansen' }],
      ['pause-milestone', { reason: 'x' }],
    ] as const) {
      const hidden = await gp.post(`/v1/cases/${id}/${command}`, { milestone: 'coordinator-assignment-1', ...body });
      const missing = await gp.post(`/v1/cases/${id}/${command}`, { milestone: 'coordinator-assignment-9', ...body });
      expectError(hidden, missing.status, 'MILESTONE_NOT_FOUND');
      expect(hidden.body.message.replace('-1', '-9')).toBe(missing.body.message);
      expect(JSON.stringify(hidden.body)).not.toContain('municipality:851');
    }
    // The GP owns her clinic referral: she takes it; Aalborg may not.
    await send(gp, id, 'claim-milestone', { milestone: 'clinic-referral-1' });
    expectError(
      await mia.post(`/v1/cases/${id}/assign-milestone`, { milestone: 'clinic-referral-1', person: 'mia' }),
      403,
      'NOT_MILESTONE_OWNER',
    );
    await send(alice, id, 'assign-milestone', { milestone: 'coordinator-assignment-1', person: null });
    const events = (await alice.get(`/v1/cases/${id}/events`)).body.events as { type: string; data: any }[];
    expect(
      events
        .filter((e) => e.type === 'MilestoneAssigneeChanged')
        .map((e) => [e.data.milestone, e.data.assignee?.id ?? null, e.data.claimed]),
    ).toEqual([
      ['coordinator-assignment-1', 'mia', true],
      ['coordinator-assignment-1', 'alice', false],
      ['clinic-referral-1', 'dr-hansen', true],
      ['coordinator-assignment-1', null, false],
    ]);
  });

  it('finds her work and her cases by person, and shows the assignee only to those shown the logistics', async () => {
    const other = await register(gp, concern());
    await send(mia, other, 'claim-case');
    await send(mia, other, 'claim-milestone', { milestone: 'coordinator-assignment-1' });
    const ids = (items: { caseId: string; milestone: string }[]) =>
      items.map((m) => `${m.caseId === other ? 'other' : 'first'} ${m.milestone}`);
    const queue = async (client: Client, query: string) => {
      const res = await client.get(`/v1/milestones?${query}`);
      expect(res.status).toBe(200);
      return res.body.milestones as { caseId: string; milestone: string; assignee?: { id: string } | null }[];
    };
    expect(ids(await queue(mia, 'assignee=me'))).toEqual(['other coordinator-assignment-1']);
    expect(ids(await queue(alice, 'assignee=mia'))).toEqual(['other coordinator-assignment-1']);
    expect(ids(await queue(alice, 'assignee=me'))).toEqual([]);
    const none = await queue(alice, 'assignee=none');
    expect(none.every((m) => m.assignee === null)).toBe(true);
    expect(ids(none)).toContain('first coordinator-assignment-1');
    // Mine: hers, and nobody's in the case she is the caseworker of (its other milestones of Aalborg).
    const mine = await queue(mia, 'mine=true');
    expect(mine.every((m) => m.caseId === other)).toBe(true);
    expect(mine.map((m) => m.assignee?.id ?? null)).toContain('mia');
    expectError(await gp.get('/v1/milestones?assignee=me'), 400, 'FILTER_NOT_SHOWN');
    const gpQueue = await queue(gp, '');
    expect(gpQueue.length).toBeGreaterThan(0);
    expect(gpQueue.every((m) => !('assignee' in m))).toBe(true);

    const cases = await alice.get('/v1/cases?caseworker=mia');
    expect(cases.body.items.map((c: { id: string }) => c.id)).toEqual([other]);
    expect(cases.body.items[0].caseworker).toMatchObject({ id: 'mia' });
    expectError(await gp.get('/v1/cases?caseworker=mia'), 400, 'FILTER_NOT_SHOWN');
    const milestones = (await alice.get(`/v1/cases/${other}/milestones`)).body.milestones as {
      milestone: string;
      assignee: unknown;
    }[];
    expect(milestones.find((m) => m.milestone === 'coordinator-assignment-1')?.assignee).toMatchObject({ id: 'mia' });
  });

  it('counts each person’s caseload for the organisation’s people, not for another organisation', async () => {
    const res = await alice.get('/v1/organisations/municipality:851/caseloads');
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(
      (res.body.caseloads as { person: { id: string }; casesAsCaseworker: number; openMilestones: number }[]).map(
        (c) => [c.person.id, c],
      ),
    );
    expect(byId.mia).toMatchObject({
      person: { id: 'mia', name: 'Mia S. Holm', inDirectory: true },
      casesAsCaseworker: 1,
      casesAsCoordinator: 0,
      openMilestones: 1,
    });
    expect(byId.alice).toMatchObject({ casesAsCaseworker: 0, openMilestones: 0, overdueMilestones: 0 });
    expect(res.body.unassigned.casesAsCaseworker).toBe(1);
    expect(res.body.unassigned.openMilestones).toBeGreaterThan(0);
    expectError(await aarhus.get('/v1/organisations/municipality:851/caseloads'), 403, 'NOT_YOUR_ORGANISATION');
    expectError(await gp.get('/v1/organisations/municipality:851/caseloads'), 403, 'NOT_YOUR_ORGANISATION');
  });

  it('keeps the caseworkers and the assignees through a rebuild of the projections', async () => {
    const ds = await createDataSource({ url: stack.db.url, poolSize: 2 }).initialize();
    try {
      const snapshot = async () => ({
        cases: await ds.query(
          `SELECT case_id, summary->'caseworker' AS caseworker FROM case_summaries ORDER BY case_id`,
        ),
        milestones: await ds.query(
          `SELECT case_id, milestone, detail->'assignee' AS assignee FROM milestones ORDER BY case_id, milestone`,
        ),
      });
      const before = await snapshot();
      expect(before.cases.some((c: { caseworker: unknown }) => c.caseworker !== null)).toBe(true);
      expect(before.milestones.some((m: { assignee: unknown }) => m.assignee !== null)).toBe(true);
      const policies = shippedPolicyRegistry();
      await rebuildProjections(ds, new EventStore(ds, allProjections(policies)), allProjections(policies));
      expect(await snapshot()).toEqual(before);
    } finally {
      await ds.destroy();
    }
  });
});
