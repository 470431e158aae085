import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The milestones read model loses the columns no query reads (municipality, level, closed_at, late,
 * organisations): every milestone update rewrote them. Queries read the milestone from `detail`
 * (`detail->>'closedAt'`, `detail->>'late'`); the case's municipality and organisations are in
 * case_summaries. `down` puts them back, worked out from `detail` and the case summaries.
 */
export class UnreadMilestoneColumns1763900000011 implements MigrationInterface {
  name = 'UnreadMilestoneColumns1763900000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE milestones
        DROP COLUMN municipality,
        DROP COLUMN level,
        DROP COLUMN closed_at,
        DROP COLUMN late,
        DROP COLUMN organisations`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE milestones
        ADD COLUMN municipality  text,
        ADD COLUMN level         text,
        ADD COLUMN closed_at     timestamptz,
        ADD COLUMN late          boolean,
        ADD COLUMN organisations text[]`);
    // level is the kind of the last ladder step fired, as ladderLevel in the domain reckons it.
    await q.query(`
      UPDATE milestones m SET
        municipality = s.municipality,
        organisations = s.organisations,
        closed_at = (m.detail->>'closedAt')::timestamptz,
        late = coalesce((m.detail->>'late')::boolean, false),
        level = (
          SELECT CASE WHEN l.step->>'kind' = 'escalation' THEN 'escalation-' || (l.step->>'level') ELSE l.step->>'kind' END
          FROM json_array_elements(m.detail->'ladder') WITH ORDINALITY AS l(step, n)
          WHERE l.step->>'firedAt' IS NOT NULL
          ORDER BY l.n DESC LIMIT 1)
      FROM case_summaries s WHERE s.case_id = m.case_id`);
    await q.query(`
      ALTER TABLE milestones
        ALTER COLUMN municipality SET NOT NULL,
        ALTER COLUMN late SET NOT NULL,
        ALTER COLUMN organisations SET NOT NULL`);
  }
}
