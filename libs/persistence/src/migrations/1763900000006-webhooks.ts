import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks: the endpoints organisations register (their signing secrets encrypted at rest) and the
 * deliveries that kept failing (the dead-letter list), which nothing drops silently.
 */
export class Webhooks1763900000006 implements MigrationInterface {
  name = 'Webhooks1763900000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_subscriptions (
        id              uuid        NOT NULL,
        organisation    text        NOT NULL,
        url             text        NOT NULL,
        secret          text        NOT NULL,
        created_by      text        NOT NULL,
        created_at      timestamptz NOT NULL,
        CONSTRAINT webhook_subscriptions_pkey PRIMARY KEY (id)
      )`);
    await q.query(`CREATE INDEX webhook_subscriptions_organisation ON webhook_subscriptions (organisation)`);
    await q.query(`
      CREATE TABLE webhook_dead_letters (
        delivery_id     text        NOT NULL,
        subscription_id uuid        NOT NULL,
        organisation    text        NOT NULL,
        url             text        NOT NULL,
        case_id         uuid        NOT NULL,
        alert           text        NOT NULL,
        round           integer     NOT NULL,
        attempts        integer     NOT NULL,
        last_status     integer,
        last_error      text        NOT NULL,
        failed_at       timestamptz NOT NULL,
        CONSTRAINT webhook_dead_letters_pkey PRIMARY KEY (delivery_id)
      )`);
    await q.query(
      `CREATE INDEX webhook_dead_letters_organisation ON webhook_dead_letters (organisation, failed_at DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_dead_letters`);
    await q.query(`DROP TABLE webhook_subscriptions`);
  }
}
