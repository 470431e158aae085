import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts: one row per ladder step brought to people's attention (the in-app inbox, delivery). Cases
 * already under way have ladder events whose alerts (and alert re-send timers) must be derived:
 * the first process to start rebuilds the projections once (projection_rebuild_requests).
 */
export class Alerts1763900000005 implements MigrationInterface {
  name = 'Alerts1763900000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alerts (
        case_id         uuid        NOT NULL,
        alert           text        NOT NULL,
        reference       text        NOT NULL,
        milestone       text        NOT NULL,
        rule            text        NOT NULL,
        step            text        NOT NULL,
        kind            text        NOT NULL,
        level           smallint    NOT NULL,
        severity        text        NOT NULL,
        owner           text        NOT NULL,
        municipality    text        NOT NULL,
        coordinator     text,
        status          text        NOT NULL,
        reach           text        NOT NULL,
        resends         integer     NOT NULL,
        due_at          timestamptz NOT NULL,
        raised_at       timestamptz NOT NULL,
        acknowledged_at timestamptz,
        resolved_at     timestamptz,
        detail          json        NOT NULL,
        CONSTRAINT alerts_pkey PRIMARY KEY (case_id, alert)
      ) WITH (fillfactor = 70)`);
    await q.query(`CREATE INDEX alerts_owner ON alerts (owner, raised_at DESC)`);
    await q.query(
      `CREATE INDEX alerts_coordinator ON alerts (coordinator, raised_at DESC) WHERE coordinator IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE projection_rebuild_requests (
        reason       text        NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT projection_rebuild_requests_pkey PRIMARY KEY (reason)
      )`);
    await q.query(
      `INSERT INTO projection_rebuild_requests (reason) SELECT 'alerts: derived from the ladder events already recorded' WHERE EXISTS (SELECT 1 FROM case_events)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE projection_rebuild_requests`);
    await q.query(`DROP TABLE alerts`);
  }
}
