import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit read models: handling times (finished milestones and case intervals) and referrals to
 * treatment (the yearly report). Derived from the events already recorded by a rebuild at the next
 * start (projection_rebuild_requests).
 */
export class HandlingTimes1763900000010 implements MigrationInterface {
  name = 'HandlingTimes1763900000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE handling_times (
        case_id      uuid        NOT NULL,
        measure      text        NOT NULL,
        instance     text        NOT NULL,
        kind         text        NOT NULL,
        started_at   timestamptz NOT NULL,
        ended_at     timestamptz NOT NULL,
        duration_ms  bigint      NOT NULL,
        paused_ms    bigint      NOT NULL,
        outcome      text        NOT NULL,
        breached     boolean,
        municipality text        NOT NULL,
        region       text        NOT NULL,
        organisation text        NOT NULL,
        CONSTRAINT handling_times_pkey PRIMARY KEY (case_id, measure, instance)
      )`);
    // Reports select a period and group: an index-only scan over the period.
    await q.query(
      `CREATE INDEX handling_times_period ON handling_times (ended_at) INCLUDE (measure, kind, duration_ms, breached, municipality, region, organisation)`,
    );
    await q.query(`
      CREATE TABLE treatment_referrals (
        case_id      uuid        NOT NULL,
        sequence     integer     NOT NULL,
        kind         text        NOT NULL,
        referred_at  timestamptz NOT NULL,
        municipality text        NOT NULL,
        region       text        NOT NULL,
        CONSTRAINT treatment_referrals_pkey PRIMARY KEY (case_id, sequence)
      )`);
    await q.query(
      `CREATE INDEX treatment_referrals_period ON treatment_referrals (referred_at) INCLUDE (case_id, kind, municipality, region)`,
    );
    await q.query(
      `INSERT INTO projection_rebuild_requests (reason) SELECT 'handling times and treatment referrals: derived from the events already recorded' WHERE EXISTS (SELECT 1 FROM case_events)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE treatment_referrals`);
    await q.query(`DROP TABLE handling_times`);
  }
}
