import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The CPR number's envelope moves out of the events and the case summaries into its own table
 * (docs/adr/0008): the one place it is kept, re-encrypted by `npm run rotate-cpr-key` and read by
 * GET /v1/cases/{id}. Copied from the ConcernRegistered events that carry it; those events stay as
 * they are (0007), and no code reads their envelope any more.
 */
export class CaseIdentities1763900000013 implements MigrationInterface {
  name = 'CaseIdentities1763900000013';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_identities (
        case_id       uuid PRIMARY KEY,
        encrypted_cpr text NOT NULL
      )`);
    await q.query(`
      INSERT INTO case_identities (case_id, encrypted_cpr)
      SELECT stream_id, data->>'encryptedCpr' FROM case_events
      WHERE version = 1 AND type = 'ConcernRegistered' AND data->>'encryptedCpr' IS NOT NULL`);
    await q.query(`ALTER TABLE case_summaries DROP COLUMN encrypted_cpr`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_summaries ADD COLUMN encrypted_cpr text`);
    await q.query(
      `UPDATE case_summaries s SET encrypted_cpr = i.encrypted_cpr FROM case_identities i WHERE i.case_id = s.case_id`,
    );
    await q.query(`DROP TABLE case_identities`);
  }
}
