import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The person columns of 1763900000023 were generated from the JSON documents beside them, and a
 * `json` document is text: PostgreSQL read the whole document to find the key on every write of the
 * row, every timer firing's milestone and every command's summary (about 15 µs a milestone row,
 * 40 % of the milestones upsert measured on 64 rows; bench/RESULTS.md, 2026-12-05). The projections
 * now write them (`milestonesProjection`, `caseSummaryProjection`), from the state they already hold;
 * the values stay, and so do the indexes. An instance of the code before this migration writes rows
 * without them: stop the old instances before the new ones start, or rebuild the read models after.
 */
export class PersonColumnsWrittenByTheProjections1763900000025 implements MigrationInterface {
  name = 'PersonColumnsWrittenByTheProjections1763900000025';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE milestones ALTER COLUMN assignee_id DROP EXPRESSION`);
    await q.query(`ALTER TABLE case_summaries ALTER COLUMN caseworker_id DROP EXPRESSION`);
  }

  async down(q: QueryRunner): Promise<void> {
    // PostgreSQL 15 cannot make a column generated again: both are added anew, with their indexes.
    await q.query(`ALTER TABLE milestones DROP COLUMN assignee_id`);
    await q.query(
      `ALTER TABLE milestones ADD COLUMN assignee_id text GENERATED ALWAYS AS (detail->'assignee'->>'id') STORED`,
    );
    await q.query(`CREATE INDEX milestones_assignee ON milestones (assignee_id) WHERE assignee_id IS NOT NULL`);
    await q.query(`ALTER TABLE case_summaries DROP COLUMN caseworker_id`);
    await q.query(
      `ALTER TABLE case_summaries ADD COLUMN caseworker_id text GENERATED ALWAYS AS (summary->'caseworker'->>'id') STORED`,
    );
    await q.query(
      `CREATE INDEX case_summaries_caseworker ON case_summaries (caseworker_id) WHERE caseworker_id IS NOT NULL`,
    );
  }
}
