import { randomUUID } from 'node:crypto';
import { event, fold, summarise, type CaseEvent, type OpenCase, shippedPolicyRegistry } from '@app/pathway';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../data-source';
import { allProjections } from '../persistence.module';
import { CaseReadModel } from '../read-models/case-read-model';
import { rebuildProjections } from '../read-models/rebuild-projections';
import { appendRequest, caseCourse } from '../read-models/testing/case-course';
import { POLICIES } from '../../../pathway/src/case/testing/given-when-then';
import { verifyChains } from './chain-verifier';
import {
  EventStore,
  IdempotencyKeyTaken,
  StreamVersionConflict,
  UniqueViolation,
  type AppendRequest,
} from './event-store';
import type { Projection } from './projection';

const ALL_PROJECTIONS = allProjections(shippedPolicyRegistry());

const at = '2026-11-23T09:00:00.000Z';
const registered = (caseId: string, reference: string): CaseEvent =>
  event('ConcernRegistered', {
    occurredAt: at,
    caseId,
    reference,
    registeredBy: 'gp:hansen',
    referrer: { kind: 'gp' },
    municipality: '851',
    estimatedDueDate: '2027-03-01',
    substances: ['alcohol'],
    cprRecorded: false,
  });
const meeting = (n: number): CaseEvent =>
  event('NetworkMeetingRecorded', { occurredAt: at, meetingNumber: n, participants: ['municipality:851'] });

function request(
  caseId: string,
  history: CaseEvent[],
  events: CaseEvent[],
  extra: Partial<AppendRequest> = {},
): AppendRequest {
  return {
    streamId: caseId,
    expectedVersion: history.length,
    events,
    metadata: {
      actorId: 'alice',
      actorRole: 'coordinator',
      organisation: 'municipality:851',
      correlationId: 'corr-1',
      causationId: 'cmd-1',
      idempotencyKey: null,
    },
    recordedAt: new Date(at),
    state: fold([...history, ...events]) as OpenCase,
    before: fold(history),
    outbox: events.map((e, i) => ({
      topic: 'case-events',
      key: `${caseId}-${history.length + i + 1}`,
      payload: { type: e.type },
    })),
    ...extra,
  };
}

describe('EventStore on PostgreSQL', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let store: EventStore;
  const count = async (table: string, caseId: string) =>
    Number(
      (
        await ds.query(
          `SELECT count(*) AS n FROM ${table} WHERE ${table === 'case_summaries' ? 'case_id' : 'stream_id'} = $1`,
          [caseId],
        )
      )[0].n,
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createDataSource({ url: db.url, poolSize: 10 }).initialize();
    store = new EventStore(ds, ALL_PROJECTIONS);
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('appends events with their metadata, outbox rows and the case summary, and reads them back in order', async () => {
    const caseId = randomUUID();
    const stored = await store.append(request(caseId, [], [registered(caseId, 'R00001')]));
    await store.append(request(caseId, [registered(caseId, 'R00001')], [meeting(1), meeting(2)]));

    const events = await store.readStream(caseId);
    expect(events.map((e) => [e.version, e.type])).toEqual([
      [1, 'ConcernRegistered'],
      [2, 'NetworkMeetingRecorded'],
      [3, 'NetworkMeetingRecorded'],
    ]);
    expect(events[0]).toMatchObject({
      position: stored[0].position,
      metadata: { actorId: 'alice', organisation: 'municipality:851', correlationId: 'corr-1' },
    });
    expect(events[2].position).toBeGreaterThan(events[0].position);
    expect(await count('outbox', caseId)).toBe(3);
    const [summary] = await ds.query(
      `SELECT version, stage, organisations, summary FROM case_summaries WHERE case_id = $1`,
      [caseId],
    );
    expect(summary).toMatchObject({ version: 3, stage: 'detected', organisations: ['gp:hansen', 'municipality:851'] });
    expect(summary.summary.networkMeetings).toBe(2);
  });

  it('notifies the relay (pathway_outbox) when an append writes outbox rows, and only then', async () => {
    const listener = new Client({ connectionString: db.url });
    await listener.connect();
    const notified: string[] = [];
    listener.on('notification', (n) => notified.push(n.channel));
    await listener.query('LISTEN pathway_outbox');
    // A notification is delivered before the round trip that follows it completes.
    const notificationsAfter = async (append: () => Promise<unknown>) => {
      notified.length = 0;
      await append();
      await listener.query('SELECT 1');
      return notified.length;
    };
    try {
      const caseId = randomUUID();
      const history = [registered(caseId, 'R00009')];
      expect(await notificationsAfter(() => store.append(request(caseId, [], history)))).toBe(1);
      expect(await notificationsAfter(() => store.append(request(caseId, history, [meeting(1)], { outbox: [] })))).toBe(
        0,
      );
      expect(await count('outbox', caseId)).toBe(1);
    } finally {
      await listener.end();
    }
  });

  it('lets exactly one of two concurrent appends at the same version win; the loser writes nothing', async () => {
    const caseId = randomUUID();
    const history = [registered(caseId, 'R00002')];
    await store.append(request(caseId, [], history));

    for (let round = 0; round < 20; round++) {
      const version = history.length;
      const results = await Promise.allSettled([
        store.append(
          request(caseId, history, [meeting(version)], { outbox: [{ topic: 't', key: `a-${round}`, payload: {} }] }),
        ),
        store.append(
          request(caseId, history, [meeting(version)], { outbox: [{ topic: 't', key: `b-${round}`, payload: {} }] }),
        ),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0].reason).toBeInstanceOf(StreamVersionConflict);
      history.push(meeting(version));
    }
    expect((await store.readStream(caseId)).length).toBe(21);
    // One outbox row per winning append (plus the registration's): no row of a loser survived.
    expect(await count('outbox', caseId)).toBe(21);
    const [{ version }] = await ds.query(`SELECT version FROM case_summaries WHERE case_id = $1`, [caseId]);
    expect(version).toBe(21);
  });

  it('rolls back the events and the outbox rows when a projection write fails', async () => {
    const first = randomUUID();
    await store.append(request(first, [], [registered(first, 'TAKEN1')]));
    const second = randomUUID();
    // Same reference: the case_summaries unique constraint fails inside the same statement.
    await expect(store.append(request(second, [], [registered(second, 'TAKEN1')]))).rejects.toBeInstanceOf(
      UniqueViolation,
    );
    expect(await count('case_events', second)).toBe(0);
    expect(await count('outbox', second)).toBe(0);
    expect(await count('case_summaries', second)).toBe(0);
  });

  it('stores an idempotency record with the events, and refuses a second append with the same key for the same organisation', async () => {
    const caseId = randomUUID();
    const history = [registered(caseId, 'R00004')];
    await store.append(request(caseId, [], history));
    const idempotency = {
      organisation: 'municipality:851',
      principal: 'alice',
      key: 'key-1',
      requestHash: 'h1',
      status: 200,
      response: { version: 2 },
    };
    await store.append(request(caseId, history, [meeting(1)], { idempotency }));
    await expect(
      store.append(request(caseId, [...history, meeting(1)], [meeting(2)], { idempotency })),
    ).rejects.toBeInstanceOf(IdempotencyKeyTaken);
    expect((await store.readStream(caseId)).length).toBe(2);
    expect(
      await ds.query(`SELECT status, response FROM idempotency_keys WHERE principal = 'alice' AND key = 'key-1'`),
    ).toEqual([{ status: 200, response: { version: 2 } }]);

    // The same subject and key for another organisation is another record.
    const elsewhere = { ...idempotency, organisation: 'clinic:1081', requestHash: 'h2', response: { version: 3 } };
    await store.append(request(caseId, [...history, meeting(1)], [meeting(2)], { idempotency: elsewhere }));
    const find = (organisations: string[], streamId = caseId) =>
      store.findIdempotencyRecord({ principal: 'alice', key: 'key-1', organisations, streamId });
    expect(await find(['municipality:851'])).toEqual({ requestHash: 'h1', status: 200, response: { version: 2 } });
    expect(await find(['clinic:1081'])).toEqual({ requestHash: 'h2', status: 200, response: { version: 3 } });
    expect(await find(['municipality:101'])).toBeNull();
    expect(
      await store.findIdempotencyRecord({
        principal: 'bob',
        key: 'key-1',
        organisations: ['municipality:851'],
        streamId: caseId,
      }),
    ).toBeNull();
  });

  it('leaves a projection with no rows out of the statement, and writes it again when it has rows', async () => {
    await ds.query(
      `CREATE TABLE probe_meetings (case_id uuid NOT NULL, meeting int NOT NULL, PRIMARY KEY (case_id, meeting))`,
    );
    // Rows for odd-numbered meetings only: appends alternate between the statement with it and without.
    const probe: Projection = {
      table: 'probe_meetings',
      upsert: (param) =>
        `INSERT INTO probe_meetings (case_id, meeting) SELECT case_id, meeting FROM json_populate_recordset(NULL::probe_meetings, ${param})`,
      rows: (state, events) =>
        events.flatMap((e) =>
          e.type === 'NetworkMeetingRecorded' && e.data.meetingNumber % 2 === 1
            ? [{ case_id: state.id, meeting: e.data.meetingNumber }]
            : [],
        ),
    };
    const probed = new EventStore(ds, [...ALL_PROJECTIONS, probe]);
    const caseId = randomUUID();
    const history = [registered(caseId, 'R00010')];
    await probed.append(request(caseId, [], history));
    const texts: string[] = [];
    for (const n of [1, 2, 3]) {
      const next = request(caseId, history, [meeting(n)], { outbox: [] });
      texts.push(probed.appendStatement(next).text);
      await probed.append(next);
      history.push(meeting(n));
    }
    expect(texts.map((t) => t.includes('probe_meetings'))).toEqual([true, false, true]);
    // No outbox messages, no idempotency record: neither part is in the statement.
    expect(texts.some((t) => /INSERT INTO (outbox|idempotency_keys)/.test(t))).toBe(false);
    expect(await ds.query(`SELECT meeting FROM probe_meetings WHERE case_id = $1 ORDER BY meeting`, [caseId])).toEqual([
      { meeting: 1 },
      { meeting: 3 },
    ]);
    expect((await store.readStream(caseId)).map((e) => e.version)).toEqual([1, 2, 3, 4]);
    expect(await count('outbox', caseId)).toBe(1);
  });

  it("keeps each event's data as given through the statement's typed arrays, hash-chained as the verifier checks", async () => {
    const caseId = randomUUID();
    const history = [registered(caseId, 'R00011')];
    await store.append(request(caseId, [], history));
    const awkward = event('NetworkMeetingRecorded', {
      occurredAt: at,
      meetingNumber: 1,
      participants: ['a "quoted", {braced} name', 'back\\slash \\" and NULL', 'æøå \u0001 ☃', ''],
    });
    await store.append(request(caseId, history, [awkward, meeting(2)]));
    const events = await store.readStream(caseId);
    expect(events.map((e) => e.data)).toEqual([history[0].data, awkward.data, meeting(2).data]);
    const report = await verifyChains(ds, { streamId: caseId });
    expect(report).toMatchObject({ ok: true, events: 3, breakCount: 0 });
  });

  it('appends to several streams in one statement, all or none: a conflict on one writes none of them', async () => {
    const [taken, a, b] = [randomUUID(), randomUUID(), randomUUID()];
    await store.append(request(taken, [], [registered(taken, 'R00091')]));
    // The middle one was decided on a stale state: its stream is past version 0.
    const batch = [
      request(a, [], [registered(a, 'R00092')]),
      request(taken, [], [registered(taken, 'R00091')]),
      request(b, [], [registered(b, 'R00093')]),
    ];
    await expect(store.appendAll(batch)).rejects.toEqual(new StreamVersionConflict(taken, 0));
    expect([await count('case_events', a), await count('case_events', b), await count('case_events', taken)]).toEqual([
      0, 0, 1,
    ]);
    expect([await count('case_summaries', a), await count('outbox', b)]).toEqual([0, 0]);

    // The batch without the stale one commits whole: each stream's events, outbox and summary.
    const appended = await store.appendAll([batch[0], batch[2]]);
    expect(appended.map((events) => events.map((e) => [e.streamId, e.version]))).toEqual([[[a, 1]], [[b, 1]]]);
    expect(appended.flat().every((e) => e.position > 0)).toBe(true);
    expect([await count('case_summaries', a), await count('outbox', b)]).toEqual([1, 1]);
    await store.append(request(a, [registered(a, 'R00092')], [meeting(1)]));
    expect((await store.readStream(a)).length).toBe(2);
  });

  it('chains and projects each stream of a batch as its own append would, and refuses what must go alone', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const histories = { [a]: [registered(a, 'R00094')], [b]: [registered(b, 'R00095')] };
    await store.appendAll([request(a, [], histories[a]), request(b, [], histories[b])]);
    // Two events on one stream, one on the other, after their first: each links to its own predecessor.
    const appended = await store.appendAll([
      request(b, histories[b], [meeting(1)]),
      request(a, histories[a], [meeting(1), meeting(2)]),
    ]);
    expect(appended.map((events) => events.map((e) => [e.streamId, e.version]))).toEqual([
      [[b, 2]],
      [
        [a, 2],
        [a, 3],
      ],
    ]);
    expect(appended[1][0].position).toBeLessThan(appended[1][1].position);
    expect(await verifyChains(ds, { streamId: a })).toMatchObject({ ok: true, events: 3, breakCount: 0 });
    expect(await verifyChains(ds, { streamId: b })).toMatchObject({ ok: true, events: 2, breakCount: 0 });
    expect(
      await ds.query(`SELECT case_id, version FROM case_summaries WHERE case_id = ANY($1) ORDER BY version`, [[a, b]]),
    ).toEqual([
      { case_id: b, version: 2 },
      { case_id: a, version: 3 },
    ]);
    expect([await count('outbox', a), await count('outbox', b)]).toEqual([3, 2]);

    const [c, d] = [randomUUID(), randomUUID()];
    const withKey = request(c, [], [registered(c, 'R00096')], {
      idempotency: {
        organisation: 'municipality:851',
        principal: 'alice',
        key: 'k',
        requestHash: 'h',
        status: 201,
        response: {},
      },
    });
    await expect(store.appendAll([withKey, request(d, [], [registered(d, 'R00097')])])).rejects.toThrow(
      /appended alone/,
    );
    const again = request(a, histories[a], [meeting(9)]);
    await expect(store.appendAll([again, again])).rejects.toThrow(/distinct streams/);
    expect([await count('case_events', c), await count('case_events', d)]).toEqual([0, 0]);
  });

  it('refuses to update or delete events: the table is append-only', async () => {
    const caseId = randomUUID();
    await store.append(request(caseId, [], [registered(caseId, 'R00005')]));
    await expect(ds.query(`UPDATE case_events SET type = 'X' WHERE stream_id = $1`, [caseId])).rejects.toThrow(
      /append-only/,
    );
    await expect(ds.query(`DELETE FROM case_events WHERE stream_id = $1`, [caseId])).rejects.toThrow(/append-only/);
    expect(await count('case_events', caseId)).toBe(1);
  });

  it('rebuilds the case summaries from the events alone', async () => {
    const before = await ds.query(
      `SELECT case_id, version, stage, organisations, summary FROM case_summaries ORDER BY case_id`,
    );
    await ds.query(`UPDATE case_summaries SET stage = 'closed', version = 0`);
    await ds.query(
      `INSERT INTO case_summaries (case_id, reference, version, stage, status, municipality, region, estimated_due_date, detected_at, updated_at, organisations, summary)
       SELECT case_id, reference, version, stage, status, municipality, region, estimated_due_date, detected_at, updated_at, organisations, summary FROM jsonb_populate_record(NULL::case_summaries, $1)`,
      [
        JSON.stringify({
          case_id: randomUUID(),
          reference: 'GHOST1',
          version: 1,
          stage: 'detected',
          status: 'open',
          municipality: '101',
          region: '1084',
          estimated_due_date: '2027-01-01',
          detected_at: at,
          updated_at: at,
          organisations: [],
          summary: {},
        }),
      ],
    );
    const seen: number[] = [];
    const result = await rebuildProjections(ds, store, ALL_PROJECTIONS, (p) => seen.push(p.events));
    const after = await ds.query(
      `SELECT case_id, version, stage, organisations, summary FROM case_summaries ORDER BY case_id`,
    );
    expect(after).toEqual(before);
    expect(result.events).toBe(await store.countEvents());
    expect(seen[seen.length - 1]).toBe(result.events);
  });

  // After the rebuild above: the course's case is on the test policies, which the rebuild's do not hold.
  it('the case read model reads after every append the summary of the state, open alerts counted, rewritten or not', async () => {
    const course = new EventStore(ds, allProjections(POLICIES));
    const reads = new CaseReadModel(ds);
    const shown: number[] = [];
    for (const step of caseCourse()) {
      await course.append(appendRequest(step));
      const record = await reads.findById(step.after.id, step.after.parties);
      expect({ label: step.label, summary: record?.summary }).toEqual({
        label: step.label,
        summary: summarise(step.after),
      });
      shown.push(record!.summary.openAlerts);
    }
    // The course raises alerts by firing timers (no summary written) and acknowledges them: the
    // count went up and down.
    expect(Math.max(...shown)).toBeGreaterThan(0);
    expect(shown.some((n, i) => i > 0 && n < shown[i - 1])).toBe(true);
  });
});
