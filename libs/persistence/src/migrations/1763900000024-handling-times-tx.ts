import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each handling-time row keeps the transaction that wrote it (docs/adr/0015): the API's in-memory
 * copy reads only the rows written since its last refresh's horizon, and no row committed late by a
 * transaction still running then is missed. The default fills it, so the append does not change.
 */
export class HandlingTimesTx1763900000024 implements MigrationInterface {
  name = 'HandlingTimesTx1763900000024';

  async up(q: QueryRunner): Promise<void> {
    // A constant default first: no table rewrite, the rows already there get 0 (older than any horizon).
    await q.query(`ALTER TABLE handling_times ADD COLUMN tx xid8 NOT NULL DEFAULT '0'`);
    await q.query(`ALTER TABLE handling_times ALTER COLUMN tx SET DEFAULT pg_current_xact_id()`);
    await q.query(`CREATE INDEX handling_times_tx ON handling_times (tx)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX handling_times_tx`);
    await q.query(`ALTER TABLE handling_times DROP COLUMN tx`);
  }
}
