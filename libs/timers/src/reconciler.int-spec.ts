import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { createDataSource } from '@app/persistence';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { testRedisUrl } from '@test/support/stack';
import type { DataSource } from 'typeorm';
import { deadlineJobId, type DeadlineJobData } from './deadline-jobs';
import { Reconciler } from './reconciler';
import { BullMqTimerScheduler } from './timer-scheduler';

const NOW = new Date('2026-11-23T09:00:00.000Z');
const HOUR = 3_600_000;
const at = (offsetMs: number, micros = '') =>
  new Date(NOW.getTime() + offsetMs).toISOString().replace('Z', `${micros}Z`);
const CASES = Array.from({ length: 5 }, () => randomUUID());

/**
 * Pending timers laid out so that page boundaries fall where a keyset can go wrong: five timers of
 * five cases due at the same instant, four due within the same millisecond (apart by microseconds,
 * which a JavaScript Date drops), two overdue, one due at the horizon itself and three beyond it.
 */
const DUE = [
  ...CASES.map((c) => ({ case_id: c, timer: 'tie.warning.g1', fire_at: at(10 * 60_000) })),
  ...['1', '2', '3', '4'].map((n) => ({
    case_id: CASES[0],
    timer: `micro-${n}.breach.g1`,
    fire_at: at(20 * 60_000, `00${n}`),
  })),
  { case_id: CASES[1], timer: 'late.breach.g1', fire_at: at(-HOUR) },
  { case_id: CASES[2], timer: 'late.breach.g1', fire_at: at(-HOUR + 1) },
  { case_id: CASES[3], timer: 'edge.warning.g1', fire_at: at(HOUR) },
];
const BEYOND = CASES.slice(0, 3).map((c) => ({ case_id: c, timer: 'later.warning.g1', fire_at: at(2 * HOUR) }));
const ids = (rows: { case_id: string; timer: string }[]) => rows.map((r) => deadlineJobId(r.case_id, r.timer)).sort();

describe('the reconciler', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let redis: Redis;
  const queues: Queue<DeadlineJobData>[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    await ds.query(
      `INSERT INTO pending_timers (case_id, timer, kind, fire_at)
       SELECT case_id, timer, 'ladder', fire_at FROM json_to_recordset($1::json) AS r(case_id uuid, timer text, fire_at timestamptz)`,
      [JSON.stringify([...DUE, ...BEYOND])],
    );
  });
  afterAll(async () => {
    for (const q of queues) {
      await q.obliterate({ force: true });
      await q.close();
    }
    redis.disconnect();
    await ds.destroy();
    await db.drop();
  });

  function reconcilerOn(queue: Queue<DeadlineJobData>, pageSize: number): Reconciler {
    const clock = { now: () => NOW };
    return new Reconciler(ds, new BullMqTimerScheduler(queue, redis, clock), clock.now, HOUR, pageSize);
  }

  function freshQueue(): Queue<DeadlineJobData> {
    const queue = new Queue<DeadlineJobData>(`test-${randomUUID()}`, { connection: { url: testRedisUrl() } });
    queues.push(queue);
    return queue;
  }

  async function jobIds(queue: Queue<DeadlineJobData>): Promise<string[]> {
    return (await queue.getJobs(['delayed', 'waiting'])).map((j) => j.id as string).sort();
  }

  it('stores the microseconds the layout depends on', async () => {
    const [{ n }] = await ds.query(
      `SELECT count(DISTINCT fire_at)::int AS n FROM pending_timers WHERE timer LIKE 'micro-%'`,
    );
    expect(n).toBe(4);
  });

  it.each([1, 2, 3, 4, 5, DUE.length - 1, DUE.length, 5_000])(
    'pages of %i: restores every timer due within the horizon once, and none beyond it',
    async (pageSize) => {
      const queue = freshQueue();
      const reconciler = reconcilerOn(queue, pageSize);
      expect(await reconciler.reconcile()).toMatchObject({ pending: DUE.length, restored: DUE.length, overdue: 2 });
      expect(await jobIds(queue)).toEqual(ids(DUE));
      // Nothing is missing now: a second pass reads the same timers and restores none.
      expect(await reconciler.reconcile()).toMatchObject({ pending: DUE.length, restored: 0, overdue: 0 });
    },
  );

  it('restores each timer once when several workers reconcile at the same time', async () => {
    const queue = freshQueue();
    const reports = await Promise.all([reconcilerOn(queue, 2).reconcile(), reconcilerOn(queue, 3).reconcile()]);
    expect(reports.map((r) => r.pending)).toEqual([DUE.length, DUE.length]);
    expect(await jobIds(queue)).toEqual(ids(DUE));
  });
});
