import { randomUUID } from 'node:crypto';
import { createDataSource } from '@app/persistence';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import type { DataSource, QueryRunner } from 'typeorm';
import { HandlingTimesReports } from './handling-times.report';

const COLUMNS =
  'case_id, measure, instance, kind, started_at, ended_at, duration_ms, paused_ms, outcome, breached, municipality, region, organisation';

/** One finished notification assessment in Aalborg in 2025, as the projection writes it (tx by default). */
function insert(on: DataSource | QueryRunner, durationMs: number): Promise<unknown> {
  const ended = new Date(Date.parse('2025-05-01T10:00:00.000Z') + durationMs);
  return on.query(
    `INSERT INTO handling_times (${COLUMNS})
     VALUES ($1, 'notification-assessment', '', 'milestone', $2, $3, $4, 0, 'met', false, '851', '1081', 'municipality:851')`,
    [randomUUID(), new Date(ended.getTime() - durationMs).toISOString(), ended.toISOString(), durationMs],
  );
}

describe('the handling-times report kept in memory, against transactions that commit late', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let handling: HandlingTimesReports;
  const q = {
    from: new Date('2025-01-01T00:00:00Z'),
    to: new Date('2026-01-01T00:00:00Z'),
    groupBy: 'milestone' as const,
  };
  /** The one row of the report: count and maximum; nothing counted gives count 0. */
  const reported = async () => {
    const { rows } = await handling.report(q);
    expect(rows.length).toBeLessThanOrEqual(1);
    return { count: rows[0]?.count ?? 0, maxMs: rows[0]?.maxMs ?? null };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
    handling = new HandlingTimesReports(ds);
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('counts a row committed late by a transaction begun before a report, once, when it commits', async () => {
    await insert(ds, 1_000);
    expect(await reported()).toEqual({ count: 1, maxMs: 1_000 });

    // A transaction writes a row and stays open: its id holds the horizon back.
    const late = ds.createQueryRunner();
    await late.connect();
    await late.startTransaction();
    await insert(late, 9_000);
    try {
      expect(await reported()).toEqual({ count: 1, maxMs: 1_000 });

      // Rows of transactions begun and committed after it count at once (above the horizon).
      await insert(ds, 2_000);
      await insert(ds, 3_000);
      expect(await reported()).toEqual({ count: 3, maxMs: 3_000 });
      expect(await reported()).toEqual({ count: 3, maxMs: 3_000 });

      await late.commitTransaction();
    } finally {
      if (late.isTransactionActive) await late.rollbackTransaction();
      await late.release();
    }
    // Committed now, with an id below every row read since: counted, once, and then kept.
    expect(await reported()).toEqual({ count: 4, maxMs: 9_000 });
    await insert(ds, 4_000);
    expect(await reported()).toEqual({ count: 5, maxMs: 9_000 });
    expect(await reported()).toEqual({ count: 5, maxMs: 9_000 });
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM handling_times`)) as { n: number }[];
    expect(n).toBe(5);
  });

  it('shares one refresh among reports asked for at once, each with the same figures', async () => {
    const reports = await Promise.all(Array.from({ length: 5 }, () => handling.report(q)));
    for (const r of reports) expect(r).toEqual(reports[0]);
    expect(reports[0].rows[0].count).toBe(5);
  });

  it('reads the rows again when all were replaced (a rebuild): not doubled', async () => {
    // What rebuildProjections does to the table: every row deleted and written again, in one transaction.
    const rebuild = (where: string) =>
      ds.transaction(async (tx) => {
        const rows = (await tx.query(`SELECT ${COLUMNS} FROM handling_times WHERE ${where}`)) as unknown[];
        await tx.query(`DELETE FROM handling_times`);
        await tx.query(
          `INSERT INTO handling_times (${COLUMNS}) SELECT ${COLUMNS} FROM json_populate_recordset(NULL::handling_times, $1::json)`,
          [JSON.stringify(rows)],
        );
      });
    expect(await reported()).toEqual({ count: 5, maxMs: 9_000 });
    await rebuild('true');
    expect(await reported()).toEqual({ count: 5, maxMs: 9_000 });
    // A rebuild that derives fewer rows gives fewer.
    await rebuild('duration_ms <> 9000');
    expect(await reported()).toEqual({ count: 4, maxMs: 4_000 });
  });
});
