import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { summarise } from '@app/pathway';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../data-source';
import { EventStore } from '../event-store/event-store';
import { allProjections } from '../persistence.module';
import { CaseReadModel } from './case-read-model';
import { appendRequest, caseCourse } from './testing/case-course';
import { POLICIES } from '../../../pathway/src/case/testing/given-when-then';

describe('the case read model', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createDataSource({ url: db.url, poolSize: 2 }).initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('reads after every append the summary of the state, open alerts counted, rewritten or not', async () => {
    const store = new EventStore(ds, allProjections(POLICIES));
    const reads = new CaseReadModel(ds);
    const shown: { label: string; openAlerts: number }[] = [];
    for (const step of caseCourse()) {
      await store.append(appendRequest(step));
      const record = await reads.findById(step.after.id, step.after.parties);
      expect({ label: step.label, summary: record?.summary }).toEqual({
        label: step.label,
        summary: summarise(step.after),
      });
      shown.push({ label: step.label, openAlerts: record!.summary.openAlerts });
    }
    // The course raises alerts by firing timers (no summary written) and acknowledges them: the
    // count went up and down.
    const counts = shown.map((s) => s.openAlerts);
    expect(Math.max(...counts)).toBeGreaterThan(0);
    expect(counts.some((n, i) => i > 0 && n < counts[i - 1])).toBe(true);
  });
});
