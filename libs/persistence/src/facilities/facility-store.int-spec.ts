import { SEED_FACILITIES } from '@app/pathway';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import type { DataSource } from 'typeorm';
import { createDataSource, migrate } from '../data-source';
import { FacilityStore } from './facility-store';

const NOW = new Date('2026-12-04T10:00:00.000Z');
const LATER = new Date('2026-12-05T10:00:00.000Z');

describe('the facility store (residential facilities the platform administrator keeps)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let store: FacilityStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createDataSource({ url: db.url, poolSize: 2 }).initialize();
    store = new FacilityStore(ds);
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('ships the facilities of domain.md as the seed and keeps the placeholders retired', async () => {
    const listed = await store.list();
    expect(listed.filter((f) => !f.retiredAt)).toEqual(
      [...SEED_FACILITIES].sort((a, b) => a.name.localeCompare(b.name)),
    );
    expect(listed.filter((f) => f.retiredAt).map((f) => [f.id, f.name, f.retiredAt])).toEqual([
      ['facility:residential-a', 'Døgnbehandlingstilbud A', '2026-12-04T00:00:00.000Z'],
      ['facility:residential-b', 'Døgnbehandlingstilbud B', '2026-12-04T00:00:00.000Z'],
    ]);
  });

  it('adds a facility once (its region from its municipality), changes it, and retires it for good', async () => {
    const added = {
      id: 'facility:moedrehjemmet',
      name: 'Mødrehjemmet',
      owner: 'Region Hovedstaden',
      municipalityCode: '101',
      places: 3,
      retentionPlaces: 1,
    };
    expect(await store.add(added, '1084', 'root', NOW)).toBe(true);
    expect(await store.add({ ...added, name: 'Another' }, '1084', 'root', NOW)).toBe(false);
    // Not a facility's id either: a municipality's.
    expect(await store.add({ ...added, id: 'municipality:851' }, '1081', 'root', NOW)).toBe(false);
    expect(await store.find(added.id)).toEqual({ ...added, retiredAt: null });
    const [row] = await ds.query(`SELECT kind, region, updated_by FROM organisations WHERE id = $1`, [added.id]);
    expect(row).toEqual({ kind: 'facility', region: '1084', updated_by: 'root' });

    expect(await store.change(added.id, { places: 4, municipalityCode: '751' }, '1082', 'admin-2', NOW)).toEqual({
      ...added,
      places: 4,
      municipalityCode: '751',
      retiredAt: null,
    });
    expect(await store.change('facility:none', { places: 4 }, undefined, 'root', NOW)).toBeNull();
    // Only facilities: a municipality is not changed through the store.
    expect(await store.change('municipality:851', { name: 'x' }, undefined, 'root', NOW)).toBeNull();

    expect((await store.retire(added.id, 'root', NOW))?.retiredAt).toBe(NOW.toISOString());
    // Retiring again keeps the first time.
    expect((await store.retire(added.id, 'root', LATER))?.retiredAt).toBe(NOW.toISOString());
    expect(await store.retire('facility:none', 'root', NOW)).toBeNull();
  });

  it('counts the women admitted and not discharged, in open cases, per facility', async () => {
    const summary = (facility: string | null, status: string) => ({
      status,
      summary: JSON.stringify(facility ? { admission: { facility, admittedAt: NOW.toISOString() } } : {}),
    });
    const rows = [
      summary('facility:holmegaardshuset', 'open'),
      summary('facility:holmegaardshuset', 'open'),
      summary('facility:holmegaardshuset', 'closed'),
      summary('facility:kastaniegaarden', 'open'),
      summary(null, 'open'),
    ];
    for (const [i, r] of rows.entries())
      await ds.query(
        `INSERT INTO case_summaries (case_id, reference, version, stage, status, municipality, region, estimated_due_date,
           detected_at, updated_at, organisations, summary)
         VALUES (gen_random_uuid(), $1, 1, 'residential', $2, '851', '1081', '2027-03-01', $3, $3, '{}', $4::json)`,
        [`R${i}`, r.status, NOW, r.summary],
      );
    const occupied = Object.fromEntries((await store.facts()).map((f) => [f.id, f.occupied]));
    expect(occupied).toMatchObject({
      'facility:holmegaardshuset': 2,
      'facility:kastaniegaarden': 1,
      'facility:familiecentret-vibygaard': 0,
    });
  });

  it('is not overwritten by the reference organisations at the next start', async () => {
    await store.change('facility:kastaniegaarden', { places: 6 }, undefined, 'root', NOW);
    await migrate(ds);
    expect((await store.find('facility:kastaniegaarden'))?.places).toBe(6);
  });
});
