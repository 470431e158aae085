import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Residential facilities become reference data the platform administrator manages (owner, retirement,
 * who changed them last), in the organisations table. Seeds the facilities domain.md names and
 * retires the placeholders they replace (kept: recorded cases name them). The values are written out
 * here, not imported, so that this migration stays what it was when it ran.
 */
export class Facilities1763900000017 implements MigrationInterface {
  name = 'Facilities1763900000017';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE organisations
        ADD COLUMN owner      text,
        ADD COLUMN retired_at timestamptz,
        ADD COLUMN updated_by text,
        ADD COLUMN updated_at timestamptz`);
    await q.query(`
      INSERT INTO organisations (id, kind, name, region, municipality_code, places, retention_places, owner, updated_by, updated_at)
      VALUES ('facility:holmegaardshuset', 'facility', 'Holmegaardshuset', '1085', '370', 2, 2, 'private', 'seed', now()),
             ('facility:familiecentret-vibygaard', 'facility', 'Familiecentret Vibygård', '1085', '265', 1, 0, 'private', 'seed', now()),
             ('facility:kastaniegaarden', 'facility', 'Kastaniegården (Plan A)', '1085', '390', 5, 5,
              'private; admits from the whole country', 'seed', now())
      ON CONFLICT (id) DO NOTHING`);
    await q.query(`
      INSERT INTO organisations (id, kind, name, region, municipality_code, places, retention_places, owner, retired_at, updated_by, updated_at)
      VALUES ('facility:residential-a', 'facility', 'Døgnbehandlingstilbud A', '1084', '101', 2, 2, 'unknown (placeholder)',
              '2026-12-04T00:00:00Z', 'seed', now()),
             ('facility:residential-b', 'facility', 'Døgnbehandlingstilbud B', '1084', '101', 5, 5, 'unknown (placeholder)',
              '2026-12-04T00:00:00Z', 'seed', now())
      ON CONFLICT (id) DO UPDATE SET retired_at = excluded.retired_at, owner = excluded.owner,
        municipality_code = excluded.municipality_code, region = excluded.region,
        updated_by = excluded.updated_by, updated_at = excluded.updated_at`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM organisations WHERE kind = 'facility' AND updated_by = 'seed' AND retired_at IS NULL`);
    await q.query(
      `ALTER TABLE organisations DROP COLUMN owner, DROP COLUMN retired_at, DROP COLUMN updated_by, DROP COLUMN updated_at`,
    );
  }
}
