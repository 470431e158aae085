import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import type { DataSource } from 'typeorm';
import { createDataSource, migrate } from '../data-source';
import { EventStore } from '../event-store/event-store';
import { allProjections } from '../persistence.module';
import { caseCourse } from '../read-models/testing/case-course';
import { IdempotencyKeysPerOrganisation1763900000014 } from './1763900000014-idempotency-keys-per-organisation';
import { MIGRATIONS } from './index';
import { POLICIES } from '../../../pathway/src/case/testing/given-when-then';

/** Undoes the migrations that came after 1763900000014, so that it is the last one applied. */
async function undoLaterMigrations(ds: DataSource): Promise<void> {
  const later = MIGRATIONS.length - 1 - MIGRATIONS.indexOf(IdempotencyKeysPerOrganisation1763900000014);
  for (let i = 0; i < later; i++) await ds.undoLastMigration({ transaction: 'each' });
}

/** Who made the first appends of the course, with which Idempotency-Key: the records' organisations come from here. */
const APPENDS = [
  { actorId: 'dr-hansen', organisation: 'gp:hansen', idempotencyKey: 'register' },
  { actorId: 'mia', organisation: 'municipality:851', idempotencyKey: 'k' },
  // Another subject's key of the same name on the same stream: the actor decides which events are a record's.
  { actorId: 'ole', organisation: 'municipality:751', idempotencyKey: 'k' },
];

describe('idempotency records keyed per organisation (migration 1763900000014)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let store: EventStore;
  const course = caseCourse().slice(0, APPENDS.length);
  const streamId = course[0].after.id;
  const lostStream = randomUUID();
  const records = () =>
    ds.query(
      `SELECT principal, key, organisation, stream_id, request_hash FROM idempotency_keys ORDER BY request_hash`,
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createDataSource({ url: db.url, poolSize: 2 }).initialize();
    store = new EventStore(ds, allProjections(POLICIES));
    for (const [i, { before, after, events, at }] of course.entries())
      await store.append({
        streamId,
        expectedVersion: before.version,
        events,
        recordedAt: at,
        before,
        state: after,
        outbox: [],
        metadata: { ...APPENDS[i], actorRole: 'municipality', correlationId: 'c', causationId: 'c' },
      });
    // The records as they were stored before the migration: keyed on (principal, key).
    await undoLaterMigrations(ds);
    await ds.undoLastMigration({ transaction: 'each' });
    for (const [i, { at }] of course.entries())
      await ds.query(
        `INSERT INTO idempotency_keys (principal, key, request_hash, stream_id, status, response, created_at)
         VALUES ($1, $2, $3, $4, 200, '{"body":"stored"}', $5)`,
        [APPENDS[i].actorId, APPENDS[i].idempotencyKey, `h${i}`, streamId, at],
      );
    // A record whose events cannot be found (none can exist: a record commits with its events).
    await ds.query(
      `INSERT INTO idempotency_keys (principal, key, request_hash, stream_id, status, response, created_at)
       VALUES ('mia', 'lost', 'h9', $1, 201, '{}', now())`,
      [lostStream],
    );
    await migrate(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('takes each record’s organisation from the events it was stored with, and keeps every record', async () => {
    expect(await records()).toEqual([
      { principal: 'dr-hansen', key: 'register', organisation: 'gp:hansen', stream_id: streamId, request_hash: 'h0' },
      { principal: 'mia', key: 'k', organisation: 'municipality:851', stream_id: streamId, request_hash: 'h1' },
      { principal: 'ole', key: 'k', organisation: 'municipality:751', stream_id: streamId, request_hash: 'h2' },
      { principal: 'mia', key: 'lost', organisation: 'unattributed', stream_id: lostStream, request_hash: 'h9' },
    ]);
  });

  it('replays an old record only for the same subject and organisation', async () => {
    const find = (principal: string, key: string, organisations: string[]) =>
      store.findIdempotencyRecord({ principal, key, organisations, streamId });
    expect(await find('mia', 'k', ['municipality:851'])).toEqual({
      requestHash: 'h1',
      status: 200,
      response: { body: 'stored' },
    });
    expect(await find('mia', 'k', ['municipality:101', 'municipality:751'])).toBeNull();
    expect(await find('ole', 'k', ['municipality:751'])).toMatchObject({ requestHash: 'h2' });
    expect(await find('mia', 'lost', ['municipality:851', 'gp:hansen', 'municipality:751'])).toBeNull();
  });

  it('is unique on (organisation, subject, key), and is undone only while (subject, key) alone is still unique', async () => {
    const insert = (organisation: string) =>
      ds.query(
        `INSERT INTO idempotency_keys (organisation, principal, key, request_hash, stream_id, status, response, created_at)
         VALUES ($1, 'mia', 'k', 'h5', $2, 200, '{}', now())`,
        [organisation, streamId],
      );
    await expect(insert('municipality:851')).rejects.toMatchObject({
      driverError: { code: '23505', constraint: 'idempotency_keys_pkey' },
    });
    await insert('municipality:101');

    await undoLaterMigrations(ds);
    await expect(ds.undoLastMigration({ transaction: 'each' })).rejects.toThrow(/several organisations/);
    expect(await records()).toHaveLength(5);
    await ds.query(`DELETE FROM idempotency_keys WHERE organisation = 'municipality:101'`);
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await ds.query(`SELECT count(*)::int AS n FROM idempotency_keys`)).toEqual([{ n: 4 }]);
    expect(
      await ds.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'idempotency_keys' AND column_name = 'organisation'`,
      ),
    ).toEqual([]);
    await migrate(ds);
    expect((await records()).map((r: { organisation: string }) => r.organisation)).toEqual([
      'gp:hansen',
      'municipality:851',
      'municipality:751',
      'unattributed',
    ]);
  });
});
