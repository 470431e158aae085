import { randomUUID } from 'node:crypto';
import { type Actor, shippedPolicyRegistry } from '@app/pathway';
import { EventStore, allProjections, createDataSource, rebuildProjections } from '@app/persistence';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { DecidedCourse } from '@test/support/decided-course';
import type { DataSource } from 'typeorm';
import { AnnualReports } from './annual.report';

const POLICIES = shippedPolicyRegistry();
const PROJECTIONS = allProjections(POLICIES);
const gp: Actor = { id: 'dr-hansen', role: 'referrer', organisation: 'gp:hansen' };
const aalborg: Actor = { id: 'caseworker-851', role: 'municipality', organisation: 'municipality:851' };

/**
 * The yearly table counts women, not pregnancies: in 2025, in Aalborg (851, Region Nordjylland),
 *  - she is referred to treatment in her first pregnancy (March; the case is closed in May) and
 *    again in her second (September): one woman;
 *  - another woman is referred once: one woman;
 *  - a woman registered without a CPR number is referred once: one woman (nothing links her).
 * So 3 women in Aalborg, in Nordjylland and in Denmark, where counting cases would give 4.
 */
describe('the yearly table counts a woman once across her pregnancies', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let store: EventStore;

  /** Registered, notified, assessed and referred to outpatient treatment on one day; her identity as register-concern stores it. */
  const referred = async (day: string, cprIndex: string | null) => {
    const course = new DecidedCourse(store, POLICIES, randomUUID());
    await course.run(`${day}T09:00:00Z`, gp, {
      type: 'register-concern',
      data: {
        caseId: course.caseId,
        reference: course.caseId.slice(0, 8).toUpperCase(),
        cprRecorded: cprIndex !== null,
        // Five months ahead: she is in her fourth month.
        estimatedDueDate: new Date(Date.parse(day) + 150 * 86_400_000).toISOString().slice(0, 10),
        municipality: '851',
        referrer: { kind: 'gp' },
        substances: ['opioids'],
      },
    });
    if (cprIndex !== null)
      await ds.query(`INSERT INTO case_identities (case_id, encrypted_cpr, cpr_index) VALUES ($1, 'v2.k0.x.y.z', $2)`, [
        course.caseId,
        cprIndex,
      ]);
    await course.run(`${day}T10:00:00Z`, gp, { type: 'notify-municipality', data: {} });
    await course.run(`${day}T11:00:00Z`, aalborg, { type: 'assess-notification', data: { outcome: 'support' } });
    await course.run(`${day}T12:00:00Z`, aalborg, { type: 'request-treatment', data: { kind: 'drugs' } });
    return course;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
    store = new EventStore(ds, PROJECTIONS);
    const first = await referred('2025-03-03', 'her-index');
    await first.run('2025-05-05T09:00:00Z', aalborg, { type: 'close-case', data: { reason: 'pregnancy-ended' } });
    await referred('2025-09-01', 'her-index');
    await referred('2025-09-02', 'another-index');
    await referred('2025-09-03', null);
  });
  afterAll(async () => {
    await ds?.destroy().catch(() => undefined);
    await db?.drop();
  });

  it('counts her once in the municipality, the region and the nation, and so after a rebuild of the projections', async () => {
    const check = async () => {
      const report = await new AnnualReports(ds).report(2025);
      expect(report.municipalities.find((m) => m.code === '851')).toMatchObject({ anyTreatment: 3, residential: 0 });
      expect(report.regions.find((r) => r.code === '1081')).toMatchObject({ anyTreatment: 3, residential: 0 });
      expect(report.national).toEqual({ anyTreatment: 3, residential: 0 });
    };
    // Four referrals were made: the table counts women.
    expect((await ds.query(`SELECT count(*)::int AS n FROM treatment_referrals`))[0].n).toBe(4);
    await check();
    await rebuildProjections(ds, store, PROJECTIONS);
    await check();
  });
});
