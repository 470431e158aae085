import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One open case per woman, held by the database (docs/adr/0011): `case_identities.open_cpr_index`
 * is her CPR index while the case is open and NULL once it is closed, unique. Registering a second
 * open case of hers violates it in the register-concern statement itself, however many arrive at
 * once. Backfill: the open case of each indexed woman registered first (by its first event's
 * position) holds the claim. A woman who already has several open cases does not fail the
 * migration: her later open cases hold none (the guard still refuses her a new case while any of
 * them is open), and they stay as they are until closed.
 */
export class OneOpenCasePerWoman1763900000018 implements MigrationInterface {
  name = 'OneOpenCasePerWoman1763900000018';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_identities ADD COLUMN open_cpr_index text`);
    await q.query(`
      UPDATE case_identities t SET open_cpr_index = t.cpr_index
      FROM (
        SELECT DISTINCT ON (i.cpr_index) i.case_id
        FROM case_identities i
        JOIN case_events e ON e.stream_id = i.case_id AND e.version = 1
        WHERE i.cpr_index IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM case_events c WHERE c.stream_id = i.case_id AND c.type = 'CaseClosed')
        ORDER BY i.cpr_index, e.position
      ) first
      WHERE t.case_id = first.case_id`);
    await q.query(
      `ALTER TABLE case_identities ADD CONSTRAINT case_identities_open_cpr_index_key UNIQUE (open_cpr_index)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_identities DROP COLUMN open_cpr_index`);
  }
}
