import { randomUUID } from 'node:crypto';
import { createDataSource } from '@app/persistence';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import type { DataSource } from 'typeorm';
import { GROUP_BYS, HandlingTimesReports, type GroupBy, type HandlingTimesQuery } from './handling-times.report';
import { reportPeriod } from './period';

const GROUP_COLUMN: Record<GroupBy, string> = {
  milestone: 'NULL::text',
  municipality: 'municipality',
  region: 'region',
  organisation: 'organisation',
};

/** The report's figures computed the straightforward way: percentile_cont over the period's rows. */
async function straightforward(ds: DataSource, q: HandlingTimesQuery) {
  const rows: Record<string, string | number | null>[] = await ds.query(
    `SELECT measure, kind, ${GROUP_COLUMN[q.groupBy]} AS grp, count(*) AS count, max(duration_ms) AS max,
            count(*) FILTER (WHERE breached) AS breached,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS median,
            percentile_cont(0.9) WITHIN GROUP (ORDER BY duration_ms) AS p90
     FROM handling_times WHERE ended_at >= $1 AND ended_at < $2 AND ($3::text IS NULL OR measure = $3)
     GROUP BY 1, 2, 3`,
    [q.from, q.to, q.measure ?? null],
  );
  return rows.map((r) => ({
    measure: r.measure,
    kind: r.kind,
    group: r.grp,
    count: Number(r.count),
    medianMs: Math.round(Number(r.median)),
    p90Ms: Math.round(Number(r.p90)),
    maxMs: Number(r.max),
    breached: r.kind === 'milestone' ? Number(r.breached) : null,
  }));
}

/** Deterministic pseudo-random numbers in [0, 1) (a linear congruential generator). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('the handling-times report against percentile_cont over the same rows', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let handling: HandlingTimesReports;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createDataSource({ url: db.url, poolSize: 2 }).initialize();
    handling = new HandlingTimesReports(ds);
    // 3,000 finished measures from January 2024 to June 2025 (three changes of the clocks), in groups
    // of all sizes, with ties: durations drawn from a few values a fifth of the time.
    const next = random(17);
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
    const measures = [
      ['notification-assessment', 'milestone'],
      ['clinic-first-visit', 'milestone'],
      ['post-birth-plan', 'milestone'],
      ['detection-to-treatment-start', 'interval'],
      ['birth-to-post-birth-plan', 'interval'],
    ] as const;
    const places = [
      ['851', '1081'],
      ['751', '1082'],
      ['101', '1084'],
      ['461', '1083'],
    ] as const;
    const start = Date.parse('2024-01-15T00:00:00Z');
    const span = Date.parse('2025-06-10T00:00:00Z') - start;
    const rows = Array.from({ length: 3_000 }, () => {
      const [measure, kind] = pick(measures);
      const [municipality, region] = pick(places);
      const ended = new Date(start + Math.floor(next() * span));
      const duration = next() < 0.2 ? pick([0, 3_600_000, 86_400_000]) : Math.floor(next() * 500_000_000);
      return {
        case_id: randomUUID(),
        measure,
        instance: '',
        kind,
        started_at: new Date(ended.getTime() - duration).toISOString(),
        ended_at: ended.toISOString(),
        duration_ms: duration,
        paused_ms: 0,
        outcome: kind === 'milestone' ? 'met' : 'reached',
        breached: kind === 'milestone' ? next() < 0.3 : null,
        municipality,
        region,
        organisation: `clinic:${pick(['a', 'b', 'c', 'd', 'e', 'f', 'g'])}`,
      };
    });
    const columns = Object.keys(rows[0]).join(', ');
    await ds.query(
      `INSERT INTO handling_times (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::handling_times, $1::json)`,
      [JSON.stringify(rows)],
    );
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  // Days (whole Copenhagen days, the end inclusive) and instants, starting and ending mid-month, on
  // a month's first midnight, across the clocks' changes, within one month, and over everything.
  const periods: { from: string; to: string }[] = [
    { from: '2024-01-01', to: '2025-12-31' },
    { from: '2024-03-31', to: '2024-10-27' },
    { from: '2024-02-10', to: '2024-02-20' },
    { from: '2024-03-01', to: '2025-02-28' },
    { from: '2024-06-17T13:45:10.123Z', to: '2025-03-30T00:59:59.999Z' },
    { from: '2024-02-29T23:00:00.000Z', to: '2024-11-30T23:00:00.000Z' },
  ];

  it.each(GROUP_BYS)('gives the same figures grouped by %s, for every period', async (groupBy) => {
    for (const days of periods) {
      const { from, to } = reportPeriod(days, new Date('2026-01-01T00:00:00Z'));
      for (const measure of [undefined, 'notification-assessment', 'birth-to-post-birth-plan']) {
        const q = { from, to, groupBy, measure };
        const expected = await straightforward(ds, q);
        const { rows } = await handling.report(q);
        expect(expected.length).toBeGreaterThan(0);
        const actual = rows.map(({ group, breachRate: _, ...r }) => ({ ...r, group: group?.id ?? null }));
        const byKey = (r: { measure: unknown; group: unknown }) => `${String(r.measure)} ${String(r.group)}`;
        expect(actual.sort((a, b) => byKey(a).localeCompare(byKey(b)))).toEqual(
          expected.sort((a, b) => byKey(a).localeCompare(byKey(b))),
        );
      }
    }
  });
});
