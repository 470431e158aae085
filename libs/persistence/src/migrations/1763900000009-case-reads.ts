import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Reads of a case are audited as writes are: who looked at which view of it, when. Append-only. */
export class CaseReads1763900000009 implements MigrationInterface {
  name = 'CaseReads1763900000009';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_reads (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        case_id      uuid        NOT NULL,
        reader_id    text        NOT NULL,
        reader_role  text        NOT NULL,
        organisation text        NOT NULL,
        view         text        NOT NULL,
        read_at      timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX case_reads_case ON case_reads (case_id, read_at)`);
    await q.query(`
      CREATE FUNCTION case_reads_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'case_reads is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER case_reads_no_update BEFORE UPDATE OR DELETE ON case_reads FOR EACH ROW EXECUTE FUNCTION case_reads_append_only()`,
    );
    await q.query(
      `CREATE TRIGGER case_reads_no_truncate BEFORE TRUNCATE ON case_reads FOR EACH STATEMENT EXECUTE FUNCTION case_reads_append_only()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_reads`);
    await q.query(`DROP FUNCTION case_reads_append_only`);
  }
}
