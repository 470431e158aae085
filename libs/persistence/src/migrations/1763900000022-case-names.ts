import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Her name, kept as her CPR number is (docs/adr/0013): `case_identities.encrypted_name`, an envelope
 * under the same key ring (re-encrypted by `npm run rotate-cpr-key`), never in the events. A case
 * may have a name and no CPR number, so the CPR's envelope may be missing now. `case_name_tokens`
 * holds the keyed blind index of each word of her name (NameIndex), which a name search looks up;
 * they go with her identity when it is deleted. Nothing to backfill: no name was stored before.
 */
export class CaseNames1763900000022 implements MigrationInterface {
  name = 'CaseNames1763900000022';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_identities ALTER COLUMN encrypted_cpr DROP NOT NULL`);
    await q.query(`ALTER TABLE case_identities ADD COLUMN encrypted_name text`);
    await q.query(`
      CREATE TABLE case_name_tokens (
        case_id    uuid NOT NULL REFERENCES case_identities (case_id) ON DELETE CASCADE,
        token_hmac text NOT NULL,
        PRIMARY KEY (case_id, token_hmac)
      )`);
    await q.query(`CREATE INDEX case_name_tokens_token_hmac ON case_name_tokens (token_hmac)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_name_tokens`);
    await q.query(`DELETE FROM case_identities WHERE encrypted_cpr IS NULL`);
    await q.query(`ALTER TABLE case_identities DROP COLUMN encrypted_name`);
    await q.query(`ALTER TABLE case_identities ALTER COLUMN encrypted_cpr SET NOT NULL`);
  }
}
