import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models: the case summaries (rebuildable from the events) and the organisations. */
export class ReadModels1763900000001 implements MigrationInterface {
  name = 'ReadModels1763900000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_summaries (
        case_id            uuid        PRIMARY KEY,
        reference          text        NOT NULL,
        version            integer     NOT NULL,
        stage              text        NOT NULL,
        status             text        NOT NULL,
        municipality       text        NOT NULL,
        region             text        NOT NULL,
        coordinator_id     text,
        clinic             text,
        facility           text,
        estimated_due_date date        NOT NULL,
        detected_at        timestamptz NOT NULL,
        updated_at         timestamptz NOT NULL,
        organisations      text[]      NOT NULL,
        encrypted_cpr      text,
        summary            json        NOT NULL, -- json, not jsonb: returned as written, keys in order
        CONSTRAINT case_summaries_reference_key UNIQUE (reference)
      )`);
    await q.query(`CREATE INDEX case_summaries_organisations ON case_summaries USING gin (organisations)`);
    await q.query(`CREATE INDEX case_summaries_listing ON case_summaries (detected_at DESC, case_id DESC)`);
    await q.query(`CREATE INDEX case_summaries_municipality ON case_summaries (municipality)`);
    await q.query(`CREATE INDEX case_summaries_coordinator ON case_summaries (coordinator_id)`);

    await q.query(`
      CREATE TABLE organisations (
        id                text PRIMARY KEY,
        kind              text NOT NULL,
        name              text NOT NULL,
        region            text,
        municipality_code text,
        places            integer,
        retention_places  integer
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE organisations`);
    await q.query(`DROP TABLE case_summaries`);
  }
}
