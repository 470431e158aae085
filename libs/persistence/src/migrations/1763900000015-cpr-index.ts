import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The CPR number's keyed blind index (CprIndex: HMAC-SHA256 under CPR_INDEX_KEY) beside its
 * envelope, so that a woman's cases are found by it. Cases stored before have none (it needs the
 * plain number): `npm run reindex-cpr` fills it in; until then they are not linked.
 */
export class CprIndex1763900000015 implements MigrationInterface {
  name = 'CprIndex1763900000015';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_identities ADD COLUMN cpr_index text`);
    await q.query(`CREATE INDEX case_identities_cpr_index ON case_identities (cpr_index) WHERE cpr_index IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX case_identities_cpr_index`);
    await q.query(`ALTER TABLE case_identities DROP COLUMN cpr_index`);
  }
}
