import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finding work by person: a case's caseworker (GET /v1/cases?caseworker=) and a milestone's assignee
 * (GET /v1/milestones?assignee=, ?mine=) are read from the read models' JSON, indexed here for the
 * rows that have one.
 */
export class AssigneeIndexes1763900000021 implements MigrationInterface {
  name = 'AssigneeIndexes1763900000021';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX case_summaries_caseworker ON case_summaries ((summary->'caseworker'->>'id'))
       WHERE (summary->'caseworker'->>'id') IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX milestones_assignee ON milestones ((detail->'assignee'->>'id'))
       WHERE (detail->'assignee'->>'id') IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX milestones_assignee`);
    await q.query(`DROP INDEX case_summaries_caseworker`);
  }
}
