import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The occupancy of a facility gets a version, as a stream has (docs/adr/0011): every append that
 * changes who is admitted there (an admission, a discharge, a close) writes the facility's next
 * version, and an admission writes the version after the one it read with the occupancy it decided
 * on. The primary key turns two appends onto one version into a conflict, and the loser decides
 * again on the fresh occupancy. Nothing to backfill: a facility without a row is at version 0, and
 * its occupancy is still counted from the case summaries.
 */
export class FacilityOccupancyVersions1763900000019 implements MigrationInterface {
  name = 'FacilityOccupancyVersions1763900000019';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE facility_occupancy_versions (
        facility_id text NOT NULL,
        version     int NOT NULL,
        case_id     uuid NOT NULL,
        recorded_at timestamptz NOT NULL,
        CONSTRAINT facility_occupancy_versions_pkey PRIMARY KEY (facility_id, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE facility_occupancy_versions`);
  }
}
