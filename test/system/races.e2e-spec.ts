import { Client as PgClient } from 'pg';
import { expectError } from '@test/support/api-error';
import { concern, register, send } from '@test/support/cases';
import { Stack, type Client } from '@test/support/stack';

/** How often each race is run: a lucky interleaving must not pass for a fix. */
const ROUNDS = 5;
/** How many requests race in each round. */
const RACERS = 8;

/**
 * Issue 15 §3 and §4 under concurrency, over HTTP: requests fired at the same moment must not get
 * past a rule a single request cannot (ADR 0011). One open case per woman; no admission past the
 * last place of a facility.
 */
describe('races over HTTP', () => {
  let stack: Stack;
  let db: PgClient;
  let callers: Client[];
  let platform: Client;
  let municipality: Client;
  let gp: Client;

  beforeAll(async () => {
    stack = await Stack.start();
    db = new PgClient({ connectionString: stack.db.url });
    await db.connect();
    // Different callers of different organisations, and the caseworker of her municipality.
    callers = [
      await stack.as('municipality', 'municipality:851', 'mia'),
      ...(await Promise.all(
        Array.from({ length: RACERS - 1 }, (_, i) => stack.as('referrer', `gp:race-${i}`, `dr-${i}`)),
      )),
    ];
    platform = await stack.as('admin', 'pathway:platform', 'root');
    municipality = callers[0];
    gp = callers[1];
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('registers one case when several concerns for one woman arrive at once: the rest are 409 CASE_ALREADY_OPEN', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // Born 1x March 1990: a new woman each round.
      const cpr = `1${round}03901234`;
      const answers = await Promise.all(callers.map((c) => c.post('/v1/cases', concern({ cpr }))));
      const created = answers.filter((a) => a.status === 201);
      expect({ round, created: created.length }).toEqual({ round, created: 1 });
      for (const refused of answers.filter((a) => a.status !== 201)) expectError(refused, 409, 'CASE_ALREADY_OPEN');
      // One open case of hers in the database: the one answered 201.
      const { rows } = await db.query<{ case_id: string }>(
        `SELECT s.case_id FROM case_summaries s JOIN case_identities i ON i.case_id = s.case_id
         WHERE s.status = 'open' AND i.cpr_index = (SELECT cpr_index FROM case_identities WHERE case_id = $1)`,
        [created[0].body.id],
      );
      expect(rows.map((r) => r.case_id)).toEqual([created[0].body.id]);
    }
  });

  /** A new facility with these places, and a client of its staff. */
  async function newFacility(name: string, places: number): Promise<{ facility: string; staff: Client }> {
    const facility = `facility:${name}`;
    const added = await platform.post('/v1/facilities', {
      id: facility,
      name,
      owner: 'Aalborg Kommune',
      municipalityCode: '851',
      places,
      retentionPlaces: 0,
    });
    expect(added.status).toBe(201);
    return { facility, staff: await stack.as('facility', facility, `staff-of-${name}`) };
  }

  /** A case of Aalborg with a placement granted at the facility and her consent: ready to be admitted. */
  async function granted(facility: string): Promise<string> {
    const id = await register(gp, concern());
    await send(municipality, id, 'request-residential-placement');
    await send(municipality, id, 'decide-residential-placement', { decision: 'granted', facility });
    await send(municipality, id, 'record-consent', { scope: 'residential', status: 'given' });
    return id;
  }

  /** `count` cases granted a placement at the facility, one after the other. */
  async function grantedCases(facility: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await granted(facility));
    return ids;
  }

  /** The women admitted there now, in the database. */
  async function occupancy(facility: string): Promise<number> {
    const { rows } = await db.query<{ occupied: string }>(
      `SELECT count(*) AS occupied FROM case_summaries
       WHERE status = 'open' AND summary->'admission'->>'facility' = $1`,
      [facility],
    );
    return Number(rows[0].occupied);
  }

  it('admits one woman into the last place when several admissions arrive at once: the rest are 422 FACILITY_FULL', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // Two places, one taken: one free place.
      const { facility, staff } = await newFacility(`last-place-${round}`, 2);
      await send(staff, await granted(facility), 'admit-to-residential');
      const waiting = await grantedCases(facility, RACERS);

      const answers = await Promise.all(waiting.map((id) => staff.post(`/v1/cases/${id}/admit-to-residential`, {})));
      const admitted = answers.filter((a) => a.status === 200);
      expect({ round, admitted: admitted.length }).toEqual({ round, admitted: 1 });
      for (const refused of answers.filter((a) => a.status !== 200)) expectError(refused, 422, 'FACILITY_FULL');
      expect(await occupancy(facility)).toBe(2);
    }
  });

  it('a place freed by a discharge while several admissions arrive goes to one of them at most', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // One place, taken by the woman discharged in the race.
      const { facility, staff } = await newFacility(`freed-place-${round}`, 1);
      const resident = await granted(facility);
      await send(staff, resident, 'admit-to-residential');
      const waiting = await grantedCases(facility, RACERS - 1);

      const [discharged, ...answers] = await Promise.all([
        staff.post(`/v1/cases/${resident}/discharge-from-residential`, {}),
        ...waiting.map((id) => staff.post(`/v1/cases/${id}/admit-to-residential`, {})),
      ]);
      expect(discharged.status).toBe(200);
      const admitted = answers.filter((a) => a.status === 200);
      // Decided before the discharge: full; after it: one place, for one of them.
      expect({ round, admittedAtMostOne: admitted.length <= 1 }).toEqual({ round, admittedAtMostOne: true });
      for (const refused of answers.filter((a) => a.status !== 200)) expectError(refused, 422, 'FACILITY_FULL');
      expect(await occupancy(facility)).toBe(admitted.length);
    }
  });

  it('admissions over capacity at once each record the occupancy they were admitted into', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // One place, taken: every admission is over capacity, on the staff's reason.
      const { facility, staff } = await newFacility(`over-capacity-${round}`, 1);
      await send(staff, await granted(facility), 'admit-to-residential');
      const waiting = await grantedCases(facility, RACERS);

      const overCapacityReason = 'No other place before week 30; a bed in the family room.';
      const answers = await Promise.all(
        waiting.map((id) => staff.post(`/v1/cases/${id}/admit-to-residential`, { overCapacityReason })),
      );
      expect(answers.map((a) => a.status)).toEqual(waiting.map(() => 200));
      const { rows } = await db.query<{ occupied: number }>(
        `SELECT (data->'overCapacity'->>'occupied')::int AS occupied FROM case_events
         WHERE type = 'AdmittedToResidential' AND stream_id = ANY($1::uuid[]) ORDER BY position`,
        [waiting],
      );
      // Each decided on the count the ones before it left: 1, 2, … RACERS women already there.
      expect({ round, occupied: rows.map((r) => r.occupied) }).toEqual({
        round,
        occupied: waiting.map((_, i) => i + 1),
      });
      expect(await occupancy(facility)).toBe(RACERS + 1);
    }
  });
});
