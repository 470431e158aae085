import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox as a queue: the relay deletes the rows it has published (the events keep the
 * history), so the bookkeeping columns go; and NOTIFY only when an append wrote outbox rows, since
 * a statement trigger also fires for an INSERT of none and woke the relay for every command.
 */
export class OutboxAsAQueue1763900000003 implements MigrationInterface {
  name = 'OutboxAsAQueue1763900000003';

  async up(q: QueryRunner): Promise<void> {
    // Rows already relayed must not be relayed again once the column that said so is gone.
    await q.query(`DELETE FROM outbox WHERE relayed_at IS NOT NULL`);
    await q.query(`DROP INDEX outbox_pending`);
    await q.query(
      `ALTER TABLE outbox DROP COLUMN relayed_at, DROP COLUMN attempts, DROP COLUMN last_error, DROP COLUMN available_at`,
    );
    await q.query(`DROP TRIGGER outbox_notify ON outbox`);
    await q.query(`
      CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM inserted) THEN
          PERFORM pg_notify('pathway_outbox', '');
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER outbox_notify AFTER INSERT ON outbox REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER outbox_notify ON outbox`);
    await q.query(`
      CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('pathway_outbox', '');
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`,
    );
    await q.query(`
      ALTER TABLE outbox
        ADD COLUMN available_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN relayed_at timestamptz,
        ADD COLUMN attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN last_error text`);
    await q.query(`ALTER TABLE outbox ALTER COLUMN available_at DROP DEFAULT`);
    await q.query(`CREATE INDEX outbox_pending ON outbox (id) WHERE relayed_at IS NULL`);
  }
}
