import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The organisations' directory of people, from which cases and milestones are assigned: each person
 * the API has seen signed in for an organisation (recorded at her first request), and those its
 * administrator added. `person_id` is the token's subject; `name` is what colleagues see.
 */
export class People1763900000020 implements MigrationInterface {
  name = 'People1763900000020';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE people (
        organisation   text        NOT NULL,
        person_id      text        NOT NULL,
        name           text        NOT NULL,
        role           text,
        known_by       text        NOT NULL,
        named_by_admin boolean     NOT NULL DEFAULT false,
        first_seen_at  timestamptz,
        last_seen_at   timestamptz,
        updated_by     text        NOT NULL,
        updated_at     timestamptz NOT NULL,
        CONSTRAINT people_pkey PRIMARY KEY (organisation, person_id),
        CONSTRAINT people_known_by CHECK (known_by IN ('signed-in', 'added-by-admin'))
      )`);
    // The case writer looks a person up by her id in every organisation she belongs to.
    await q.query(`CREATE INDEX people_person_id ON people (person_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE people`);
  }
}
