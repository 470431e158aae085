import { randomBytes } from 'node:crypto';
import { CprCipher, CprIndex } from '@app/cases';
import { keyRingOf } from '@app/config';
import { shippedPolicyRegistry } from '@app/pathway';
import { EventStore, allProjections, createDataSource, rebuildProjections } from '@app/persistence';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import type { DataSource } from 'typeorm';
import { importSyntheticCourses } from './seed-synthetic';

const POLICIES = shippedPolicyRegistry();

describe('seed-synthetic on PostgreSQL: women with several pregnancies', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
  });
  afterAll(async () => {
    await ds?.destroy().catch(() => undefined);
    await db?.drop();
  });

  it('stores each CPR number with its blind index, so that a woman’s cases are linked, never two open at once', async () => {
    const cipher = new CprCipher(keyRingOf(randomBytes(32)));
    const index = new CprIndex(randomBytes(32));
    const projections = allProjections(POLICIES);
    const store = new EventStore(ds, projections);
    await importSyntheticCourses(ds, store, {
      cases: 400,
      seed: 7,
      years: 3,
      end: new Date('2026-06-01T00:00:00Z'),
      policies: POLICIES,
      encryptCpr: (cpr) => cipher.encrypt(cpr),
      indexCpr: (cpr) => index.of(cpr),
    });
    await rebuildProjections(ds, store, projections);
    const [{ cases, indexed, women }] = await ds.query(
      `SELECT count(*)::int AS cases, count(cpr_index)::int AS indexed, count(DISTINCT cpr_index)::int AS women FROM case_identities`,
    );
    expect([cases, indexed]).toEqual([400, 400]);
    expect(women).toBeLessThan(cases);
    // The index is the one of the decrypted number.
    const rows: { encrypted_cpr: string; cpr_index: string }[] = await ds.query(
      `SELECT encrypted_cpr, cpr_index FROM case_identities LIMIT 20`,
    );
    for (const r of rows) expect(index.of(cipher.decrypt(r.encrypted_cpr))).toBe(r.cpr_index);
    // No woman has two open cases.
    const [{ doubled }] = await ds.query(
      `SELECT count(*)::int AS doubled FROM (
         SELECT i.cpr_index FROM case_identities i JOIN case_summaries s ON s.case_id = i.case_id
         WHERE s.status = 'open' GROUP BY i.cpr_index HAVING count(*) > 1) d`,
    );
    expect(doubled).toBe(0);
  });
});
