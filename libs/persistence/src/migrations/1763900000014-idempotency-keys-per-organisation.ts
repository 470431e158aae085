import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An organisation that no principal can act for (organisation ids are `kind:id`): a record whose
 * events cannot be found keeps its row, and no one can replay it.
 */
const UNATTRIBUTED_ORGANISATION = 'unattributed';

/**
 * An Idempotency-Key belongs to a subject acting for one organisation: (organisation, principal, key)
 * instead of (principal, key), so that the same subject acting for another organisation never gets
 * the first organisation's response. Existing records take the organisation from the events they were
 * stored with (same stream, same key, same actor; one append, one organisation). A record is written in
 * the same statement as its events and events are never deleted, so every record has them; should one
 * not, it is kept under an organisation no one acts for rather than guessed.
 */
export class IdempotencyKeysPerOrganisation1763900000014 implements MigrationInterface {
  name = 'IdempotencyKeysPerOrganisation1763900000014';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_keys ADD COLUMN organisation text`);
    await q.query(
      `UPDATE idempotency_keys k SET organisation = coalesce(
         (SELECT e.organisation FROM case_events e
          WHERE e.stream_id = k.stream_id AND e.idempotency_key = k.key AND e.actor_id = k.principal
          ORDER BY e.version LIMIT 1),
         $1)`,
      [UNATTRIBUTED_ORGANISATION],
    );
    await q.query(`ALTER TABLE idempotency_keys ALTER COLUMN organisation SET NOT NULL`);
    await q.query(`ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey`);
    // Looked up by principal and key, then among the caller's organisations.
    await q.query(
      `ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (principal, key, organisation)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    const shared: unknown[] = await q.query(
      `SELECT 1 FROM idempotency_keys GROUP BY principal, key HAVING count(*) > 1 LIMIT 1`,
    );
    if (shared.length)
      throw new Error(
        'cannot undo IdempotencyKeysPerOrganisation: a principal used one Idempotency-Key for several organisations, and (principal, key) would no longer be unique',
      );
    await q.query(`ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey`);
    await q.query(`ALTER TABLE idempotency_keys DROP COLUMN organisation`);
    await q.query(`ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (principal, key)`);
  }
}
