import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Nearly every command rewrites its case's summary and some milestone rows. PostgreSQL updates a
 * row in place (HOT, no index entries, far less WAL) only when no indexed column changes, and an
 * index on an expression over `summary` or `detail` counts the whole document: the assignee
 * indexes (1763900000021) made every such update touch every index. They now index columns
 * generated from the documents, which change only when the person does. Likewise the work queue's
 * predicate reads `active` instead of `status`, so that a milestone paused or breached (still in
 * the queue) stays HOT; queries on the work queue say `active` to use it.
 */
export class IndexesThatAllowHotUpdates1763900000023 implements MigrationInterface {
  name = 'IndexesThatAllowHotUpdates1763900000023';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE case_summaries ADD COLUMN caseworker_id text GENERATED ALWAYS AS (summary->'caseworker'->>'id') STORED`,
    );
    await q.query(`DROP INDEX case_summaries_caseworker`);
    await q.query(
      `CREATE INDEX case_summaries_caseworker ON case_summaries (caseworker_id) WHERE caseworker_id IS NOT NULL`,
    );
    await q.query(
      `ALTER TABLE milestones
         ADD COLUMN assignee_id text GENERATED ALWAYS AS (detail->'assignee'->>'id') STORED,
         ADD COLUMN active boolean GENERATED ALWAYS AS (status IN ('open', 'paused', 'breached')) STORED`,
    );
    await q.query(`DROP INDEX milestones_assignee`);
    await q.query(`CREATE INDEX milestones_assignee ON milestones (assignee_id) WHERE assignee_id IS NOT NULL`);
    await q.query(`DROP INDEX milestones_work_queue`);
    await q.query(`CREATE INDEX milestones_work_queue ON milestones (owner, due_at) WHERE active`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX milestones_work_queue`);
    await q.query(
      `CREATE INDEX milestones_work_queue ON milestones (owner, due_at) WHERE status IN ('open', 'paused', 'breached')`,
    );
    await q.query(`DROP INDEX milestones_assignee`);
    await q.query(`ALTER TABLE milestones DROP COLUMN assignee_id, DROP COLUMN active`);
    await q.query(
      `CREATE INDEX milestones_assignee ON milestones ((detail->'assignee'->>'id')) WHERE (detail->'assignee'->>'id') IS NOT NULL`,
    );
    await q.query(`DROP INDEX case_summaries_caseworker`);
    await q.query(`ALTER TABLE case_summaries DROP COLUMN caseworker_id`);
    await q.query(
      `CREATE INDEX case_summaries_caseworker ON case_summaries ((summary->'caseworker'->>'id')) WHERE (summary->'caseworker'->>'id') IS NOT NULL`,
    );
  }
}
