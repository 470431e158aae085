import { randomUUID } from 'node:crypto';
import { fold, type Actor, type CaseEvent, type OpenCase, shippedPolicyRegistry } from '@app/pathway';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { DecidedCourse } from '@test/support/decided-course';
import type { DataSource } from 'typeorm';
import { createDataSource, migrate } from '../data-source';
import { MIGRATIONS } from '../migrations';
import { HashChain1763900000008 } from '../migrations/1763900000008-hash-chain';
import { allProjections } from '../persistence.module';
import { verifyChains } from './chain-verifier';
import { EventStore, StreamVersionConflict, type ImportedStream } from './event-store';
import { chainHash, contentHash } from './hash-chain';

const POLICIES = shippedPolicyRegistry();
const gp: Actor = { id: 'dr-hansen', role: 'referrer', organisation: 'gp:hansen' };
const aalborg: Actor = { id: 'caseworker', role: 'municipality', organisation: 'municipality:851' };

describe('the hash chain of each case', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let store: EventStore;

  beforeEach(async () => {
    db = await createTestDatabase();
    ds = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
    store = new EventStore(ds, allProjections(POLICIES));
  });
  afterEach(async () => {
    await ds.destroy();
    await db.drop();
  });

  /** A case of a few appends, some of several events (the concern opens milestones with it). */
  async function course(): Promise<string> {
    const c = new DecidedCourse(store, POLICIES, randomUUID());
    await c.run('2026-11-23T09:00:00Z', gp, {
      type: 'register-concern',
      data: {
        caseId: c.caseId,
        reference: c.caseId.slice(0, 6).toUpperCase(),
        cprRecorded: false,
        estimatedDueDate: '2027-05-01',
        municipality: '851',
        referrer: { kind: 'gp' },
        substances: ['alcohol'],
      },
    });
    await c.run('2026-11-23T10:00:00Z', gp, { type: 'notify-municipality', data: {} });
    await c.run('2026-11-23T12:00:00Z', aalborg, { type: 'assess-notification', data: { outcome: 'support' } });
    return c.caseId;
  }

  /** Changes stored history behind the application's back, as someone with database access could. */
  async function tamper(sql: string, params: unknown[]): Promise<void> {
    await ds.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`); // the append-only trigger does not fire
      await tx.query(sql, params);
    });
  }

  const eventsOf = async (
    caseId: string,
  ): Promise<{ version: number; position: string; type: string; prev_hash: Buffer | null; hash: Buffer }[]> =>
    ds.query(`SELECT version, position, type, prev_hash, hash FROM case_events WHERE stream_id = $1 ORDER BY version`, [
      caseId,
    ]);

  it('links every event to its predecessor in the append statement, and verifies', async () => {
    const [a, b] = [await course(), await course()];
    const events = await eventsOf(a);
    expect(events.length).toBeGreaterThan(5);
    expect(events[0].prev_hash).toBeNull();
    for (let i = 1; i < events.length; i++) expect(events[i].prev_hash).toEqual(events[i - 1].hash);
    const report = await verifyChains(ds);
    expect(report).toMatchObject({ ok: true, streams: 2, breakCount: 0, breaks: [] });
    expect(report.events).toBe(events.length + (await eventsOf(b)).length);
  });

  it('names the event whose row was changed in SQL, and only that one', async () => {
    const [a, b] = [await course(), await course()];
    const target = (await eventsOf(a)).find((e) => e.type === 'NotificationAssessed')!;
    await tamper(
      `UPDATE case_events SET data = jsonb_set(data, '{outcome}', '"no-action"') WHERE stream_id = $1 AND version = $2`,
      [a, target.version],
    );

    const report = await verifyChains(ds);
    expect(report.ok).toBe(false);
    expect(report.breaks).toEqual([
      {
        streamId: a,
        version: target.version,
        position: Number(target.position),
        type: 'NotificationAssessed',
        problems: ['content-altered'],
      },
    ]);
    expect((await verifyChains(ds, { streamId: b })).ok).toBe(true);
    expect((await verifyChains(ds, { streamId: a })).breakCount).toBe(1);
  });

  it('catches a change whose hash was recomputed too: the next event no longer links to it', async () => {
    const a = await course();
    const events = await eventsOf(a);
    const target = events[1];
    await tamper(`UPDATE case_events SET actor_id = 'someone-else' WHERE stream_id = $1 AND version = $2`, [
      a,
      target.version,
    ]);
    const [row] = await ds.query(`SELECT * FROM case_events WHERE stream_id = $1 AND version = $2`, [
      a,
      target.version,
    ]);
    const forged = chainHash(
      row.prev_hash,
      contentHash({
        streamId: a,
        version: row.version,
        type: row.type,
        data: row.data,
        recordedAt: row.recorded_at,
        metadata: {
          actorId: row.actor_id,
          actorRole: row.actor_role,
          organisation: row.organisation,
          correlationId: row.correlation_id,
          causationId: row.causation_id,
          idempotencyKey: row.idempotency_key,
        },
      }),
    );
    await tamper(`UPDATE case_events SET hash = $3 WHERE stream_id = $1 AND version = $2`, [a, target.version, forged]);

    const report = await verifyChains(ds);
    expect(report.breaks.map((x) => [x.version, x.problems])).toEqual([[target.version + 1, ['link-broken']]]);
  });

  it('catches a removed event as a gap before the next one', async () => {
    const a = await course();
    await tamper(`DELETE FROM case_events WHERE stream_id = $1 AND version = 2`, [a]);
    expect((await verifyChains(ds)).breaks.map((x) => [x.version, x.problems])).toEqual([[3, ['version-gap']]]);
  });

  it('refuses an append whose predecessor is not there, writing nothing, as a version conflict (the writer reloads the stream)', async () => {
    const a = await course();
    const head = (await eventsOf(a)).length;
    const state = fold(
      (await store.readStream(a)).map((e) => ({ type: e.type, data: e.data }) as CaseEvent),
    ) as OpenCase;
    await expect(
      store.append({
        streamId: randomUUID(),
        expectedVersion: head,
        events: [{ type: 'ContactLost', data: { occurredAt: '2026-11-24T09:00:00Z' } }],
        metadata: {
          actorId: 'x',
          actorRole: 'referrer',
          organisation: 'gp:hansen',
          correlationId: 'c',
          causationId: 'c',
          idempotencyKey: null,
        },
        recordedAt: new Date('2026-11-24T09:00:00Z'),
        state,
        before: state,
        outbox: [{ topic: 't', key: 'k', payload: {} }],
      }),
    ).rejects.toThrow(StreamVersionConflict);
    expect(Number((await ds.query(`SELECT count(*) AS n FROM outbox WHERE message_key = 'k'`))[0].n)).toBe(0);
  });

  it('chains imported streams the same way as appended ones', async () => {
    const a = await course();
    const stored = await store.readStream(a);
    const copy: ImportedStream = {
      streamId: randomUUID(),
      events: stored.map((e) => ({ type: e.type, data: e.data, metadata: e.metadata, recordedAt: e.recordedAt })),
    };
    await store.importStreams([copy]);
    expect(await verifyChains(ds)).toMatchObject({ ok: true, streams: 2 });
  });

  it('chains the events already recorded when the migration adds the chain', async () => {
    const a = await course();
    const before = await eventsOf(a);
    // Back to the schema without the chain, with the events as they were then.
    const since = MIGRATIONS.length - MIGRATIONS.indexOf(HashChain1763900000008);
    for (let i = 0; i < since; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect(
      (
        await ds.query(
          `SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'case_events' AND column_name = 'hash'`,
        )
      )[0].n,
    ).toBe('0');

    await migrate(ds);
    const after = await eventsOf(a);
    expect(after.map((e) => e.hash)).toEqual(before.map((e) => e.hash));
    expect((await verifyChains(ds)).ok).toBe(true);
  });
});
