import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The append-only event store, the transactional outbox and the idempotency records. */
export class EventStore1763900000000 implements MigrationInterface {
  name = 'EventStore1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE case_events (
        position        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        stream_id       uuid        NOT NULL,
        version         integer     NOT NULL CHECK (version > 0),
        type            text        NOT NULL,
        data            jsonb       NOT NULL,
        actor_id        text        NOT NULL,
        actor_role      text        NOT NULL,
        organisation    text        NOT NULL,
        correlation_id  text        NOT NULL,
        causation_id    text        NOT NULL,
        idempotency_key text,
        recorded_at     timestamptz NOT NULL,
        CONSTRAINT case_events_stream_version_key UNIQUE (stream_id, version)
      )`);
    // Append-only: history is never rewritten, whatever the application does.
    await q.query(`
      CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'case_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER case_events_no_update BEFORE UPDATE OR DELETE ON case_events FOR EACH ROW EXECUTE FUNCTION case_events_append_only()`,
    );
    await q.query(
      `CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events FOR EACH STATEMENT EXECUTE FUNCTION case_events_append_only()`,
    );

    await q.query(`
      CREATE TABLE outbox (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        stream_id    uuid        NOT NULL,
        topic        text        NOT NULL,
        message_key  text        NOT NULL,
        payload      jsonb       NOT NULL,
        available_at timestamptz NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        relayed_at   timestamptz,
        attempts     integer     NOT NULL DEFAULT 0,
        last_error   text
      )`);
    await q.query(`CREATE INDEX outbox_pending ON outbox (id) WHERE relayed_at IS NULL`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        principal    text        NOT NULL,
        key          text        NOT NULL,
        request_hash text        NOT NULL,
        stream_id    uuid        NOT NULL,
        status       integer     NOT NULL,
        response     jsonb       NOT NULL,
        created_at   timestamptz NOT NULL,
        CONSTRAINT idempotency_keys_pkey PRIMARY KEY (principal, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP TABLE case_events`);
    await q.query(`DROP FUNCTION case_events_append_only`);
  }
}
