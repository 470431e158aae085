import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Milestones and timers: the policy versions cases pin, the milestones read model (work queues),
 * the pending timers the reconciler rebuilds Redis from, the one-fired-event-per-step guard, and
 * NOTIFY on outbox inserts so that the relay wakes at once (it also polls).
 */
export class Milestones1763900000002 implements MigrationInterface {
  name = 'Milestones1763900000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE pathway_policies (
        name          text        NOT NULL,
        version       integer     NOT NULL,
        document      jsonb       NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pathway_policies_pkey PRIMARY KEY (name, version)
      )`);
    await q.query(`
      CREATE TABLE milestones (
        case_id        uuid        NOT NULL,
        milestone      text        NOT NULL,
        reference      text        NOT NULL,
        rule           text        NOT NULL,
        status         text        NOT NULL,
        owner          text        NOT NULL,
        municipality   text        NOT NULL,
        due_at         timestamptz NOT NULL,
        level          text,
        opened_at      timestamptz NOT NULL,
        closed_at      timestamptz,
        late           boolean     NOT NULL,
        organisations  text[]      NOT NULL,
        detail         json        NOT NULL,
        CONSTRAINT milestones_pkey PRIMARY KEY (case_id, milestone)
      )`);
    await q.query(
      `CREATE INDEX milestones_work_queue ON milestones (owner, due_at) WHERE status IN ('open', 'paused', 'breached')`,
    );
    await q.query(`CREATE INDEX milestones_rule ON milestones (rule, opened_at)`);
    await q.query(`
      CREATE TABLE pending_timers (
        case_id   uuid        NOT NULL,
        timer     text        NOT NULL,
        kind      text        NOT NULL,
        fire_at   timestamptz NOT NULL,
        CONSTRAINT pending_timers_pkey PRIMARY KEY (case_id, timer)
      )`);
    await q.query(`CREATE INDEX pending_timers_fire_at ON pending_timers (fire_at)`);
    await q.query(`
      CREATE TABLE milestone_ladder_fired (
        case_id   uuid        NOT NULL,
        milestone text        NOT NULL,
        step      text        NOT NULL,
        fired_at  timestamptz NOT NULL,
        CONSTRAINT milestone_ladder_fired_pkey PRIMARY KEY (case_id, milestone, step)
      )`);
    // The event feed of the first version had no consumer: timers now travel through the outbox.
    await q.query(`DELETE FROM outbox WHERE topic = 'case-events'`);
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('pathway_outbox', '');
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER outbox_notify ON outbox`);
    await q.query(`DROP FUNCTION outbox_notify`);
    await q.query(`DROP TABLE milestone_ladder_fired`);
    await q.query(`DROP TABLE pending_timers`);
    await q.query(`DROP TABLE milestones`);
    await q.query(`DROP TABLE pathway_policies`);
  }
}
