import { ladderLevel } from '@app/pathway';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import type { DataSource } from 'typeorm';
import { createDataSource, migrate } from '../data-source';
import { EventStore } from '../event-store/event-store';
import { allProjections } from '../persistence.module';
import { appendRequest, caseCourse } from '../read-models/testing/case-course';
import { MIGRATIONS } from '.';
import { UnreadMilestoneColumns1763900000011 } from './1763900000011-unread-milestone-columns';
import { POLICIES } from '../../../pathway/src/case/testing/given-when-then';

const COURSE = caseCourse();
const UNREAD = ['municipality', 'level', 'closed_at', 'late', 'organisations'];

describe('the milestone columns nothing read', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createDataSource({ url: db.url, poolSize: 2 }).initialize();
    const store = new EventStore(ds, allProjections(POLICIES));
    for (const step of COURSE) await store.append(appendRequest(step));
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const columns = async () =>
    (
      await ds.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'milestones' AND column_name = ANY($1)`,
        [UNREAD],
      )
    ).map((r: { column_name: string }) => r.column_name);

  it('are gone, and come back with the values the projection wrote when the migration is undone', async () => {
    expect(await columns()).toEqual([]);
    const since = MIGRATIONS.length - MIGRATIONS.indexOf(UnreadMilestoneColumns1763900000011);
    for (let i = 0; i < since; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect((await columns()).sort()).toEqual([...UNREAD].sort());

    const { after } = COURSE[COURSE.length - 1];
    const rows: Record<string, unknown>[] = await ds.query(
      `SELECT milestone, municipality, level, closed_at, late, organisations FROM milestones ORDER BY milestone`,
    );
    expect(rows).toEqual(
      Object.values(after.milestones)
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((m) => ({
          milestone: m.id,
          municipality: after.municipality,
          level: ladderLevel(m),
          closed_at: m.closedAt ? new Date(m.closedAt) : null,
          late: m.late,
          organisations: after.parties,
        })),
    );
    // The course fired warnings, breaches and escalations and closed milestones: the values vary.
    expect(new Set(rows.map((r) => r.level)).size).toBeGreaterThan(2);

    await migrate(ds);
    expect(await columns()).toEqual([]);
  });
});
